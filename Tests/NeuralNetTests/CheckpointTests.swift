import Foundation
import Testing
@testable import NeuralNet

/// A run trained 10 epochs, then continued 20 more from its checkpoint (stored and read back
/// as a stored run's would be), equals bit for bit the run trained 30 epochs in one go.
@Suite struct CheckpointTests {
    struct Case: CustomStringConvertible, Sendable {
        var optimizer: OptimizerKind
        var weightDecay: Double
        var batchSize: Int
        var description: String { "\(optimizer.rawValue) decay \(weightDecay) batch \(batchSize)" }
    }

    /// 96 training rows: batch 32 divides them, 25 and 7 leave a shorter last batch.
    static let cases: [Case] = OptimizerKind.allCases.flatMap { optimizer in
        [0.0, 1e-3].flatMap { decay in [32, 25, 7].map { Case(optimizer: optimizer, weightDecay: decay, batchSize: $0) } }
    }

    static let training = blobs(classes: 3, features: 4, perClass: 32, spread: 1.5, seed: 3)
    static let validation = blobs(classes: 3, features: 4, perClass: 10, spread: 1.5, seed: 4)

    func hp(_ c: Case, epochs: Int) -> Hyperparameters {
        hyperparameters {
            $0.hiddenLayers = [5]
            $0.optimizer = c.optimizer
            $0.weightDecay = c.weightDecay
            $0.batchSize = c.batchSize
            $0.learningRate = c.optimizer == .adam ? 0.01 : 0.3
            $0.epochs = epochs
        }
    }

    func run(_ hp: Hyperparameters, from checkpoint: TrainingCheckpoint? = nil) throws -> TrainingResult {
        try train(hp, on: Self.training, validation: Self.validation, classNames: threeClassNames,
                  featureNames: fourFeatureNames, seed: 11, resumingFrom: checkpoint)
    }

    /// The history without wall-clock times.
    func curve(_ history: [EpochMetrics]) -> [EpochMetrics] {
        history.map { var m = $0; m.elapsedSeconds = 0; return m }
    }

    @Test(arguments: cases)
    func tenThenTwentyEqualsThirty(_ c: Case) throws {
        let whole = try run(hp(c, epochs: 30))
        let first = try run(hp(c, epochs: 10))
        let saved = try #require(first.checkpoint)
        // Stored as the run store keeps it: weights as safetensors, the rest as its own bytes.
        let stored = TrainingCheckpoint(model: try Model(safetensors: saved.model.safetensors()),
                                        bestModel: try Model(safetensors: saved.bestModel.safetensors()),
                                        state: try TrainingState(serialized: saved.state.serialized()))
        #expect(stored == saved)
        let rest = try run(hp(c, epochs: 30), from: stored)

        #expect(rest.history.map(\.epoch) == Array(11...30))
        #expect(curve(first.history + rest.history) == curve(whole.history))
        #expect(rest.model == whole.model)
        #expect(rest.bestModel == whole.bestModel)
        #expect(rest.bestEpoch == whole.bestEpoch)
        #expect(rest.state.sameTrajectory(as: whole.state))
        #expect(rest.state.optimizerSteps == 30 * ((96 + c.batchSize - 1) / c.batchSize))
        #expect(rest.history.first!.elapsedSeconds >= first.history.last!.elapsedSeconds)
    }

    @Test func momentsAreStoredForTheOptimizersThatHaveThem() throws {
        let adam = try run(hp(Case(optimizer: .adam, weightDecay: 0, batchSize: 32), epochs: 2)).state
        #expect(adam.optimizerFirstMoment.contains { $0 != 0 })
        #expect(adam.optimizerSecondMoment.contains { $0 != 0 })
        let momentum = try run(hp(Case(optimizer: .momentum, weightDecay: 0, batchSize: 32), epochs: 2)).state
        #expect(momentum.optimizerFirstMoment.contains { $0 != 0 })
        #expect(momentum.optimizerSecondMoment.allSatisfy { $0 == 0 })
        #expect(momentum.optimizerSteps == 6)
    }

    @Test func refusesACheckpointItCannotContinue() throws {
        let c = Case(optimizer: .sgd, weightDecay: 0, batchSize: 32)
        let saved = try #require(try run(hp(c, epochs: 5)).checkpoint)
        #expect(throws: TrainingError.invalidHyperparameters("epochs (5) must exceed the checkpoint's epoch (5)")) {
            try run(hp(c, epochs: 5), from: saved)
        }
        var wider = hp(c, epochs: 8)
        wider.hiddenLayers = [6]
        #expect(throws: TrainingError.invalidData("checkpoint: layer sizes [4, 5, 3], the run has [4, 6, 3]")) {
            try run(wider, from: saved)
        }
        var other = saved
        other.model.scaler.shift[0] += 1
        #expect(throws: TrainingError.invalidData("checkpoint: another scaler: not fitted on these training rows")) {
            try run(hp(c, epochs: 8), from: other)
        }
    }

    @Test func aRunStoppedEarlyHasNoCheckpoint() throws {
        var h = hp(Case(optimizer: .adam, weightDecay: 0, batchSize: 32), epochs: 400)
        h.learningRate = 0.1
        h.earlyStoppingPatience = 2
        let result = try run(h)
        #expect(result.stoppedEarly)
        #expect(result.checkpoint == nil)
    }

    @Test func serializedStateIsCheckedWhenRead() throws {
        let state = try run(hp(Case(optimizer: .adam, weightDecay: 0, batchSize: 32), epochs: 1)).state
        let bytes = state.serialized()
        #expect(bytes.count == 8 * (1 + 6 + 4 + 3 + 2 * state.optimizerFirstMoment.count + 96))
        #expect(state.rowOrder.sorted() == Array(0..<96))
        #expect(try TrainingState(serialized: bytes) == state)
        #expect(throws: TrainingError.self) { try TrainingState(serialized: bytes.dropLast(8)) }
        #expect(throws: TrainingError.self) { try TrainingState(serialized: bytes + Data([0])) }
        #expect(throws: TrainingError.self) { try TrainingState(serialized: Data("EXPTRST2".utf8) + bytes.dropFirst(8)) }
    }
}
