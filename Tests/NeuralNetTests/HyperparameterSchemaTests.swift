import Foundation
import Testing
@testable import NeuralNet

@Suite struct HyperparameterSchemaTests {
    let schema = HyperparameterSchema.current

    @Test func namesAreTheCodingKeysInOrder() {
        #expect(schema.names == Hyperparameters.CodingKeys.allCases.map(\.rawValue))
    }

    /// Defaults come from `Hyperparameters()`, and agree with its JSON form.
    @Test func defaultsAreTheSeedBaseline() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Hyperparameters())) as! [String: Any]
        #expect(Set(json.keys) == Set(schema.names))
        #expect(schema.defaults["hidden_layers"] == .integers([3]))
        #expect(schema.defaults["momentum"] == .number(0.9))
        #expect(schema.defaults["epochs"] == .integer(3000))
        #expect(schema.defaults["init"] == .text("normal"))
        for p in schema.hyperparameters { #expect(p.problem(with: p.defaultValue) == nil, "\(p.name)") }
    }

    @Test func rangesAreWrittenOnce() {
        #expect(schema["momentum"]?.allowedText == "in [0, 1)")
        #expect(schema["learning_rate"]?.allowedText == "finite and > 0")
        #expect(schema["weight_decay"]?.allowedText == "finite and >= 0")
        #expect(schema["epochs"]?.allowedText == "from 1 to 10000000")
        #expect(schema["hidden_layers"]?.allowedText == "from 1 to 100000")
        #expect(schema["activation"]?.allowedText == "sigmoid, tanh, relu")
        #expect(schema["momentum"]?.problem(with: .number(1)) == "must be in [0, 1), found 1")
        #expect(schema["momentum"]?.problem(with: .integer(0)) == nil)
        #expect(schema["momentum"]?.problem(with: .text("0.5")) == "expected a number, found 0.5")
        #expect(schema["hidden_layers"]?.problem(with: .integers([3, 0])) == "widths must be from 1 to 100000, found 0")
    }

    /// The trainer refuses what the grid check refuses, with the same words, including the upper
    /// bounds that once lived only in the grid check.
    @Test func validateReadsTheSchema() {
        func message(_ configure: (inout Hyperparameters) -> Void) -> String? {
            var hp = Hyperparameters()
            configure(&hp)
            do { try hp.validate(); return nil } catch TrainingError.invalidHyperparameters(let m) { return m } catch { return "\(error)" }
        }
        #expect(message { $0.momentum = 1 } == "momentum must be in [0, 1), found 1")
        #expect(message { $0.momentum = .nan } == "momentum must be in [0, 1), found nan")
        #expect(message { $0.epochs = 10_000_001 } == "epochs must be from 1 to 10000000, found 10000001")
        #expect(message { $0.hiddenLayers = [100_001] } == "hidden_layers widths must be from 1 to 100000, found 100001")
        #expect(message { $0.momentum = 0.999 } == nil)
        var patient = Hyperparameters()
        patient.earlyStoppingPatience = 3
        #expect(throws: TrainingError.invalidHyperparameters("early_stopping_patience > 0 requires validation data")) {
            try patient.validate(hasValidationRows: false)
        }
        #expect(throws: Never.self) { try patient.validate(hasValidationRows: true) }
    }

    @Test func applicability() {
        var configuration = schema.defaults
        #expect(schema["momentum"]?.appliesWhen.holds(in: configuration) == false)
        configuration["optimizer"] = .text("momentum")
        #expect(schema["momentum"]?.appliesWhen.holds(in: configuration) == true)
        #expect(schema["activation"]?.appliesWhen.holds(in: configuration) == true)
        configuration["hidden_layers"] = .integers([])
        #expect(schema["activation"]?.appliesWhen.holds(in: configuration) == false)
        #expect(schema["learning_rate"]?.appliesWhen.holds(in: configuration) == true)
    }

    @Test func helpNamesRangeDefaultAndWhen() {
        #expect(schema.help(for: "momentum") == "Momentum coefficient (only with optimizer momentum; in [0, 1); default 0.9).")
        #expect(schema.help(for: "epochs") == "Passes over the training rows (from 1 to 10000000; default 3000).")
    }

    /// A key added after schema version 2 (a hypothetical Adam β1 here) is left out of the
    /// identity while it holds its default, and set to its default where it does not apply.
    @Test func keysAddedLaterAreOmittedAtTheirDefault() {
        let beta1 = Hyperparameter("beta1", .number(lower: 0, lowerOpen: false, upper: 1, upperOpen: true), help: "Adam β1.",
                                   appliesWhen: .when(key: "optimizer", is: "adam"), since: 3) { _ in .number(0.9) }
        let future = HyperparameterSchema(schema.hyperparameters + [beta1])
        // The keys of version 2 (class_weight, of version 3, is left out at its default too).
        let today = schema.defaults.filter { schema[$0.key]!.sinceSchemaVersion <= HyperparameterSchema.identityVersion }
        #expect(today["class_weight"] == nil && today.count == 12)
        #expect(future.identity(of: future.normalized(today)) == today)
        var adam = today
        adam["optimizer"] = .text("adam")
        adam["beta1"] = .number(0.8)
        #expect(future.identity(of: future.normalized(adam)) == adam)
        var sgd = adam
        sgd["optimizer"] = .text("sgd")
        #expect(future.normalized(sgd)["beta1"] == .number(0.9))
        #expect(future.identity(of: future.normalized(sgd))["beta1"] == nil)
        // Keys of version 2 stay in the identity at their defaults; where they do not apply
        // they are set to their defaults, so configurations that train the same are one.
        #expect(schema.identity(of: today) == today)
        var ignored = today
        ignored["momentum"] = .number(0.5)
        #expect(schema.normalized(ignored) == today.merging(["class_weight": .text("none")]) { $1 })
        ignored["optimizer"] = .text("momentum")
        #expect(schema.normalized(ignored)["momentum"] == .number(0.5))
    }
}
