import Foundation
import Testing
@testable import NeuralNet

/// FNV-1a (64-bit) over the bit patterns of `values`: a compact fingerprint for pinning results.
func fingerprint(_ values: [Double]) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for value in values {
        var bits = value.bitPattern
        for _ in 0..<8 {
            hash = (hash ^ (bits & 0xFF)) &* 0x0000_0100_0000_01B3
            bits >>= 8
        }
    }
    return hash
}

/// Training results are stored forever: these runs must give the same bits in every build of a
/// version. The pins change only with a deliberate change of the numerics, written down in
/// docs/model.md ("Determinism"): last, the small layers' own products (SmallProducts) of issue 18.
@Suite struct TrainingPinTests {
    /// Every weight and bias of a model, then every epoch's training loss.
    func runFingerprint(_ configure: (inout Hyperparameters) -> Void, seed: UInt64) throws -> UInt64 {
        let hp = hyperparameters { $0.epochs = 8; $0.hiddenLayers = [5]; $0.batchSize = 16; configure(&$0) }
        let result = try train(hp, on: threeClassData(), validation: nil, classNames: threeClassNames,
                               featureNames: fourFeatureNames, seed: seed)
        let parameters = result.model.weights.flatMap(\.values) + result.model.biases.flatMap { $0 }
        return fingerprint(parameters + result.history.map(\.trainLoss))
    }

    @Test func tinyTrainingRunsArePinned() throws {
        let runs: [(UInt64, UInt64)] = [
            (try runFingerprint({ _ in }, seed: 1), 0x923C_247F_821C_5B86),
            (try runFingerprint({ $0.optimizer = .adam; $0.learningRate = 0.01; $0.loss = .crossEntropy }, seed: 2), 0xA076_5E13_4276_7C58),
            (try runFingerprint({ $0.initialization = .xavier; $0.activation = .relu; $0.optimizer = .momentum }, seed: 3), 0xA96C_E447_C4C9_7789),
            (try runFingerprint({ $0.initialization = .he; $0.activation = .tanh }, seed: 4), 0x2C17_F6EB_C31E_3678),
        ]
        for (index, run) in runs.enumerated() {
            #expect(run.0 == run.1, "run \(index): 0x\(String(run.0, radix: 16))")
        }
    }
}
