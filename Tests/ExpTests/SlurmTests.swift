import Foundation
import Testing
import TestSupport
import Tracker

/// docs/scale-out.md's Slurm recipe on a real Slurm: `scripts/slurm-sweep.sh` as a job array,
/// its shards merged, equal to one process's sweep of the same grid.
@Suite(.serialized, .tags(.slow), .skippedWhenFast) struct SlurmTests {
    /// The columns of `runs` that say where and when a run was trained, not what it is.
    static let circumstantial: Set = ["run_id", "sweep_id", "dataset_id", "split_id", "host", "pid", "heartbeat_at", "started_at",
                                      "ended_at", "duration_seconds", "claim_token", "heartbeat_timeout", "boot_id", "pid_namespace"]

    /// Rows of `query` over the schema `left` that the schema `right` lacks, as text (empty
    /// both ways: equal sets of rows).
    func rows(_ db: Connection, _ query: (String) -> String, in left: String, notIn right: String) throws -> [String] {
        try db.query("SELECT * FROM (\(query(left)) EXCEPT \(query(right)))") { s in
            (0..<s.columnCount).map { "\(s.value($0))" }.joined(separator: " ")
        }
    }

    @Test(.enabled(if: SingleNodeSlurm.isAvailable, "needs root and Slurm (apt-get install slurm-wlm munge, as .ci/run does)"))
    func aJobArrayOfShardsMergesToTheSweepOfOneProcess() throws {
        let dir = temporaryDirectory()
        let grid = try writeProcessGrid(dir, epochs: 30)
        let cluster = try SingleNodeSlurm(in: dir.appendingPathComponent("slurm"))
        defer { cluster.stop() }

        // The script as documented, four tasks of one CPU each (overriding its four), with a
        // node-local folder of their own as a cluster gives each job.
        let script = repositoryRoot.appendingPathComponent("scripts/slurm-sweep.sh").path
        let local = dir.appendingPathComponent("node-local")
        try FileManager.default.createDirectory(at: local, withIntermediateDirectories: true)
        let environment = ["EXP": try expExecutable().path, "TMPDIR": local.path]
        let submitted = try cluster.run("sbatch", ["--array=0-3", "--wait", "--cpus-per-task=1", script, grid.path, "results"],
                                        in: dir, environment: environment)
        let logs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("exp-sweep-") }.sorted()
            .map { (try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) ?? "" }.joined(separator: "\n")
        try #require(submitted.status == 0, "sbatch: \(submitted.stdout)\(submitted.stderr)\n\(logs)")
        let shards = (0..<4).map { dir.appendingPathComponent("results/shard-\($0).db").path }
        #expect(shards.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "\(logs)")
        for (index, shard) in shards.enumerated() {
            #expect(scalar(shard, "SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 6, "shard \(index)")
            #expect(scalar(shard, "SELECT COUNT(*) FROM runs WHERE status = 'finished' AND cell_index % 4 != \(index)")?.int == 0)
        }

        #expect(try FileManager.default.contentsOfDirectory(atPath: local.path).isEmpty, "the node-local copies are removed")

        // A shard resubmitted alone resumes from its copy: nothing is trained again.
        let trained = scalar(shards[2], "SELECT group_concat(started_at) FROM runs")?.string
        let again = try cluster.run("sbatch", ["--array=2", "--wait", "--cpus-per-task=1", script, grid.path, "results"],
                                    in: dir, environment: environment.merging(["EXP_SHARDS": "4"]) { $1 })
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(scalar(shards[2], "SELECT group_concat(started_at) FROM runs")?.string == trained)
        #expect(scalar(shards[2], "SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 6)

        let merged = try exp(["merge", "merged.db"] + shards, in: dir)
        #expect(merged.status == 0, "\(merged.stderr)")
        let single = try exp(["sweep", grid.path, "--db", "single.db", "--quiet"], in: dir)
        #expect(single.status == 0, "\(single.stderr)")

        let db = try Connection(path: dir.appendingPathComponent("merged.db").path)
        try db.run("ATTACH DATABASE ? AS single", [.text(dir.appendingPathComponent("single.db").path)])
        let columns = try db.query("SELECT name FROM pragma_table_info('runs')") { $0.string(0)! }
            .filter { !Self.circumstantial.contains($0) }.joined(separator: ", ")
        let identity = "r.config_sha256, r.seed, r.repeat, r.outer_fold, r.fold, r.phase"
        let queries: [(String) -> String] = [
            { "SELECT \(columns) FROM \($0).runs" },
            { """
              SELECT \(identity), m.epoch, m.train_loss, m.train_accuracy, m.validation_loss, m.validation_accuracy, m.learning_rate
              FROM \($0).epoch_metrics m JOIN \($0).runs r USING (run_id)
              """ },
            { "SELECT \(identity), w.kind, w.sha256 FROM \($0).weights w JOIN \($0).runs r USING (run_id)" },
        ]
        for query in queries {
            #expect(try rows(db, query, in: "main", notIn: "single").isEmpty, "\(query("main"))")
            #expect(try rows(db, query, in: "single", notIn: "main").isEmpty, "\(query("single"))")
        }
        #expect(try db.scalar("SELECT COUNT(*) FROM main.runs WHERE status = 'finished'")?.int == 24)
        #expect(try db.scalar("SELECT COUNT(*) FROM main.epoch_metrics")?.int == 24 * 30)
    }
}
