import Foundation
import Testing
@testable import Sweep
import Tracker

/// `runs.git_commit` holds the source commit recorded at build time by the RecordBuildCommit
/// plugin: 40 hexadecimal digits in a git checkout, NULL in a build from a source archive.
@Suite struct BuildCommitTests {
    /// The package directory: this file is `Tests/SweepTests/BuildCommitTests.swift` in it.
    static let packageDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

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
            #expect(commit.count == 40)
            #expect(commit.allSatisfy { "0123456789abcdef".contains($0) })
        } else {
            #expect(buildCommit == nil)
        }
    }
}
