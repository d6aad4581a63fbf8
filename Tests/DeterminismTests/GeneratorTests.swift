import Testing
@testable import Determinism

/// Outputs of the generator, pinned: stored training results depend on the multiply-shift
/// bounded integers, stored splits on the modulo ones. The expected values come from an
/// independent implementation of SplitMix64, xoshiro256** and both bounded-integer methods.
@Suite struct GeneratorTests {
    @Test func randomGeneratorMatchesReferenceValues() {
        // SplitMix64 from seed 0, as published by its authors.
        var splitMix = SplitMix64(seed: 0)
        #expect(splitMix.next() == 0xE220_A839_7B1D_CDAF)
        #expect(splitMix.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(splitMix.next() == 0x06C4_5D18_8009_454F)
        // xoshiro256** seeded by SplitMix64(42), and a Fisher-Yates shuffle, from an independent implementation.
        var random = Xoshiro256StarStar(seed: 42)
        #expect([random.next(), random.next(), random.next()] == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
        var shuffled = Array(0..<10)
        var seeded = Xoshiro256StarStar(seed: 1)
        seeded.shuffle(&shuffled, by: .modulo)
        #expect(shuffled == [3, 8, 0, 9, 2, 5, 6, 4, 1, 7])
    }

    @Test func moduloIsInRangeAndCoversIt() {
        var random = Xoshiro256StarStar(seed: 9)
        var seen = Set<UInt64>()
        for _ in 0..<1000 {
            let value = random.nextIntByModulo(below: 7)
            #expect(value < 7)
            seen.insert(value)
        }
        #expect(seen.count == 7)
    }

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
            #expect(bounds.map { random.nextIntByMultiplyShift(below: $0) } == values, "seed \(seed)")
        }
        // 1000 draws, with rejections, folded into one number; then the next raw output.
        var random = Xoshiro256StarStar(seed: 7)
        var digest: UInt64 = 0
        for _ in 0..<1000 { digest = digest &* 31 &+ UInt64(random.nextIntByMultiplyShift(below: 3_500_000_000_000_000_000)) }
        #expect(digest == 0x8D0A_22A2_3298_F1FA)
        #expect(random.next() == 0x6FBD_6CBA_39BC_33D8)
        var small = Xoshiro256StarStar(seed: 7)
        digest = 0
        for _ in 0..<1000 { digest = digest &* 31 &+ UInt64(small.nextIntByMultiplyShift(below: 7)) }
        #expect(digest == 0x409E_F8F3_E56A_401D)
    }

    @Test func uniformGaussianAndShuffleByMultiplyShift() {
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
            shuffler.shuffle(&items, by: .multiplyShift)
            #expect(items == c.shuffled, "seed \(c.0)")
        }
    }
}

extension GeneratorTests {
    @Test func boundedIntegersByModulo() {
        let huge: UInt64 = (1 << 63) + 1
        let bounds: [UInt64] = [1, 2, 3, 7, 10, 1000, huge, huge, huge]
        let expected: [UInt64: [UInt64]] = [
            0: [0, 0, 1, 3, 7, 498, 7788427924976520344, 2108416074180405844, 1240209487116192693],
            1: [0, 0, 2, 6, 1, 162, 1310552918490157286, 7031611932980406429, 1484150211974036615],
            42: [0, 0, 2, 4, 6, 584, 5362058279183681893, 5928998142081247042, 1712965807924549849],
            2024: [0, 1, 2, 1, 3, 397, 7274211378853734312, 4740947161906248556, 934651160063433124],
        ]
        for (seed, values) in expected {
            var random = Xoshiro256StarStar(seed: seed)
            #expect(bounds.map { random.nextIntByModulo(below: $0) } == values, "seed \(seed)")
        }
        // 1000 draws, about half of them rejected, folded into one number; then the next raw output.
        var random = Xoshiro256StarStar(seed: 7)
        var digest: UInt64 = 0
        for _ in 0..<1000 { digest = digest &* 31 &+ random.nextIntByModulo(below: huge) }
        #expect(digest == 0x020F_1366_08B2_7A13)
        #expect(random.next() == 0x3803_AB96_14E1_7B4E)
        var small = Xoshiro256StarStar(seed: 7)
        digest = 0
        for _ in 0..<1000 { digest = digest &* 31 &+ small.nextIntByModulo(below: 7) }
        #expect(digest == 0x7A45_23B2_BB46_A990)
    }

    @Test func shuffleByModulo() {
        let expected: [UInt64: [Int]] = [0: [4, 2, 1, 7, 5, 6, 3, 9, 8, 0], 1: [3, 8, 0, 9, 2, 5, 6, 4, 1, 7],
                                         42: [7, 3, 8, 9, 5, 6, 4, 1, 0, 2], 2024: [5, 4, 6, 0, 2, 9, 7, 1, 3, 8]]
        for (seed, shuffled) in expected {
            var random = Xoshiro256StarStar(seed: seed)
            var items = Array(0..<10)
            random.shuffle(&items, by: .modulo)
            #expect(items == shuffled, "seed \(seed)")
        }
    }
}
