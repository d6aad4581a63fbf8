import Determinism
import Foundation
import Testing
import TestSupport
@testable import NeuralNet
@testable import Sweep
import Tracker

/// A stored configuration must hash the same in every later version: `config_sha256` is a
/// cell's identity in every `runs.db` ever written. The golden files under `Fixtures/golden`
/// hold, for every configuration a grid expands into (in cell order), the line
/// `sha256  canonical-json` as the first version that stored them wrote it.
@Suite struct ConfigurationIdentityTests {
    static let repository = repositoryRoot

    /// The shipped grids, `numbers.json`, a grid of awkward numbers (1e-05, 1e+20, -0.0,
    /// 5e-324, 1e+15, ...), the widest layers and the largest batch, and `iris-normal-init.json`,
    /// the shipped Iris grid as it was before its SGD cells got a scaled init: the
    /// configurations it stored keep their hashes though the shipped grid no longer lists them.
    static let grids = ["iris", "bezdek_iris", "wine", "breast_cancer", "digits", "numbers", "iris-normal-init"]

    static func gridURL(_ name: String) -> URL {
        ["numbers", "iris-normal-init"].contains(name) ? fixture("golden/\(name).json") : repository.appendingPathComponent("Data/grids/\(name).json")
    }

    static func golden(_ name: String) throws -> [(sha256: String, json: String)] {
        let text = try String(contentsOf: fixture("golden/\(name).txt"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            return (String(parts[0]), String(parts[1]))
        }
    }

    /// Every golden line still reads back to the same canonical JSON and hash. Configurations
    /// that differ from another only in a hyperparameter they do not use are now one
    /// configuration with that hyperparameter at its default (breast_cancer's activations
    /// without a hidden layer; `numbers`' momentum values under `sgd`): the grid expands into
    /// the golden lines that are normalized, in their order, and for a shipped grid into
    /// nothing else.
    @Test(arguments: grids)
    func canonicalJSONAndHashAreUnchanged(_ name: String) throws {
        let golden = try Self.golden(name)
        for line in golden {
            let configuration = try GridFile.configuration(fromJSON: line.json, file: name)
            #expect(try canonicalJSON(configuration) == line.json)
            #expect(sha256Hex(line.json) == line.sha256)
        }
        let normalized = try golden.filter { line in
            try canonicalJSON(HyperparameterSchema.current.normalized(GridFile.configuration(fromJSON: line.json, file: name))) == line.json
        }
        let configurations = try GridFile.load(Self.gridURL(name)).configurations
        let expanded = try configurations.map { try canonicalJSON($0) }
        let goldenJSON = Set(golden.map(\.json))
        #expect(expanded.filter(goldenJSON.contains) == normalized.map(\.json))
        if name != "numbers" {
            #expect(expanded.count == normalized.count)
            #expect(golden.count - normalized.count == configurations.collapsed)
        }
    }

    /// The seed baseline, written out in full, so the golden files cannot drift with the code.
    @Test func seedBaselineHashIsLiteral() throws {
        let baseline = #"{"activation":"sigmoid","batch_size":32,"early_stopping_patience":0,"epochs":3000,"hidden_layers":[3],"init":"normal","learning_rate":0.1,"loss":"mse","momentum":0.9,"optimizer":"sgd","scaling":"standard","weight_decay":0}"#
        let first = try #require(try GridFile.load(Self.gridURL("iris")).configurations.first)
        #expect(try canonicalJSON(first) == baseline)
        #expect(sha256Hex(baseline) == "aaeb5cae115e4e4978ddaa2ea2ac973c0d828dd8279c59728a255a61896ca56c")
        for name in Self.grids { #expect(try Self.golden(name).count >= 24, "\(name)") }
    }
}

/// Canonical JSON escapes what needs escaping: a name holding `"`, `\` or `/` reads back as
/// written (the text was once concatenated without escaping).
@Test func canonicalJSONEscapesNames() throws {
    let configuration: [String: GridValue] = ["na\"me\\": .text("a \"quoted\" \\ back/slash"), "layers": .integers([16, 8]),
                                              "rate": .number(0.1), "epochs": .integer(3)]
    let json = try canonicalJSON(configuration)
    #expect(json == #"{"epochs":3,"layers":[16,8],"na\"me\\":"a \"quoted\" \\ back/slash","rate":0.1}"#)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(object["na\"me\\"] as? String == "a \"quoted\" \\ back/slash")
    #expect(object["rate"] as? Double == 0.1)
}

/// A key added after schema version 2 is left out of the canonical JSON while it holds its
/// default, so configurations stored before it existed keep their hash.
@Test func canonicalJSONOmitsLaterKeysAtTheirDefault() throws {
    let beta1 = Hyperparameter("beta1", .number(lower: 0, lowerOpen: false, upper: 1, upperOpen: true), help: "Adam β1.",
                               appliesWhen: .when(key: "optimizer", is: "adam"), since: 3) { _ in .number(0.9) }
    let future = HyperparameterSchema(HyperparameterSchema.current.hyperparameters + [beta1])
    let baseline = HyperparameterSchema.current.defaults
    #expect(try canonicalJSON(future.normalized(baseline), schema: future) == canonicalJSON(baseline))
    var adam = baseline
    adam["optimizer"] = .text("adam")
    adam["beta1"] = .number(0.8)
    #expect(try canonicalJSON(future.normalized(adam), schema: future).contains(#""beta1":0.8"#))
}

/// `class_weight` (schema version 3) is in the canonical JSON only when it is `balanced`: the
/// seed baseline written with every key of the current schema keeps its literal hash.
@Test func classWeightIsOmittedAtItsDefault() throws {
    let schema = HyperparameterSchema.current
    #expect(schema["class_weight"]?.sinceSchemaVersion == 3)
    let defaults = schema.normalized([:])
    #expect(defaults["class_weight"] == .text("none"))
    let json = try canonicalJSON(defaults)
    #expect(!json.contains("class_weight"))
    #expect(sha256Hex(json) == "aaeb5cae115e4e4978ddaa2ea2ac973c0d828dd8279c59728a255a61896ca56c")
    var balanced = defaults
    balanced["class_weight"] = .text("balanced")
    let weighted = try canonicalJSON(schema.normalized(balanced))
    #expect(weighted.contains(#""class_weight":"balanced""#))
    #expect(try hyperparameters(fromConfig: weighted).classWeight == .balanced)
    #expect(try hyperparameters(fromConfig: json).classWeight == ClassWeighting.none)
}
