import Foundation
import Testing
import TestSupport
@testable import Tracker

/// `exp serve`'s JSON API, run as a user runs it, checked against the database.
@Suite(.serialized) struct ServeAPITests {
    static let grid = #"{"epochs": [6], "hidden_layers": [[4]], "learning_rate": [0.05, 0.5]}"#

    @Test func sweepsListCountsEveryStatusAsStored() throws {
        let dir = try sweptIrisFolder(name: "pair", seeds: [1, 2], grid: Self.grid)
        let server = try ServeProcess(database: "runs.db", in: dir)
        #expect(server.stdout.contains("http://127.0.0.1:\(server.port)/"))
        let body = try #require(try server.json("/api/sweeps") as? [String: Any])
        #expect(body["statuses"] as? [String] == RunStatus.allCases.map(\.rawValue))
        let sweeps = try #require(body["sweeps"] as? [[String: Any]])
        #expect(sweeps.map { $0["name"] as? String } == ["pair"])
        let counts = try #require(sweeps[0]["status_counts"] as? [String: Int])
        #expect(Set(counts.keys) == Set(RunStatus.allCases.map(\.rawValue)))
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        let runs = try store.runSummaries(sweep: "pair")
        for status in RunStatus.allCases {
            #expect(counts[status.rawValue] == runs.filter { $0.status == status }.count, "\(status)")
        }
        #expect(sweeps[0]["runs"] as? Int == 4)
        #expect(sweeps[0]["progress"] as? Double == 1)
        let database = try #require(body["database"] as? [String: Any])
        #expect(database["state"] as? String == "ok")
    }

    @Test func leaderboardRunAndWeightsMatchTheDatabase() throws {
        let dir = try sweptIrisFolder(name: "pair", seeds: [1, 2], grid: Self.grid)
        let server = try ServeProcess(database: "runs.db", in: dir)
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        let sweepID = try #require(try store.sweepOverview(named: "pair")?.sweepID)

        let board = try #require(try server.json("/api/sweeps/pair/leaderboard") as? [String: Any])
        let rows = try #require(board["rows"] as? [[String: Any]])
        let stored = try store.leaderboard(sweepID: sweepID)
        #expect(rows.map { $0["config_sha256"] as? String } == stored.map(\.configSHA256))
        // Numbers are compared as JSONDecoder reads them (Foundation's JSONSerialization on Linux
        // can miss the last bit).
        struct Board: Decodable {
            struct Row: Decodable { var validation_accuracy_mean: Double? }
            struct Importance: Decodable {
                struct Value: Decodable { var value: String; var mean: Double; var configurations: Int }
                var name: String; var spread: Double?; var values: [Value]
            }
            var rows: [Row]; var importance: [Importance]
        }
        let exact = try JSONDecoder().decode(Board.self, from: try server.get("/api/sweeps/pair/leaderboard").body)
        #expect(exact.rows.map(\.validation_accuracy_mean) == stored.map(\.validationAccuracyMean))
        // One configuration per learning rate: the spread is the two configurations' difference.
        #expect(exact.importance.map(\.name) == ["learning_rate"])
        #expect(exact.importance.first?.values.map(\.value) == ["0.05", "0.5"])
        #expect(exact.importance.first?.values.map(\.configurations) == [1, 1])
        let means = stored.compactMap(\.validationAccuracyMean)
        #expect(exact.importance.first?.spread == means.max()! - means.min()!)
        #expect(rows.map { $0["rank"] as? Int } == [1, 2])
        // The report's row-level evidence: rows right out of distinct test rows, with an interval.
        let test = try #require(rows[0]["test_rows"] as? [String: Any])
        let interval = try #require(test["interval95"] as? [Double])
        #expect(test["rows"] as? Int == 30)
        #expect(interval[0] <= (test["accuracy"] as? Double ?? -1) && interval[1] >= (test["accuracy"] as? Double ?? 2))
        #expect((board["varying"] as? [String]) == ["learning_rate"])
        #expect((board["verdict"] as? [String])?.isEmpty == false)

        let byMacroF1 = try #require(try server.json("/api/sweeps/pair/leaderboard?metric=macro_f1&top=1") as? [String: Any])
        #expect(byMacroF1["metric"] as? String == "macro_f1")
        let f1Rows = try #require(byMacroF1["rows"] as? [[String: Any]])
        #expect(f1Rows.map { $0["config_sha256"] as? String } == (try store.leaderboard(sweepID: sweepID, metric: .macroF1)).map(\.configSHA256))
        #expect(f1Rows[1]["test_rows"] is NSNull, "only the top row carries evidence with top=1")

        let runID = try #require(stored[0].bestRunID)
        let run = try #require(try server.json("/api/runs/\(runID)") as? [String: Any])
        let detail = try #require(try store.runDetail(id: runID))
        let curve = try #require(run["curve"] as? [[String: Any]])
        #expect(curve.map { $0["epoch"] as? Int } == detail.curve.map(\.epoch))
        struct Run: Decodable {
            struct Point: Decodable { var validation_loss: Double?; var train_accuracy: Double? }
            var curve: [Point]
        }
        let exactRun = try JSONDecoder().decode(Run.self, from: try server.get("/api/runs/\(runID)").body)
        #expect(exactRun.curve.map(\.validation_loss) == detail.curve.map(\.validationLoss))
        #expect(exactRun.curve.map(\.train_accuracy) == detail.curve.map(\.trainAccuracy))
        let summary = try #require(run["summary"] as? [String: Any])
        #expect(summary["status"] as? String == "finished")
        #expect(summary["epochs_run"] as? Int == detail.curve.count)
        let config = try #require(run["config"] as? [String: Any])
        #expect(config["hidden_layers"] as? [Int] == [4])
        let confusion = try #require(run["confusion"] as? [String: Any])
        #expect(confusion["class_names"] as? [String] == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"])
        let counts = try #require(confusion["counts"] as? [[Int]])
        #expect(counts.joined().reduce(0, +) == 30)

        #expect(run["weights"] as? [String: String] == ["final": "/api/runs/\(runID)/weights?kind=final",
                                                        "best": "/api/runs/\(runID)/weights?kind=best"])
        let weights = try server.get("/api/runs/\(runID)/weights")
        #expect(weights.status == 200)
        #expect(weights.headers["content-type"] == "application/octet-stream")
        #expect(weights.headers["content-disposition"] == "attachment; filename=\"run-\(runID)-final.safetensors\"")
        #expect(weights.body == (try store.weights(runID: runID)))
        #expect(try server.get("/api/runs/\(runID)/weights?kind=best").body == (try store.weights(runID: runID, kind: "best")))

        let other = try #require(stored[1].bestRunID)
        let comparison = try #require(try server.json("/api/compare?runs=\(runID),\(other)") as? [String: Any])
        #expect(comparison["runs"] as? [Int] == [Int(runID), Int(other)])
        let hyperparameters = try #require(comparison["hyperparameters"] as? [[String: Any]])
        let differing = hyperparameters.filter { $0["differs"] as? Bool == true }.compactMap { $0["name"] as? String }
        #expect(differing == ["learning_rate"])
        #expect((comparison["curves"] as? [[Any]])?.map(\.count) == [detail.curve.count, try store.runDetail(id: other)?.curve.count ?? -1])
        #expect(server.stop() == 130)
    }

    @Test func nonFiniteNumbersAreNullInStrictJSON() throws {
        let dir = try sweptIrisFolder(name: "pair", seeds: [1], grid: Self.grid)
        let path = dir.appendingPathComponent("runs.db").path
        let runID: Int64
        do {
            let store = try RunStore(path: path)
            runID = try #require(try store.connection.scalar("SELECT MIN(run_id) FROM runs")?.int.map(Int64.init))
            try store.connection.execute("UPDATE epoch_metrics SET train_loss = 9e999, validation_loss = -9e999 WHERE run_id = \(runID) AND epoch = 1")
            try store.checkpoint(truncating: true)
        }
        let server = try ServeProcess(database: "runs.db", in: dir)
        let reply = try server.get("/api/runs/\(runID)")
        #expect(reply.status == 200)
        #expect(!reply.text.contains("inf") && !reply.text.contains("NaN"))
        let run = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        let first = try #require((run["curve"] as? [[String: Any]])?.first)
        #expect(first["train_loss"] is NSNull)
        #expect(first["validation_loss"] is NSNull)
        #expect(first["train_accuracy"] is Double)
    }
}
