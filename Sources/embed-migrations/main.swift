import Foundation

// Usage: embed-migrations OUTPUT.swift FILE.sql...
// Writes a Swift file defining `embeddedMigrations`, the files' names and texts in the order given.

/// `text` as a Swift expression: its UTF-8 bytes in base64, which needs no escaping in a literal.
func expression(_ text: String) -> String {
    "String(decoding: Data(base64Encoded: \"\(Data(text.utf8).base64EncodedString())\")!, as: UTF8.self)"
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write("usage: embed-migrations OUTPUT.swift FILE.sql...\n".data(using: .utf8)!)
    exit(2)
}
var source = "// Generated at build time from migrations/*.sql. Do not edit.\nimport Foundation\n\n"
source += "let embeddedMigrations: [(file: String, sql: String)] = [\n"
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let text = try String(contentsOf: url, encoding: .utf8)
    source += "    (\(expression(url.lastPathComponent)), \(expression(text))),\n"
}
source += "]\n"
try source.write(toFile: output, atomically: true, encoding: .utf8)
