/// The version written into every sweep and run (`tool_version`).
public let toolVersion = "0.1.0"

// `buildCommit`, the git commit the binary was built from (nil outside a git checkout), is
// written at build time by the RecordBuildCommit plugin (Plugins/RecordBuildCommit).
