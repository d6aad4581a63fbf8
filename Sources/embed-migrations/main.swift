import Foundation

// Usage: embed-migrations OUTPUT.swift FILE.sql...
// Writes a Swift file defining `embeddedMigrations`, the files' names and texts in the order given.

func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write("usage: embed-migrations OUTPUT.swift FILE.sql...\n".data(using: .utf8)!)
    exit(2)
}
var source = "// Generated at build time from migrations/*.sql. Do not edit.\n"
source += "let embeddedMigrations: [(file: String, sql: String)] = [\n"
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let text = try String(contentsOf: url, encoding: .utf8)
    source += "    (\(literal(url.lastPathComponent)), \(literal(text))),\n"
}
source += "]\n"
try source.write(toFile: output, atomically: true, encoding: .utf8)
