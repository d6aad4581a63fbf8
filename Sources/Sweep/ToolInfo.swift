/// The version written into every sweep and run (`tool_version`).
public let toolVersion = "0.1.0"

/// The git commit the binary was built from, when the build recorded one.
let buildCommit: String? = nil
