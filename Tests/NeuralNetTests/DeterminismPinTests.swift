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

/// Training results are stored forever: these runs must give the same bits in every version.
@Suite struct DeterminismPinTests {
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
            (try runFingerprint({ _ in }, seed: 1), 0xAD7E_B0DB_2638_A06C),
            (try runFingerprint({ $0.optimizer = .adam; $0.learningRate = 0.01; $0.loss = .crossEntropy }, seed: 2), 0x2F4B_46D4_0AD6_1167),
            (try runFingerprint({ $0.initialization = .xavier; $0.activation = .relu; $0.optimizer = .momentum }, seed: 3), 0xC0F3_8F6E_181A_F54C),
            (try runFingerprint({ $0.initialization = .he; $0.activation = .tanh }, seed: 4), 0xF044_798C_D2CB_4714),
        ]
        for (index, run) in runs.enumerated() {
            #expect(run.0 == run.1, "run \(index): 0x\(String(run.0, radix: 16))")
        }
    }
}

/// Outputs of the training generator, from an independent implementation of xoshiro256**,
/// SplitMix64 seeding and Lemire's bounded integers.
@Suite struct TrainingGeneratorPinTests {
    @Test func firstOutputs() {
        var zero = Xoshiro256StarStar(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
        var answer = Xoshiro256StarStar(seed: 42)
        #expect([answer.next(), answer.next(), answer.next()] == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
    }

    @Test func boundedIntegersByMultiplyShift() {
        let bounds = [1, 2, 3, 7, 10, 1000, 6_000_000_000_000_000_000, 6_000_000_000_000_000_000, 6_000_000_000_000_000_000]
        let expected: [UInt64: [Int]] = [
            0: [0, 1, 0, 2, 7, 999, 2533269142951893809, 3213929197604167030, 5133102910109263716],
            1: [0, 1, 1, 2, 6, 143, 426271296415274022, 2287106680143706156, 5202914908611602617],
            42: [0, 0, 2, 6, 9, 769, 4315551467267493975, 5100050663465836508, 4568246286034580646],
            2024: [0, 1, 0, 1, 7, 244, 2366014734021598646, 1542043563773322363, 3340711503018918657],
        ]
        for (seed, values) in expected {
            var random = Xoshiro256StarStar(seed: seed)
            #expect(bounds.map { random.nextInt(below: $0) } == values, "seed \(seed)")
        }
        // 1000 draws, with rejections, folded into one number; then the next raw output.
        var random = Xoshiro256StarStar(seed: 7)
        var digest: UInt64 = 0
        for _ in 0..<1000 { digest = digest &* 31 &+ UInt64(random.nextInt(below: 3_500_000_000_000_000_000)) }
        #expect(digest == 0x8D0A_22A2_3298_F1FA)
        #expect(random.next() == 0x6FBD_6CBA_39BC_33D8)
        var small = Xoshiro256StarStar(seed: 7)
        digest = 0
        for _ in 0..<1000 { digest = digest &* 31 &+ UInt64(small.nextInt(below: 7)) }
        #expect(digest == 0x409E_F8F3_E56A_401D)
    }

    @Test func uniformGaussianAndShuffle() {
        let expected: [(UInt64, uniform: [Double], gaussian: [UInt64], shuffled: [Int])] = [
            (0, [0x1.33d8be6d96ebep-1, 0x1.7edc3ef092ac8p-1], [0xBF93_6B8E_F9B1_343E, 0xBFD9_D691_0322_7BC6], [7, 8, 3, 1, 5, 4, 2, 0, 9, 6]),
            (1, [0x1.67e55eda1f8e2p-1, 0x1.0a76ab2c8e6c9p-1], [0xBFF8_B93B_94E8_CC62, 0xBFF0_37E6_9664_D113], [3, 6, 1, 5, 0, 9, 2, 8, 4, 7]),
            (42, [0x1.5780b2e0c2ec0p-4, 0x1.84136619b444ep-2], [0xBFD3_68A9_7C38_507C, 0x3FF5_8040_C37F_1762], [9, 1, 4, 2, 8, 7, 6, 5, 3, 0]),
            (2024, [0x1.c90e2b427aee0p-5, 0x1.906fe7dd14f42p-1], [0x3FB1_611F_C691_2463, 0x3FCA_9968_8BD5_582B], [2, 3, 8, 5, 6, 4, 1, 9, 7, 0]),
        ]
        for c in expected {
            var uniform = Xoshiro256StarStar(seed: c.0)
            #expect([uniform.nextUniform(), uniform.nextUniform()] == c.uniform, "seed \(c.0)")
            var gaussian = Xoshiro256StarStar(seed: c.0)
            #expect([gaussian.nextGaussian().bitPattern, gaussian.nextGaussian().bitPattern] == c.gaussian, "seed \(c.0)")
            var shuffler = Xoshiro256StarStar(seed: c.0)
            var items = Array(0..<10)
            shuffler.shuffle(&items)
            #expect(items == c.shuffled, "seed \(c.0)")
        }
    }
}
