import Foundation
import Testing
import TestSupport

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
    let fallback = repositoryRoot.appendingPathComponent(".build/debug/exp")
    try #require(FileManager.default.isExecutableFile(atPath: fallback.path), "no exp executable next to the tests; run swift build first")
    return fallback
}

/// Runs `exp` (or `executable`) with `arguments` in `directory` and waits for it.
func exp(_ arguments: [String], in directory: URL, executable: URL? = nil) throws -> ProgramResult {
    try runProgram(try executable ?? expExecutable(), arguments, in: directory)
}

/// A scratch folder where `exp sweep` has run a grid named `name` over Iris with these seeds and
/// `grid` (the JSON of the grid's `grid` object).
func sweptIrisFolder(name: String, seeds: [Int], grid: String) throws -> URL {
    let dir = temporaryDirectory()
    let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
    let text = """
        {"name": "\(name)", "dataset": "\(data)", "seeds": \(seeds), "grid": \(grid)}
        """
    try text.write(to: dir.appendingPathComponent("\(name).json"), atomically: true, encoding: .utf8)
    let swept = try exp(["sweep", "\(name).json", "--jobs", "2", "--quiet"], in: dir)
    try #require(swept.status == 0, "\(swept.stderr)")
    return dir
}
