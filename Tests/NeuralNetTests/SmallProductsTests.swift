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
        /// Gaussian operands of `counts` values each, drawn from a generator seeded by the shape and `salt`.
        func operands(salt: UInt64, _ counts: Int...) -> [[Double]] {
            var rng = Xoshiro256StarStar(seed: UInt64(rows * 1000 + nIn * 40 + nOut) + salt)
            return counts.map { count in (0..<count).map { _ in rng.nextGaussian() } }
        }
        /// The products' work space, NaN where they must write before they read, and one value
        /// past its end that they must leave alone (``expectNotOverrun(_:)``).
        func scratch() -> [Double] {
            [Double](repeating: .nan, count: SmallProducts.scratchCount(sizes: [nIn, nOut], capacity: rows) + 1)
        }
        func expectNotOverrun(_ scratch: [Double]) {
            #expect(scratch.last!.isNaN, "\(self): the scratch was written past its end")
        }
    }

    /// Random shapes: every input width and every unit width from 1 to the limit, and a few above it.
    static func shapes() -> [Shape] {
        var rng = Xoshiro256StarStar(seed: 18)
        func width() -> Int { 1 + rng.nextIntByMultiplyShift(below: SmallProducts.limit) }
        var shapes: [Shape] = []
        for w in 1...SmallProducts.limit {
            shapes.append(Shape(rows: 1 + rng.nextIntByMultiplyShift(below: 40), nIn: w, nOut: width()))
            shapes.append(Shape(rows: 1 + rng.nextIntByMultiplyShift(below: 40), nIn: width(), nOut: w))
        }
        shapes += [Shape(rows: 5, nIn: 33, nOut: 3), Shape(rows: 7, nIn: 4, nOut: 64), Shape(rows: 3, nIn: 64, nOut: 128)]
        return shapes
    }

    /// `Σ_i term(i)` for `i` in `0..<count`, from zero in ascending order: the documented order.
    func inOrder(_ count: Int, _ term: (Int) -> Double) -> Double {
        var sum = 0.0
        for i in 0..<count { sum += term(i) }
        return sum
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

    /// The forward pass (`Z + A Wᵀ`) and BP2 (`Δ W`): the two products with the weights.
    @Test(arguments: shapes()) func productsWithTheWeightsSumInOrder(shape: Shape) {
        let (rows, nIn, nOut) = (shape.rows, shape.nIn, shape.nOut)
        let x = shape.operands(salt: 0, rows * nIn, nOut * nIn, rows * nOut, rows * nOut)
        let (a, w, bias, delta) = (x[0], x[1], x[2], x[3])
        var scratch = shape.scratch()

        var z = bias
        SmallProducts.forward(rows: rows, nIn: nIn, nOut: nOut, a: a, w: w, z: &z, scratch: &scratch)
        expectMatch(z, (0..<(rows * nOut)).map { i in
            let (r, j) = i.quotientAndRemainder(dividingBy: nOut)
            return bias[i] + inOrder(nIn) { a[r * nIn + $0] * w[j * nIn + $0] }
        }, shape)

        var d = [Double](repeating: .nan, count: rows * nIn)
        SmallProducts.backward(rows: rows, nIn: nIn, nOut: nOut, delta: delta, w: w, d: &d, scratch: &scratch)
        expectMatch(d, (0..<(rows * nIn)).map { i in
            let (r, k) = i.quotientAndRemainder(dividingBy: nIn)
            return inOrder(nOut) { delta[r * nOut + $0] * w[$0 * nIn + k] }
        }, shape)
        shape.expectNotOverrun(scratch)
    }

    @Test(arguments: shapes()) func weightGradientSumsOverTheRowsInOrder(shape: Shape) {
        let (rows, nIn, nOut) = (shape.rows, shape.nIn, shape.nOut)
        let x = shape.operands(salt: 1, rows * nOut, rows * nIn), (delta, a) = (x[0], x[1])
        let alpha = 1 / Double(rows)
        let want = (0..<(nOut * nIn)).map { i in
            let (j, k) = i.quotientAndRemainder(dividingBy: nIn)
            return alpha * inOrder(rows) { delta[$0 * nOut + j] * a[$0 * nIn + k] }
        }
        var g = [Double](repeating: .nan, count: nOut * nIn)
        var scratch = shape.scratch()
        SmallProducts.weightGradient(rows: rows, nIn: nIn, nOut: nOut, alpha: alpha, delta: delta, a: a, g: &g, scratch: &scratch)
        expectMatch(g, want, shape)
        shape.expectNotOverrun(scratch)
    }

    /// The scratch a network's products need covers its widest small layer and its batch; none
    /// when every layer is above the limit.
    @Test func scratchCoversPackedOperands() {
        #expect(SmallProducts.scratchCount(sizes: [4, 8, 3], capacity: 16) == 16 * 8)
        #expect(SmallProducts.scratchCount(sizes: [4, 8, 3], capacity: 1) == 4 * 8)
        #expect(SmallProducts.scratchCount(sizes: [64, 128, 10], capacity: 32) == 0)
    }
}
