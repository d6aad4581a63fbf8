import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

/// A database made by exp 0.1.0 (schema version 2), loaded from `Fixtures/runs-v2.sql`, the
/// `sqlite3 .dump` of a small iris sweep: finished, failed and diverged runs with params, epoch
/// metrics and weights. Opening it with this version must migrate it and change no stored value.
@Suite struct VersionTwoDatabaseTests {
    @Test func aVersionTwoDatabaseOpensAndEveryStoredValueReadsBackUnchanged() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        try loadVersionTwoDatabase(into: path)
        let old = try Connection(path: path, readOnly: true)
        let versionTwoTables = Array(RunStore.tables.prefix { $0 != "selections" })
        let columns = try Dictionary(uniqueKeysWithValues: versionTwoTables.map { table in
            (table, try old.query("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid") { s in try s.required(s.string, "name") })
        })
        func rows(_ db: Connection, _ table: String) throws -> [[SQLValue]] {
            try db.query("SELECT \(columns[table]!.joined(separator: ", ")) FROM \(table) ORDER BY 1, 2") { s in
                (0..<s.columnCount).map { s.value($0) }
            }
        }
        let stored = try Dictionary(uniqueKeysWithValues: versionTwoTables.map { table in (table, try rows(old, table)) })
        #expect(stored["runs"]?.count == 8)
        #expect(stored["params"]?.count == 96)
        #expect(stored["epoch_metrics"]?.count == 24)
        #expect(stored["weights"]?.count == 8)

        let store = try RunStore(path: path)
        #expect(store.backupPath != nil)
        #expect(try store.connection.userVersion == Migrations.latestVersion)
        for table in versionTwoTables {
            #expect(try rows(store.connection, table) == stored[table]!, "\(table) changed")
        }
        // Version 4's run identity: every earlier run is a search run of repeat 0, outer fold 0.
        #expect(try store.connection.query("SELECT DISTINCT repeat, outer_fold, phase FROM runs") { s in
            "\(try s.int("repeat")!)/\(try s.int("outer_fold")!)/\(try s.string("phase")!)"
        } == ["0/0/search"])
        #expect(try store.connection.query("SELECT DISTINCT repeat, outer_fold FROM splits") { s in
            "\(try s.int("repeat")!)/\(try s.int("outer_fold")!)"
        } == ["0/0"])
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM selections")?.int == 0)

        // Configurations and their hashes, as exp 0.1.0 stored them.
        let configs = try store.connection.query("SELECT run_id, config, config_sha256 FROM runs ORDER BY run_id") { s in
            (try s.required(s.id, "run_id"), try s.required(s.string, "config"), try s.required(s.string, "config_sha256"))
        }
        for (runID, config, hash) in configs { #expect(sha256Hex(config) == hash, "run \(runID)") }
        #expect(configs.map(\.2) == [
            "b34fa6afefc7a580e788295017647911c20806338d784e528fb72337021476ec",
            "b34fa6afefc7a580e788295017647911c20806338d784e528fb72337021476ec",
            "4d7c1d5bf2d95550d1bccebf8ebde2b094dd84aa3ceae9c3038c14429a8a16ae",
            "4d7c1d5bf2d95550d1bccebf8ebde2b094dd84aa3ceae9c3038c14429a8a16ae",
            "a4856441ebcc498f770f26da0bbb6ea6bb7c5c4664857dfbfa732ec2f7c85a90",
            "a4856441ebcc498f770f26da0bbb6ea6bb7c5c4664857dfbfa732ec2f7c85a90",
            "ae12922f396344e086c130bb12bc8d4c95cda957fc0f44130cfbf7698a968a17",
            "ae12922f396344e086c130bb12bc8d4c95cda957fc0f44130cfbf7698a968a17",
        ])
        #expect(configs[2].1 == #"{"activation":"tanh","batch_size":16,"early_stopping_patience":0,"epochs":6,"hidden_layers":[4],"#
            + #""init":"normal","learning_rate":0.5,"loss":"cross_entropy","momentum":0.9,"optimizer":"sgd","scaling":"standard","#
            + #""weight_decay":0}"#)

        // Weights: the bytes, their stored sha256 and size, and what the store hands out.
        let weights = try store.connection.query("SELECT run_id, kind, sha256, size_bytes, data FROM weights") { s in
            (try s.required(s.id, "run_id"), try s.required(s.string, "kind"), try s.required(s.string, "sha256"),
             try s.required(s.int, "size_bytes"), try s.required(s.bytes, "data"))
        }
        for (runID, kind, hash, size, data) in weights {
            #expect(sha256Hex(Data(data)) == hash, "run \(runID) \(kind)")
            #expect(data.count == size)
            #expect(try store.weights(runID: runID, kind: kind) == Data(data))
        }
        #expect(weights.first { $0.0 == 1 && $0.1 == "final" }?.2 == "8ce2b062fd61785b77da9f2a802055046e078fd0e9000d2a1a74b0940ea47a3e")

        // Metrics through the typed queries equal the stored columns.
        let detail = try #require(try store.runDetail(id: 3))
        #expect(detail.curve.count == 6)
        let metrics = stored["epoch_metrics"]!.filter { $0[0] == .integer(3) }
        #expect(detail.curve.map { SQLValue.of($0.validationLoss) } == metrics.map { $0[4] })
        #expect(detail.curve.map { SQLValue.of($0.trainAccuracy) } == metrics.map { $0[3] })
        #expect(detail.summary.first { $0.name == "validation_accuracy" }?.value == .real(0.9))
        let summaries = try store.runSummaries()
        #expect(summaries.map(\.status) == [.finished, .finished, .finished, .finished, .failed, .failed, .diverged, .diverged])

        // The leaderboard of the upgraded file ranks by the current rule.
        let sweepID = try #require(try store.sweepOverview(named: "fixture-v2")?.sweepID)
        let board = try store.leaderboard(sweepID: sweepID)
        #expect(board.count == 4)
        #expect(board.first?.configSHA256 == "4d7c1d5bf2d95550d1bccebf8ebde2b094dd84aa3ceae9c3038c14429a8a16ae")
        #expect(board.first?.validationLossMean != nil)
        #expect(try store.integrityReport().isSound)

        // Version 6's metrics and benchmark are left NULL, never filled in; ranked by one of
        // them, the board keeps every configuration, none with the metric.
        for column in RankingMetric.added.flatMap({ [$0.validationColumn, $0.testColumn] }) {
            #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE \(column) IS NOT NULL")?.int == 0, "\(column)")
        }
        #expect(try store.sweep(named: "fixture-v2")?.benchmark == nil)
        let byLogLoss = try store.leaderboard(sweepID: sweepID, metric: .logLoss)
        #expect(byLogLoss.count == 4)
        #expect(byLogLoss.allSatisfy { $0.validationMean(.logLoss) == nil && $0.validationMean(.accuracy) == $0.validationAccuracyMean })
        #expect(try store.bestConfiguration(sweepID: sweepID, metric: .logLoss) == nil)
        #expect(summaries.allSatisfy { $0.validationMetrics.isEmpty && $0.testMetrics.isEmpty })
    }
}
