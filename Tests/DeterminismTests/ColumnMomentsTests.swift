import Determinism
import Testing

/// The one mean and standard deviation of the scaler and `exp data show`.
@Suite struct ColumnMomentsTests {
    let petalLength: [Double] = [1.4, 1.4, 1.3, 4.7, 4.5, 4.9, 6.0, 5.1, 5.9]

    @Test func ordinaryColumnsGetThePlainTwoPassFormulaBitForBit() {
        let n = Double(petalLength.count)
        let mean = petalLength.reduce(0, +) / n
        let sd = (petalLength.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
        let moments = ColumnMoments(petalLength)
        // Dividing by 4 (the power of two below 6.0) is exact, so the sums are the plain ones.
        #expect(moments.mean == mean)
        #expect(moments.standardDeviation == sd)
        #expect(moments.largestMagnitude == 6.0)
    }

    @Test(arguments: [-1000, -300, -1, 1, 300, 1000])
    func scalingByAPowerOfTwoScalesTheMomentsExactly(k: Int) {
        let factor = Double(sign: .plus, exponent: k, significand: 1)
        let scaled = ColumnMoments(petalLength.map { $0 * factor })
        let plain = ColumnMoments(petalLength)
        #expect(scaled.mean == plain.mean * factor)
        #expect(scaled.standardDeviation == plain.standardDeviation * factor)
    }

    @Test func hugeAndTinyColumnsNeitherOverflowNorUnderflow() {
        let plain = ColumnMoments(petalLength)
        for factor in [1e300, 1e-300, 1e200] {
            let moments = ColumnMoments(petalLength.map { $0 * factor })
            #expect(abs(moments.standardDeviation / factor - plain.standardDeviation) / plain.standardDeviation < 1e-12)
            #expect(abs(moments.mean / factor - plain.mean) / plain.mean < 1e-12)
        }
        #expect(ColumnMoments([Double]()) == ColumnMoments([0, 0]))
        #expect(ColumnMoments([0, 0]).standardDeviation == 0)
        #expect(ColumnMoments([1, .infinity]).mean.isNaN)
    }
}
