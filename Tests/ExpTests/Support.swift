import Foundation
import Testing

/// The repository, found from this source file.
let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // ExpTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The `exp` executable built next to this test bundle (`swift test` builds every product).
func expExecutable() throws -> URL {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = folder.appendingPathComponent("exp")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return candidate
        }
        folder.deleteLastPathComponent()
    }
    let fallback = repository.appendingPathComponent(".build/debug/exp")
    try #require(FileManager.default.isExecutableFile(atPath: fallback.path), "no exp executable next to the tests; run swift build first")
    return fallback
}

/// What one `exp` invocation printed and returned.
struct Invocation {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `exp` (or `executable`) with `arguments` in `directory` and waits for it.
func exp(_ arguments: [String], in directory: URL, executable: URL? = nil) throws -> Invocation {
    let process = Process()
    process.executableURL = try executable ?? expExecutable()
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so that a full pipe cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Invocation(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh, empty folder for one test.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("exp-cli-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
