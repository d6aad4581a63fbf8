import Foundation

/// The repository's root folder, found from this file's path (`Tests/TestSupport/Paths.swift`).
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // TestSupport
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// A fresh, empty folder under the system's temporary directory for one test.
public func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("exp-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A fresh folder under the system's temporary directory, removed by `cleanup()`.
public struct Scratch {
    public let url: URL

    public init() throws { url = temporaryDirectory() }

    /// A path inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The names of the files in the folder.
    public func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }

    public func cleanup() { try? FileManager.default.removeItem(at: url) }
}
