import Foundation
import Testing
import TestSupport

/// `exp` owns the process: no other module ends it, reads the terminal, writes ANSI escapes or
/// handles signals. (The `embed-migrations` build tool is an executable of its own.)
@Suite struct ProcessBoundaryTests {
    /// Calls that belong to the process, as they appear in Swift source.
    static let processCalls = try! NSRegularExpression(
        pattern: #"(\bexit\(|\b_exit\(|\bFoundation\.exit\b|\bisatty\(|\\u\{1B\}|\\e\[|\bsignal\(|makeSignalSource|\bfatalError\("exit)"#)

    /// Each line of `source` that holds a process call, comments skipped.
    static func findings(in source: String) -> [String] {
        source.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let code = line.components(separatedBy: "//").first ?? ""
            let range = NSRange(code.startIndex..., in: code)
            return processCalls.firstMatch(in: code, range: range) == nil ? nil : "line \(index + 1): \(line.trimmingCharacters(in: .whitespaces))"
        }
    }

    @Test func theScannerFindsProcessCalls() {
        #expect(Self.findings(in: "let x = 1\n    _exit(code)\nFoundation.exit(2)").count == 2)
        #expect(Self.findings(in: "live = isatty(STDERR_FILENO) == 1").count == 1)
        #expect(Self.findings(in: #"let clear = "\r\u{1B}[2K""#).count == 1)
        #expect(Self.findings(in: "// exit(1) in a comment\nlet exitStatus = 0").isEmpty)
    }

    @Test func onlyTheExecutableOwnsTheProcess() throws {
        let sources = repositoryRoot.appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var scanned = 0
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let module = url.path.dropFirst(sources.path.count + 1).split(separator: "/").first.map(String.init) ?? ""
            guard !["exp", "embed-migrations"].contains(module) else { continue }
            scanned += 1
            let found = Self.findings(in: try String(contentsOf: url, encoding: .utf8))
            #expect(found.isEmpty, "\(url.lastPathComponent): \(found.joined(separator: "; "))")
        }
        #expect(scanned > 40)
    }
}
