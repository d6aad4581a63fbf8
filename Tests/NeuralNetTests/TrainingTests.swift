import Determinism
import Dispatch
import Foundation
import Testing
@testable import NeuralNet

@Suite struct TrainingTests {
    /// One SGD update on `B` copies of a single row equals the update on the
    /// row itself, because the gradient is the batch mean (Nielsen eqs. (20)–(21)).
    /// Summing `B` equal terms and dividing by `B` is exact only up to rounding,
    /// hence the 1e-14 tolerance on O(1) weights.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func updateOnCopiesOfOneRowDoesNotDependOnBatchSize(_ seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: 100 + seed)
        let features = 1 + rng.nextIntByMultiplyShift(below: 4)
        let classes = 2 + rng.nextIntByMultiplyShift(below: 3)
        let row = (0..<features).map { _ in rng.nextGaussian() }
        let label = rng.nextIntByMultiplyShift(below: classes)
        let hp = hyperparameters {
            $0.hiddenLayers = [1 + rng.nextIntByMultiplyShift(below: 5)]
            $0.activation = Activation.allCases[Int(seed) % 3]
            $0.loss = seed % 2 == 0 ? .mse : .crossEntropy
            $0.epochs = 1
            $0.learningRate = 0.5
            $0.scaling = .none
            $0.weightDecay = seed % 2 == 0 ? 0.01 : 0
        }
        let names = (0..<classes).map { "c\($0)" }
        var reference: Model?
        for b in 1...8 {
            var h = hp
            h.batchSize = b
            let data = LabeledData(features: Matrix(rows: b, columns: features, values: Array((0..<b).map { _ in row }.joined())),
                                   labels: Array(repeating: label, count: b))
            let model = try train(h, on: data, validation: nil, classNames: names, featureNames: [], seed: 9).model
            guard let ref = reference else { reference = model; continue }
            for (w, w0) in zip(model.weights, ref.weights) {
                for (x, y) in zip(w.values, w0.values) { #expect(abs(x - y) <= 1e-14 * max(1, abs(y)), "B=\(b)") }
            }
            for (bias, b0) in zip(model.biases, ref.biases) {
                for (x, y) in zip(bias, b0) { #expect(abs(x - y) <= 1e-14 * max(1, abs(y)), "B=\(b)") }
            }
        }
        // The update did move the weights away from the (seeded) initial ones.
        var initial = hp
        initial.batchSize = 1
        let untrained = try train(hyperparameters { $0 = hp; $0.learningRate = 1e-300 }, on: LabeledData(
            features: Matrix(rows: 1, columns: features, values: row), labels: [label]),
            validation: nil, classNames: names, featureNames: [], seed: 9).model
        #expect(untrained.weights != reference!.weights)
    }

    @Test func sameSeedGivesBitIdenticalModels() throws {
        let data = threeClassData()
        let hp = hyperparameters { $0.epochs = 50; $0.hiddenLayers = [6]; $0.optimizer = .adam; $0.learningRate = 0.01 }
        let a = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: fourFeatureNames, seed: 42)
        let b = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: fourFeatureNames, seed: 42)
        let c = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: fourFeatureNames, seed: 43)
        #expect(a.model == b.model)
        #expect(a.history.map(\.trainLoss) == b.history.map(\.trainLoss))
        #expect(a.model != c.model)
        #expect(a.model.weights[0] != c.model.weights[0])
    }

    @Test func concurrentRunsMatchSerialRuns() throws {
        let data = threeClassData()
        let configs: [Hyperparameters] = (0..<8).map { i in
            hyperparameters {
                $0.epochs = 40
                $0.hiddenLayers = [4 + i % 3]
                $0.activation = Activation.allCases[i % 3]
                $0.loss = i % 2 == 0 ? .crossEntropy : .mse
                $0.optimizer = OptimizerKind.allCases[i % 3]
                $0.learningRate = i % 3 == 2 ? 0.01 : 0.1
            }
        }
        let serial = try configs.enumerated().map { i, hp in
            try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: [], seed: UInt64(i)).model
        }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var models: [Int: Model] = [:]
            func set(_ i: Int, _ m: Model) { lock.lock(); models[i] = m; lock.unlock() }
        }
        let results = Results()
        let queue = DispatchQueue(label: "runs", attributes: .concurrent)
        let group = DispatchGroup()
        // 8 runs on 4 worker threads.
        for worker in 0..<4 {
            queue.async(group: group) {
                for i in stride(from: worker, to: 8, by: 4) {
                    if let m = try? train(configs[i], on: data, validation: nil, classNames: threeClassNames,
                                          featureNames: [], seed: UInt64(i)).model {
                        results.set(i, m)
                    }
                }
            }
        }
        group.wait()
        // And concurrentPerform over all 8 at once.
        let results2 = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            if let m = try? train(configs[i], on: data, validation: nil, classNames: threeClassNames,
                                  featureNames: [], seed: UInt64(i)).model {
                results2.set(i, m)
            }
        }
        for i in 0..<8 {
            #expect(results.models[i] == serial[i], "run \(i) (4 threads)")
            #expect(results2.models[i] == serial[i], "run \(i) (concurrentPerform)")
        }
    }

    @Test func learnsXORWithOneHiddenLayer() throws {
        let data = xorData(copies: 4)
        let hp = hyperparameters {
            $0.hiddenLayers = [4]; $0.activation = .tanh; $0.loss = .crossEntropy; $0.optimizer = .adam
            $0.learningRate = 0.05; $0.batchSize = 4; $0.epochs = 500; $0.initialization = .xavier
        }
        let result = try train(hp, on: data, validation: nil, classNames: ["same", "different"], featureNames: ["a", "b"], seed: 1)
        #expect(result.model.evaluate(data) == 1.0)
        #expect(result.model.predict(xorData().features) == [0, 1, 1, 0])
        #expect(result.history.last!.trainAccuracy == 1.0)
        #expect(result.history.last!.trainLoss < 0.05)
    }

    @Test(arguments: OptimizerKind.allCases)
    func eachOptimizerLearns(_ kind: OptimizerKind) throws {
        let data = threeClassData()
        let hp = hyperparameters {
            $0.hiddenLayers = [8]; $0.loss = .crossEntropy; $0.optimizer = kind; $0.epochs = 150
            $0.learningRate = kind == .adam ? 0.01 : 0.1; $0.initialization = .normalScaled
        }
        let result = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: [], seed: 5)
        #expect(result.history.last!.trainLoss < result.history.first!.trainLoss)
        #expect(result.model.evaluate(data) >= 0.95)
    }

    @Test(arguments: WeightInit.allCases)
    func eachInitializationLearns(_ initialization: WeightInit) throws {
        let data = threeClassData()
        let hp = hyperparameters {
            $0.hiddenLayers = [8]; $0.activation = .relu; $0.loss = .crossEntropy; $0.initialization = initialization
            $0.optimizer = .momentum; $0.learningRate = 0.05; $0.epochs = 150
        }
        let result = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: [], seed: 3)
        #expect(result.model.evaluate(data) >= 0.95)
        if initialization != .normal {
            // Biases start at 0 for every scheme except N(0, 1): training data moved them.
            #expect(result.model.biases[0].contains { $0 != 0 })
        }
    }

    @Test func seedBaselineDefaultsTrain() throws {
        let data = threeClassData()
        let hp = hyperparameters { $0.epochs = 300 }
        let result = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: fourFeatureNames, seed: 0)
        #expect(result.model.layerSizes == [4, 3, 3])
        #expect(result.history.count == 300)
        #expect(result.history.map(\.epoch) == Array(1...300))
        #expect(result.model.evaluate(data) >= 0.9)
        let p = result.model.probabilities(data.features)
        #expect(p.rows == data.features.rows && p.columns == 3)
        for r in 0..<p.rows { #expect(abs(p.row(r).reduce(0, +) - 1) < 1e-12) }
    }

    @Test func earlyStoppingRestoresBestWeights() throws {
        // A large net on few noisy rows overfits: validation loss rises after a while.
        let train_ = blobs(classes: 3, features: 4, perClass: 6, spread: 2.5, seed: 1)
        let valid = blobs(classes: 3, features: 4, perClass: 30, spread: 2.5, seed: 2)
        let hp = hyperparameters {
            $0.hiddenLayers = [64, 64]; $0.activation = .relu; $0.loss = .crossEntropy; $0.optimizer = .adam
            $0.learningRate = 0.01; $0.epochs = 2000; $0.batchSize = 8; $0.initialization = .he
            $0.earlyStoppingPatience = 20
        }
        var seen: [EpochMetrics] = []
        let r = try train(hp, on: train_, validation: valid, classNames: threeClassNames, featureNames: [], seed: 4) {
            seen.append($0)
        }
        #expect(r.stoppedEarly)
        #expect(seen == r.history)
        #expect(r.history.count == r.bestEpoch + 20)
        let losses = r.history.map { $0.validationLoss! }
        #expect(losses[r.bestEpoch - 1] == losses.min())
        #expect(r.model == r.bestModel)
        // The restored model reproduces the best epoch's validation accuracy.
        #expect(r.model.evaluate(valid) == r.history[r.bestEpoch - 1].validationAccuracy)
    }

    @Test func bestModelTracksLowestLossWithoutEarlyStopping() throws {
        let data = threeClassData()
        let hp = hyperparameters { $0.epochs = 30; $0.hiddenLayers = [5]; $0.loss = .crossEntropy }
        let r = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: [], seed: 8)
        #expect(!r.stoppedEarly)
        let losses = r.history.map(\.trainLoss)
        #expect(losses[r.bestEpoch - 1] == losses.min())
        if r.bestEpoch == 30 { #expect(r.model == r.bestModel) } else { #expect(r.model != r.bestModel) }
    }

    /// With η = 1e6 and λ' = 0.01 every SGD step multiplies the weights by
    /// about `1 − ηλ' = −9999` (Nielsen eq. (93)), so they overflow to inf
    /// within a few dozen updates. (The gradients of these bounded-output
    /// costs alone only grow the weights linearly; η alone does not overflow.)
    @Test(arguments: LossFunction.allCases)
    func hugeLearningRateDivergesWithEpoch(_ loss: LossFunction) throws {
        let data = LabeledData(features: Matrix(rows: 4, columns: 2, values: [1e3, -2e3, 5e3, 1e3, -4e3, 2e3, 3e3, 3e3]),
                               labels: [0, 1, 2, 0])
        let hp = hyperparameters {
            $0.hiddenLayers = [8]; $0.activation = .relu; $0.loss = loss; $0.learningRate = 1e6
            $0.weightDecay = 0.01; $0.scaling = .none; $0.epochs = 1000; $0.batchSize = 1
        }
        var called = 0
        #expect {
            _ = try train(hp, on: data, validation: nil, classNames: ["a", "b", "c"], featureNames: [], seed: 1) { m in
                called += 1
                #expect(m.trainLoss.isFinite)
            }
        } throws: { error in
            guard case TrainingError.diverged(let epoch) = error else { return false }
            return epoch >= 1 && epoch < 1000 && called == epoch - 1
        }
    }

    @Test func invalidInputsThrow() throws {
        let data = threeClassData()
        func expectInvalid(_ key: String, _ configure: (inout Hyperparameters) -> Void) {
            let hp = hyperparameters(configure)
            #expect(throws: TrainingError.self) { try hp.validate() }
            do {
                _ = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: [], seed: 0)
                Issue.record("no error for \(key)")
            } catch TrainingError.invalidHyperparameters(let message) {
                #expect(message.hasPrefix(key), "\(message)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        expectInvalid("batch_size") { $0.batchSize = 0 }
        expectInvalid("epochs") { $0.epochs = 0 }
        expectInvalid("learning_rate") { $0.learningRate = -1 }
        expectInvalid("learning_rate") { $0.learningRate = .nan }
        expectInvalid("hidden_layers") { $0.hiddenLayers = [3, 0] }
        expectInvalid("momentum") { $0.momentum = 1 }
        expectInvalid("weight_decay") { $0.weightDecay = -0.1 }
        expectInvalid("early_stopping_patience") { $0.earlyStoppingPatience = -1 }
        #expect(throws: TrainingError.invalidHyperparameters("early_stopping_patience > 0 requires validation data")) {
            try train(hyperparameters { $0.earlyStoppingPatience = 5 }, on: data, validation: nil,
                      classNames: threeClassNames, featureNames: [], seed: 0)
        }
        #expect(TrainingError.invalidHyperparameters("batch_size must be >= 1").description.contains("batch_size"))

        #expect(throws: TrainingError.self) {
            try train(Hyperparameters(), on: LabeledData(features: data.features, labels: data.labels.map { $0 + 1 }),
                      validation: nil, classNames: threeClassNames, featureNames: [], seed: 0)
        }
        #expect(throws: TrainingError.self) {
            try train(Hyperparameters(), on: data, validation: nil, classNames: threeClassNames, featureNames: ["x"], seed: 0)
        }
        var nanData = data
        nanData.features.values[5] = .nan
        #expect(throws: TrainingError.self) {
            try train(Hyperparameters(), on: nanData, validation: nil, classNames: threeClassNames, featureNames: [], seed: 0)
        }
    }

    @Test func hyperparametersUseSnakeCaseKeysAndDefaults() throws {
        var hp = Hyperparameters()
        hp.hiddenLayers = [8, 4]; hp.loss = .crossEntropy; hp.initialization = .normalScaled
        hp.earlyStoppingPatience = 7; hp.learningRate = 0.05
        let json = try JSONEncoder().encode(hp)
        let object = try JSONSerialization.jsonObject(with: json) as! [String: Any]
        #expect(Set(object.keys) == ["hidden_layers", "activation", "loss", "init", "optimizer", "momentum",
                                     "learning_rate", "batch_size", "epochs", "weight_decay", "scaling",
                                     "early_stopping_patience", "class_weight"])
        #expect(object["loss"] as? String == "cross_entropy")
        #expect(object["init"] as? String == "normal_scaled")
        #expect(try JSONDecoder().decode(Hyperparameters.self, from: json) == hp)
        let partial = try JSONDecoder().decode(Hyperparameters.self, from: Data(#"{"batch_size": 8}"#.utf8))
        var expected = Hyperparameters()
        expected.batchSize = 8
        #expect(partial == expected)
        let defaults = Hyperparameters()
        #expect(defaults.hiddenLayers == [3] && defaults.activation == .sigmoid && defaults.loss == .mse
                && defaults.initialization == .normal && defaults.optimizer == .sgd && defaults.learningRate == 0.1
                && defaults.batchSize == 32 && defaults.epochs == 3000)
    }
}

/// A softmax output has bounded gradients, so a huge learning rate blows the loss up while
/// every number stays finite; the run must still count as diverged (field case g08: Iris,
/// unscaled, ReLU, cross-entropy, learning rate 1000).
@Test func finiteButExplodingLossCountsAsDiverged() throws {
    var hp = Hyperparameters()
    hp.hiddenLayers = [8]; hp.activation = .relu; hp.loss = .crossEntropy; hp.scaling = .none
    hp.learningRate = 1000; hp.epochs = 200
    let features = Matrix(rows: 6, columns: 2, values: [5.1, 3.5, 4.9, 3.0, 7.0, 3.2, 6.4, 3.2, 6.3, 3.3, 5.8, 2.7])
    let data = LabeledData(features: features, labels: [0, 0, 1, 1, 2, 2])
    #expect(throws: TrainingError.self) {
        _ = try train(hp, on: data, validation: nil, classNames: ["a", "b", "c"], featureNames: [], seed: 1)
    }
    hp.learningRate = 0.1
    let healthy = try train(hp, on: data, validation: nil, classNames: ["a", "b", "c"], featureNames: [], seed: 1)
    #expect(healthy.history.count == 200)
}

/// The confusion matrix's diagonal over its total is the accuracy `evaluate` reports.
@Test func confusionMatrixAgreesWithEvaluate() throws {
    var hp = Hyperparameters()
    hp.hiddenLayers = [4]; hp.loss = .crossEntropy; hp.epochs = 20
    let features = Matrix(rows: 6, columns: 2, values: [5.1, 3.5, 4.9, 3.0, 7.0, 3.2, 6.4, 3.2, 6.3, 3.3, 5.8, 2.7])
    let data = LabeledData(features: features, labels: [0, 0, 1, 1, 2, 2])
    let model = try train(hp, on: data, validation: nil, classNames: ["a", "b", "c"], featureNames: [], seed: 3).model
    let confusion = model.confusionMatrix(data)
    #expect(confusion.map { $0.reduce(0, +) } == [2, 2, 2])
    #expect(Double((0..<3).map { confusion[$0][$0] }.reduce(0, +)) / 6 == model.evaluate(data))
}

/// `Model.loss` on the training rows is the training loss the last epoch reported.
@Test(arguments: LossFunction.allCases)
func modelLossMatchesTheReportedTrainingLoss(_ loss: LossFunction) throws {
    var hp = Hyperparameters()
    hp.hiddenLayers = [4]; hp.loss = loss; hp.epochs = 15
    let features = Matrix(rows: 6, columns: 2, values: [5.1, 3.5, 4.9, 3.0, 7.0, 3.2, 6.4, 3.2, 6.3, 3.3, 5.8, 2.7])
    let data = LabeledData(features: features, labels: [0, 0, 1, 1, 2, 2])
    let result = try train(hp, on: data, validation: nil, classNames: ["a", "b", "c"], featureNames: [], seed: 5)
    let reported = result.history.last!.trainLoss
    #expect(abs(result.model.loss(data) - reported) <= 1e-12 * max(1, reported))
}

/// Balanced class weights on unbalanced, overlapping classes (90 rows against 10): the minority
/// class's rows weigh 9 times more, so the model predicts it on more rows; on balanced classes
/// every weight is exactly 1 and training is bit-identical to the unweighted one.
@Test func balancedClassWeightsFavourTheMinorityClass() throws {
    let all = blobs(classes: 2, features: 2, perClass: 90, spread: 1.5, seed: 3)
    let rows = Array(0..<90) + Array(90..<100)
    let unbalanced = LabeledData(features: Matrix(rows: rows.count, columns: 2, values: rows.flatMap { r in (0..<2).map { all.features.values[r * 2 + $0] } }),
                                 labels: rows.map { all.labels[$0] })
    func minorityPredictions(_ weighting: ClassWeighting, _ data: LabeledData) throws -> (count: Int, model: Model) {
        let hp = hyperparameters { $0.hiddenLayers = []; $0.loss = .crossEntropy; $0.epochs = 200; $0.classWeight = weighting }
        let model = try train(hp, on: data, validation: nil, classNames: ["major", "minor"], featureNames: [], seed: 1).model
        return (model.predict(data.features).filter { $0 == 1 }.count, model)
    }
    let plain = try minorityPredictions(.none, unbalanced).count, weighted = try minorityPredictions(.balanced, unbalanced).count
    #expect(weighted > plain)
    let even = blobs(classes: 2, features: 2, perClass: 20, seed: 4)
    #expect(try minorityPredictions(.balanced, even).model == minorityPredictions(.none, even).model)
}
