import Testing
@testable import Report

/// The baseline and the parameter columns come from the hyperparameter schema.
@Suite struct BaselineTests {
    @Test func baselineIsTheSchemaDefaults() {
        #expect(Baseline.parameters.map(\.name) == ["hidden_layers", "activation", "loss", "init", "optimizer", "learning_rate",
                                                    "batch_size", "epochs", "weight_decay", "scaling", "early_stopping_patience", "class_weight"])
        #expect(Baseline.parameters.map(\.value) == ["[3]", "sigmoid", "mse", "normal", "sgd", "0.1", "32", "3000", "0", "standard", "0", "none"])
        let stored = Dictionary(uniqueKeysWithValues: Baseline.parameters.map { ($0.name, $0.value) })
        #expect(Baseline.matches(stored))
        #expect(Baseline.matches(stored.merging(["momentum": "0.5", "learning_rate": "0.10"]) { $1 }))
        #expect(!Baseline.matches(stored.merging(["weight_decay": "0.001"]) { $1 }))
        #expect(!Baseline.matches(stored.merging(["scaling": "none"]) { $1 }))
    }

    @Test func parameterColumnsFollowTheSchema() {
        #expect(ParameterSummary.ordered(["zeta", "early_stopping_patience", "momentum", "alpha", "hidden_layers"])
                == ["hidden_layers", "momentum", "early_stopping_patience", "alpha", "zeta"])
    }
}
