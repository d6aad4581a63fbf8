import Determinism
import Foundation
import Testing
import TestSupport
import Tracker

/// Nested cross-validation across processes: `kill -9` at any moment and two processes sharing
/// the database give the runs and the choices of one uninterrupted process.
@Suite(.serialized, .tags(.slow), .skippedWhenFast) struct NestedProcessTests {
    /// 24 search runs (2 configurations x 2 seeds x 3 outer x 2 inner folds) and 6 refit runs.
    func writeNestedGrid(_ dir: URL) throws -> URL {
        let url = dir.appendingPathComponent("nested.json")
        let text = """
            {"name": "nested", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1, 2],
             "protocol": {"outer_folds": 3, "inner_folds": 2},
             "grid": {"hidden_layers": [[4], [8]], "learning_rate": [0.5], "loss": ["cross_entropy"], "epochs": [300]}}
            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Each run by identity with its outcome and final weights, and each fold's choice.
    func outcomes(_ path: String) throws -> [String] {
        let connection = try Connection(path: path)
        let runs = try connection.query("""
            SELECT r.phase || '/' || r.repeat || '/' || r.outer_fold || '/' || r.fold || '/' || r.seed || '/' || r.config_sha256
                   || ' ' || r.cell_index || ' ' || r.status || ' ' || IFNULL(r.final_validation_accuracy, '-') || ' '
                   || IFNULL(r.test_confusion, '-') || ' '
                   || (SELECT hex(data) FROM weights w WHERE w.run_id = r.run_id AND w.kind = 'final')
            FROM runs r ORDER BY 1
            """) { $0.string(0) ?? "" }
        let choices = try connection.query("""
            SELECT repeat || '/' || outer_fold || ' ' || config_sha256 || ' ' || refit_epochs FROM selections ORDER BY 1
            """) { $0.string(0) ?? "" }
        return runs + choices
    }

    @Test func killedAndSharedNestedSweepsEqualOneProcess() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeNestedGrid(dir)
        let reference = try exp(["sweep", gridURL.path, "--db", "reference.db", "--quiet"], in: dir)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try outcomes(dir.appendingPathComponent("reference.db").path)
        #expect(expected.count == 30 + 3)

        let db = dir.appendingPathComponent("killed.db").path
        var delays = SplitMix64(seed: 7)
        var finished = 0, trials = 0
        // Kill until the refit phase has begun (a choice stored), so kills land in both phases.
        while trials < 40, finished < 30, (try? Connection(path: db).scalar("SELECT COUNT(*) FROM selections")?.int ?? 0) ?? 0 == 0 {
            trials += 1
            let process = try start(["sweep", gridURL.path, "--db", db, "--quiet", "--jobs", "2"])
            waitForFinishedRuns(above: finished, in: db)
            usleep(UInt32(truncatingIfNeeded: delays.next()) % 20_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try Connection(path: db).scalar("PRAGMA integrity_check")?.string == "ok")
            finished = finishedRuns(db)
        }
        #expect(trials >= 2)
        #expect(try exp(["sweep", gridURL.path, "--db", db, "--quiet"], in: dir).status == 0)
        #expect(try outcomes(db) == expected)

        let shared = dir.appendingPathComponent("shared.db").path
        var results: [ProgramResult?] = [nil, nil]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let result = try? exp(["sweep", gridURL.path, "--db", shared, "--jobs", "1", "--quiet"], in: dir)
            lock.withLock { results[i] = result }
        }
        for result in results { #expect(result?.status == 0, "\(result?.stderr ?? "did not run")") }
        #expect(try outcomes(shared) == expected)
        #expect(try Connection(path: shared).scalar("SELECT COUNT(*) FROM runs WHERE attempt = 1")?.int == 30)
    }
}
