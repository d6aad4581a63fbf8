import Foundation
import NeuralNet
import Testing
@testable import Sweep

/// Grids built from values (`exp train`) are checked as grid files are, with typed problems.
@Suite struct ValueGridTests {
    let holdout = EvaluationProtocol(testFraction: 0.2, validationFraction: 0.2, folds: nil, splitSeed: 0)

    @Test func valuesAreCheckedAgainstTheSchema() {
        do {
            _ = try GridFile(name: "one", datasetURL: fixture("data/iris.data"), evaluation: holdout, seeds: [1],
                             configurations: [["momentum": .number(1), "epochs": .integer(0), "depth": .integer(2)]],
                             text: "{}", url: URL(fileURLWithPath: "train"))
            Issue.record("accepted")
        } catch let error as GridError {
            #expect(error.problems.map(\.path) == ["grid.depth", "grid.epochs", "grid.momentum"])
            #expect(error.problems.map(\.message).last == "must be in [0, 1), found 1")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func defaultsAreFilledAndTheProtocolIsChecked() throws {
        let grid = try GridFile(name: "one", datasetURL: fixture("data/iris.data"), evaluation: holdout, seeds: [1],
                                configurations: [["epochs": .integer(5)]], text: "{}", url: URL(fileURLWithPath: "train"))
        #expect(grid.configurations.count == 1)
        #expect(grid.configurations[0]["epochs"] == .integer(5))
        #expect(grid.configurations[0]["learning_rate"] == .number(0.1))
        let bad = EvaluationProtocol(testFraction: 0.6, validationFraction: 0.5, folds: nil, splitSeed: -1)
        #expect(bad.problems.map(\.key) == [nil, "split_seed"])
        #expect(throws: GridError.self) {
            try GridFile(name: " ", datasetURL: fixture("data/iris.data"), evaluation: holdout, seeds: [],
                         configurations: [[:]], text: "{}", url: URL(fileURLWithPath: "train"))
        }
    }

    /// `exp train --config`: one value per key, problems by key with their line.
    @Test func oneConfigurationFromJSON() throws {
        let values = try GridFile.configuration(fromJSON: #"{"hidden_layers": [16, 8], "learning_rate": 0.05}"#, file: "c.json")
        #expect(values == ["hidden_layers": .integers([16, 8]), "learning_rate": .number(0.05)])
        do {
            _ = try GridFile.configuration(fromJSON: "{\n\"epochs\": \"5\",\n\"momentum\": 1.0,\n\"depth\": 2}", file: "c.json")
            Issue.record("accepted")
        } catch let error as GridError {
            #expect(error.description == """
                c.json: line 2, column 11: epochs: expected an integer, found the string "5"
                c.json: line 3, column 13: momentum: must be in [0, 1), found 1
                c.json: line 4, column 1: depth: unknown key "depth"; valid keys: \(HyperparameterSchema.current.names.joined(separator: ", "))
                """)
        }
    }
}
