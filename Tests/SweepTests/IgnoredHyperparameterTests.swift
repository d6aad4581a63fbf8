import Determinism
import Foundation
import Testing
import TestSupport
@testable import NeuralNet
@testable import Sweep
@testable import Tracker

/// Cells that differ only in a hyperparameter their configuration ignores (the schema's
/// `appliesWhen`) are one cell: trained once, the ignored value stored at its default.
@Suite struct IgnoredHyperparameterTests {
    @Test func momentumTimesOptimizerTrainsEachDistinctConfigurationOnce() throws {
        let text = gridText(name: "momentum", seeds: [1, 2],
                            grid: #"{"optimizer": ["sgd", "momentum", "adam"], "momentum": [0.5, 0.8, 0.9], "epochs": [5]}"#)
        let parsed = try grid(text)
        // sgd and adam ignore momentum: 1 + 3 + 1 configurations, not 9.
        #expect(parsed.configurations.count == 5)
        #expect(parsed.configurations.collapsed == 4)
        #expect(parsed.notes == ["8 cells differ only in ignored hyperparameters (momentum only with optimizer momentum): "
                                 + "trained once, the ignored value stored at its default"])
        let optimizers = parsed.configurations.map { "\($0["optimizer"]!) \($0["momentum"]!)" }
        #expect(optimizers == ["sgd 0.9", "momentum 0.5", "momentum 0.8", "momentum 0.9", "adam 0.9"])
        // The ignored momentum is at its default, so the configuration hashes as a grid
        // without a momentum list does.
        let plain = try grid(gridText(name: "plain", seeds: [1], grid: #"{"optimizer": ["sgd"], "epochs": [5]}"#))
        #expect(try canonicalJSON(parsed.configurations[0]) == canonicalJSON(plain.configurations[0]))

        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        let (prepared, summary) = try runSweep(parsed, db: db, jobs: 2)
        #expect(prepared.cellCount == 10 && summary.complete && summary.trained == 10)
        let store = try RunStore(path: db)
        #expect(try store.connection.scalar("SELECT COUNT(DISTINCT config_sha256) FROM runs")?.int == 5)
        #expect(try store.connection.scalar("""
            SELECT COUNT(*) FROM params p JOIN runs r USING (run_id)
            WHERE p.name = 'momentum' AND p.value_text = '0.9' AND json_extract(r.config, '$.optimizer') != 'momentum'
            """)?.int == 4)
    }

    @Test func activationWithoutHiddenLayersIsIgnored() throws {
        let parsed = try grid(gridText(name: "layers", seeds: [1],
                                       grid: #"{"hidden_layers": [[], [4]], "activation": ["relu", "tanh", "sigmoid"]}"#))
        #expect(parsed.configurations.count == 4)
        #expect(parsed.configurations.map { "\($0["hidden_layers"]!) \($0["activation"]!)" }
                == ["[] sigmoid", "[4] relu", "[4] tanh", "[4] sigmoid"])
        #expect(parsed.notes.first?.hasPrefix("2 cells differ only in ignored hyperparameters (activation only with at least one hidden layer)") == true)
    }

    /// Across grid objects, a configuration another object already has (once normalized) is
    /// kept at its first place only.
    @Test func objectsThatOverlapOnceNormalizedKeepTheFirst() throws {
        let parsed = try grid(gridText(name: "objects", seeds: [1], grid: """
            [{"optimizer": ["adam"], "momentum": [0.5]}, {"optimizer": ["adam", "momentum"]}]
            """))
        #expect(parsed.configurations.map { "\($0["optimizer"]!) \($0["momentum"]!)" } == ["adam 0.9", "momentum 0.9"])
        #expect(parsed.configurations.includes(HyperparameterSchema.current.normalized(["optimizer": .text("sgd")])) == false)
        #expect(parsed.configurations.includes(HyperparameterSchema.current.normalized(["optimizer": .text("adam")])))
    }

    /// Whether a key applies depends only on keys that always apply, so resetting an ignored
    /// key to its default never changes whether another applies (``ConfigurationList`` relies on it).
    @Test func applicabilityDependsOnlyOnKeysThatAlwaysApply() {
        let schema = HyperparameterSchema.current
        for p in schema.hyperparameters {
            guard let key = p.appliesWhen.key else { continue }
            #expect(schema[key]?.appliesWhen == .always, "\(p.name) depends on \(key)")
        }
    }
}
