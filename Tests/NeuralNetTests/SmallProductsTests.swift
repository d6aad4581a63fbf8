import Determinism
import Testing
@testable import NeuralNet

/// ``SmallProducts`` against plain scalar loops that sum in the documented order: equal bit for
/// bit on small layers of every width up to the limit (widths that are not multiples of 4
/// included), and within rounding of the same sums on layers above it (OpenBLAS).
@Suite struct SmallProductsTests {
    struct Shape: CustomStringConvertible {
        var rows, nIn, nOut: Int
        var description: String { "\(rows) rows, \(nIn) -> \(nOut)" }
    }

    /// Random shapes: every width from 1 to the limit, and a few above it.
    static func shapes() -> [Shape] {
        var rng = Xoshiro256StarStar(seed: 18)
        var shapes = (1...SmallProducts.limit).map { width in
            Shape(rows: 1 + rng.nextIntByMultiplyShift(below: 40), nIn: width,
                  nOut: 1 + rng.nextIntByMultiplyShift(below: SmallProducts.limit))
        }
        shapes += [Shape(rows: 5, nIn: 33, nOut: 3), Shape(rows: 7, nIn: 4, nOut: 64), Shape(rows: 3, nIn: 64, nOut: 128)]
        return shapes
    }

    func values(_ count: Int, _ rng: inout Xoshiro256StarStar) -> [Double] {
        (0..<count).map { _ in rng.nextGaussian() }
    }

    /// Equal bits below the limit; above it, OpenBLAS's sums within 1e-12 relative.
    func expectMatch(_ got: [Double], _ want: [Double], _ shape: Shape) {
        if SmallProducts.isSmall(shape.nIn, shape.nOut) {
            #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(shape)")
        } else {
            let worst = zip(got, want).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(worst < 1e-12, "\(shape)")
        }
    }

    @Test(arguments: shapes()) func forwardAddsEachRowTimesEachWeightRow(shape: Shape) {
        var rng = Xoshiro256StarStar(seed: UInt64(shape.rows * 1000 + shape.nIn * 40 + shape.nOut))
        let (rows, nIn, nOut) = (shape.rows, shape.nIn, shape.nOut)
        let a = values(rows * nIn, &rng), w = values(nOut * nIn, &rng), bias = values(rows * nOut, &rng)
        var want = bias
        for r in 0..<rows {
            for j in 0..<nOut {
                var sum = 0.0
                for k in 0..<nIn { sum += a[r * nIn + k] * w[j * nIn + k] }
                want[r * nOut + j] += sum
            }
        }
        var z = bias
        var scratch = [Double](repeating: .nan, count: SmallProducts.scratchCount(sizes: [nIn, nOut], capacity: rows) + 1)
        SmallProducts.forward(rows: rows, nIn: nIn, nOut: nOut, a: a, w: w, z: &z, scratch: &scratch)
        expectMatch(z, want, shape)
    }

    @Test(arguments: shapes()) func backwardMultipliesTheErrorsByTheWeights(shape: Shape) {
        var rng = Xoshiro256StarStar(seed: UInt64(shape.rows * 1000 + shape.nIn * 40 + shape.nOut) + 1)
        let (rows, nIn, nOut) = (shape.rows, shape.nIn, shape.nOut)
        let delta = values(rows * nOut, &rng), w = values(nOut * nIn, &rng)
        var want = [Double](repeating: 0, count: rows * nIn)
        for r in 0..<rows {
            for k in 0..<nIn {
                var sum = 0.0
                for j in 0..<nOut { sum += delta[r * nOut + j] * w[j * nIn + k] }
                want[r * nIn + k] = sum
            }
        }
        var d = [Double](repeating: .nan, count: rows * nIn)
        var scratch = [Double](repeating: .nan, count: SmallProducts.scratchCount(sizes: [nIn, nOut], capacity: rows) + 1)
        SmallProducts.backward(rows: rows, nIn: nIn, nOut: nOut, delta: delta, w: w, d: &d, scratch: &scratch)
        expectMatch(d, want, shape)
    }

    @Test(arguments: shapes()) func weightGradientSumsOverTheRowsInOrder(shape: Shape) {
        var rng = Xoshiro256StarStar(seed: UInt64(shape.rows * 1000 + shape.nIn * 40 + shape.nOut) + 2)
        let (rows, nIn, nOut) = (shape.rows, shape.nIn, shape.nOut)
        let delta = values(rows * nOut, &rng), a = values(rows * nIn, &rng)
        let alpha = 1 / Double(rows)
        var want = [Double](repeating: 0, count: nOut * nIn)
        for j in 0..<nOut {
            for k in 0..<nIn {
                var sum = 0.0
                for r in 0..<rows { sum += delta[r * nOut + j] * a[r * nIn + k] }
                want[j * nIn + k] = alpha * sum
            }
        }
        var g = [Double](repeating: .nan, count: nOut * nIn)
        var scratch = [Double](repeating: .nan, count: SmallProducts.scratchCount(sizes: [nIn, nOut], capacity: rows) + 1)
        SmallProducts.weightGradient(rows: rows, nIn: nIn, nOut: nOut, alpha: alpha, delta: delta, a: a, g: &g, scratch: &scratch)
        expectMatch(g, want, shape)
    }

    /// The scratch a network's products need covers its widest small layer and its batch; none
    /// when every layer is above the limit.
    @Test func scratchCoversPackedOperands() {
        #expect(SmallProducts.scratchCount(sizes: [4, 8, 3], capacity: 16) == 16 * 8)
        #expect(SmallProducts.scratchCount(sizes: [4, 8, 3], capacity: 1) == 4 * 8)
        #expect(SmallProducts.scratchCount(sizes: [64, 128, 10], capacity: 32) == 0)
    }
}
