import Foundation
import Testing
import TestSupport
@testable import Tracker

private let childDatabaseVariable = "TRACKER_TEST_CHILD_DB"
private let childFolderVariable = "TRACKER_TEST_CHILD_FOLDER"
private let childIndexVariable = "TRACKER_TEST_CHILD_INDEX"

/// The test binary, when this process is one that can be started again with a filter
/// (SwiftPM's test runner on Linux).
private var testExecutable: String? {
    #if os(Linux)
    guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
          path.hasSuffix(".xctest") else { return nil }
    return path
    #else
    return nil
    #endif
}

@Suite struct ConcurrencyTests {
    @Test func eightConnectionsOpeningAFreshDatabaseApplyEachMigrationOnce() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        let results = onThreads(8) { index -> Int in
            let store = try RunStore(path: path, readOnly: false, migrations: loggingMigrations(who: index))
            return try store.connection.userVersion
        }
        let latest = loggingMigrations(who: 0).count
        for result in results {
            switch result {
            case .success(let version): #expect(version == latest)
            case .failure(let error): Issue.record("an opener failed: \(error)")
            }
        }
        let counts = try appliedCounts(path)
        #expect(counts == Dictionary(uniqueKeysWithValues: (1...latest).map { ($0, 1) }))
    }

    @Test(.tags(.slow), .skippedWhenFast, .enabled(if: testExecutable != nil, "needs the test binary on Linux"))
    func eightProcessesOpeningAFreshDatabaseApplyEachMigrationOnce() throws {
        let executable = try #require(testExecutable)
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        var environment = ProcessInfo.processInfo.environment
        environment[childDatabaseVariable] = path
        environment[childFolderVariable] = scratch.url.path
        let outcomes = onThreads(8) { index -> (Int32, String, String) in
            var own = environment
            own[childIndexVariable] = String(index)
            let result = try runProgram(URL(fileURLWithPath: executable),
                                        ["--testing-library", "swift-testing", "--filter", "trackerChildOpensStore"], environment: own)
            return (result.status, result.stdout, result.stderr)
        }
        let latest = loggingMigrations(who: 0).count
        for (index, outcome) in outcomes.enumerated() {
            guard case .success(let (status, output, error)) = outcome else {
                Issue.record("child \(index) did not start: \(outcome)")
                continue
            }
            #expect(status == 0, "child \(index) failed:\n\(output)\n\(error)")
            #expect(output.contains("child \(index) opened version \(latest)") || error.contains("child \(index) opened version \(latest)"),
                    "child \(index) did not report:\n\(output)\n\(error)")
        }
        let counts = try appliedCounts(path)
        #expect(counts == Dictionary(uniqueKeysWithValues: (1...latest).map { ($0, 1) }))
        #expect(Set(try Connection(path: path).query("SELECT who FROM migration_log") { $0.int(0)! }).isSubset(of: Set(0..<8)))
    }

    /// Run only as a child of the test above: waits until every child is ready, then opens.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childDatabaseVariable] != nil, "only in a child process"))
    func trackerChildOpensStore() throws {
        let environment = ProcessInfo.processInfo.environment
        let path = try #require(environment[childDatabaseVariable])
        let folder = try #require(environment[childFolderVariable])
        let index = try #require(environment[childIndexVariable].flatMap { Int($0) })
        _ = FileManager.default.createFile(atPath: "\(folder)/ready-\(index)", contents: nil)
        // Start together: when all eight are ready (or after 60 s, so a lost sibling cannot hang us).
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let ready = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasPrefix("ready-") }.count ?? 0
            if ready >= 8 { break }
            usleep(1000)
        }
        let store = try RunStore(path: path, readOnly: false, migrations: loggingMigrations(who: index))
        let version = try store.connection.userVersion
        #expect(version == loggingMigrations(who: index).count)
        print("child \(index) opened version \(version)")
    }

    @Test func twoWritersNeverClaimTheSameRunAndLoseNone() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        let sweepID: Int64
        let runIDs: [Int64]
        do {
            let store = try RunStore(path: path)
            let fixture = try prepare(store)
            let configs = (1...12).map { Config(learningRate: Double($0) / 100, hidden: 8) }
            #expect(try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                                      cells: cells(configs, seeds: [1, 2], splitID: fixture.splitID)) == 24)
            sweepID = fixture.sweepID
            runIDs = try store.connection.query("SELECT run_id FROM runs ORDER BY run_id") { Int64($0.int(0)!) }
        }
        let results = onThreads(2) { worker -> [ClaimedRun] in
            let store = try RunStore(path: path)
            var claimed: [ClaimedRun] = []
            while let claim = try store.claimNext(sweepID: sweepID, host: "testhost", pid: 1000 + worker) {
                claimed.append(claim)
                try store.heartbeat([claim])
                try store.record(claim, finishedResult(validationAccuracy: 0.5 + Double(claim.cellIndex) / 100, epochs: 3))
            }
            return claimed
        }
        var all: [ClaimedRun] = []
        var claimer: [Int64: Int] = [:]
        for (worker, result) in results.enumerated() {
            switch result {
            case .success(let claims):
                all += claims
                for claim in claims { claimer[claim.runID] = 1000 + worker }
            case .failure(let error): Issue.record("a writer failed: \(error)")
            }
        }
        #expect(all.count == 24)
        #expect(all.map(\.runID).sorted() == runIDs)
        #expect(all.allSatisfy { $0.attempt == 1 })
        let store = try RunStore(path: path)
        #expect(try store.statusCounts(sweepID: sweepID) == [.finished: 24])
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 72)
        // Each run is marked with the writer that claimed it.
        let pids = try store.connection.query("SELECT run_id, pid FROM runs") { (Int64($0.int(0)!), $0.int(1)!) }
        #expect(Dictionary(uniqueKeysWithValues: pids) == claimer)
    }
}
