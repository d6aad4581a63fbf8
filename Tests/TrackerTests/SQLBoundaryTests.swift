import Foundation
import Testing
import TestSupport

/// SQL keywords as SQL uses them, inside a Swift string literal.
private let sqlPattern = try! NSRegularExpression(pattern: #"\b(SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|BEGIN)\b"#)

/// The text of every string literal (`"..."` and `"""..."""`) in Swift source, comments skipped.
func stringLiterals(in source: String) -> [String] {
    var literals: [String] = []
    let characters = Array(source)
    var i = 0
    func starts(_ text: String, at index: Int) -> Bool {
        let t = Array(text)
        return index + t.count <= characters.count && Array(characters[index..<(index + t.count)]) == t
    }
    while i < characters.count {
        if starts("//", at: i) {
            while i < characters.count, characters[i] != "\n" { i += 1 }
        } else if starts("/*", at: i) {
            i += 2
            while i < characters.count, !starts("*/", at: i) { i += 1 }
            i += 2
        } else if starts("\"\"\"", at: i) {
            i += 3
            let start = i
            while i < characters.count, !starts("\"\"\"", at: i) { i += characters[i] == "\\" ? 2 : 1 }
            literals.append(String(characters[start..<min(i, characters.count)]))
            i += 3
        } else if characters[i] == "\"" {
            i += 1
            let start = i
            while i < characters.count, characters[i] != "\"", characters[i] != "\n" { i += characters[i] == "\\" ? 2 : 1 }
            literals.append(String(characters[start..<min(i, characters.count)]))
            i += 1
        } else {
            i += 1
        }
    }
    return literals
}

/// Where `source` imports CSQLite or holds SQL in a string literal: one line per finding.
func sqlFindings(in source: String) -> [String] {
    var findings: [String] = []
    if source.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("import CSQLite") }) {
        findings.append("import CSQLite")
    }
    for literal in stringLiterals(in: source) {
        let range = NSRange(literal.startIndex..., in: literal)
        if let match = sqlPattern.firstMatch(in: literal, range: range) {
            findings.append("SQL \(Range(match.range, in: literal).map { String(literal[$0]) } ?? ""): \(literal.prefix(60))")
        }
    }
    return findings
}

/// Tracker owns every SQL string: no other module imports CSQLite or writes SQL.
@Suite struct SQLBoundaryTests {
    @Test func theScannerFindsSQLAndTheImport() {
        let source = #"""
            import CSQLite
            // SELECT in a comment is no SQL
            let a = "DELETE FROM runs"
            let b = """
                SELECT 1
                """
            let c = "select is not upper case, and \"UPDATE\" quoted is"
            """#
        let findings = sqlFindings(in: source)
        #expect(findings.count == 4, "\(findings)")
        #expect(findings.first == "import CSQLite")
        #expect(sqlFindings(in: "let x = \"Selected 3 rows\" // CREATE\n").isEmpty)
    }

    @Test func noSourceOutsideTrackerImportsCSQLiteOrHoldsSQL() throws {
        let sources = repositoryRoot.appendingPathComponent("Sources")
        let allowed: Set<String> = ["Tracker", "embed-migrations"]
        var scanned = 0
        var findings: [String] = []
        for folder in [sources, repositoryRoot.appendingPathComponent("bench/Sources")] {
            guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where file.pathExtension == "swift" {
                let relative = file.path.dropFirst(folder.path.count + 1)
                if folder == sources, let module = relative.split(separator: "/").first, allowed.contains(String(module)) { continue }
                scanned += 1
                let text = try String(contentsOf: file, encoding: .utf8)
                findings += sqlFindings(in: text).map { "\(relative): \($0)" }
            }
        }
        #expect(scanned > 20)
        #expect(findings.isEmpty, "SQL belongs in Sources/Tracker:\n\(findings.joined(separator: "\n"))")
    }
}
