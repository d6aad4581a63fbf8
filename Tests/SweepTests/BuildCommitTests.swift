import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// `runs.git_commit` holds the source commit recorded at build time by the RecordBuildCommit
/// plugin: 40 hexadecimal digits in a git checkout, NULL in a build from a source archive.
@Suite struct BuildCommitTests {
    /// The package directory: this file is `Tests/SweepTests/BuildCommitTests.swift` in it.
    static let packageDirectory = repositoryRoot

    @Test func storedRunsRecordTheSourceCommit() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try grid(gridText(name: "commit", seeds: [1], grid: #"{"hidden_layers": [[2]], "epochs": [2]}"#))
        let (_, summary) = try runSweep(grid, db: db, jobs: 1)
        #expect(summary.counts == [.finished: 1])
        let store = try RunStore(path: db)
        let commits = try store.connection.query("SELECT git_commit FROM runs") { $0.string(0) }
        #expect(commits == [buildCommit])
        if FileManager.default.fileExists(atPath: Self.packageDirectory.appendingPathComponent(".git").path) {
            let commit = try #require(buildCommit)
            #expect([40, 64].contains(commit.count))
            #expect(commit.allSatisfy { "0123456789abcdef".contains($0) })
        } else {
            #expect(buildCommit == nil)
        }
    }

    /// Runs `Plugins/record-build-commit.sh` for the package folder `folder`; returns the Swift
    /// file it writes.
    func recordedCommitFile(for folder: URL) throws -> String {
        let output = temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [Self.packageDirectory.appendingPathComponent("Plugins/record-build-commit.sh").path,
                             folder.path, output.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try String(contentsOf: output.appendingPathComponent("BuildCommit.swift"), encoding: .utf8)
    }

    @Test func outsideAGitCheckoutTheCommitIsNil() throws {
        let archive = temporaryDirectory()
        #expect(try recordedCommitFile(for: archive).hasSuffix("\nlet buildCommit: String? = nil\n"))
        // A folder inside a checkout that is not its top (a source archive unpacked in another repository).
        let nested = Self.packageDirectory.appendingPathComponent(".build/record-build-commit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: nested) }
        #expect(try recordedCommitFile(for: nested).hasSuffix("\nlet buildCommit: String? = nil\n"))
    }

    @Test func inAGitCheckoutTheCommitIsHEAD() throws {
        guard FileManager.default.fileExists(atPath: Self.packageDirectory.appendingPathComponent(".git").path) else { return }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", Self.packageDirectory.path, "rev-parse", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        try git.run()
        git.waitUntilExit()
        let head = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(head.count == 40)
        #expect(try recordedCommitFile(for: Self.packageDirectory).hasSuffix("\nlet buildCommit: String? = \"\(head)\"\n"))
    }
}
