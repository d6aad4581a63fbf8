import Determinism
import Foundation
import Testing
import TestSupport
@testable import NeuralNet

/// ``VectorExp`` against `Foundation.exp`: relative error below 1e-15 where `e^x` is normal,
/// within one subnormal unit below that, and the edges exactly.
@Suite struct VectorExpTests {
    /// Largest relative error over `points` uniform draws from `range`, four lanes at a time.
    func worstRelativeError(_ range: ClosedRange<Double>, points: Int, seed: UInt64) -> (error: Double, x: Double) {
        var rng = Xoshiro256StarStar(seed: seed)
        var worst = (error: 0.0, x: 0.0)
        for _ in 0..<(points / 4) {
            var x = SIMD4<Double>()
            for lane in 0..<4 { x[lane] = range.lowerBound + (range.upperBound - range.lowerBound) * rng.nextUniform() }
            let e = VectorExp.exp(x)
            for lane in 0..<4 {
                let exact = Foundation.exp(x[lane])
                let error = Swift.abs(e[lane] - exact) / exact
                if error > worst.error { worst = (error, x[lane]) }
            }
        }
        return worst
    }

    /// 10⁷ points: the range where `e^x` is a normal number, and the range activations and
    /// softmax mostly see.
    @Test(.tags(.slow), .skippedWhenFast) func tenMillionPointsWithinOneInTenToTheFifteen() {
        let wide = worstRelativeError(-708.39...709.78, points: 5_000_000, seed: 1)
        let narrow = worstRelativeError(-40...40, points: 5_000_000, seed: 2)
        #expect(wide.error < 1e-15, "worst at x = \(wide.x)")
        #expect(narrow.error < 1e-15, "worst at x = \(narrow.x)")
    }

    @Test func aHundredThousandPointsWithinOneInTenToTheFifteen() {
        #expect(worstRelativeError(-708.39...709.78, points: 100_000, seed: 3).error < 1e-15)
        #expect(worstRelativeError(-1...1, points: 100_000, seed: 4).error < 1e-15)
    }

    @Test func edgesMatchFoundation() {
        let edges: [Double] = [0, -0.0, 0.5 * Foundation.log(2), -0.5 * Foundation.log(2), 709.78, 709.782712893384,
                               709.79, 710, 1e308, .infinity, -708.4, -745.13, -745.14, -745.2, -1e308, -.infinity,
                               .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        for x in edges {
            #expect(VectorExp.exp(x) == Foundation.exp(x), "x = \(x)")
        }
        #expect(VectorExp.exp(Double.nan).isNaN)
        #expect(VectorExp.exp(SIMD4(1, .nan, -1, 2))[1].isNaN)
    }

    /// Results that are subnormal numbers are within one unit of the smallest subnormal.
    @Test func subnormalResultsWithinOneUnit() {
        var x = -745.13
        while x < -708.4 {
            #expect(Swift.abs(VectorExp.exp(x) - Foundation.exp(x)) <= Double.leastNonzeroMagnitude, "x = \(x)")
            x += 0.0137
        }
    }

    /// The array form gives each element the bits of the one-value form, tail included.
    @Test func arrayFormMatchesOneValueForm() {
        let x = (0..<11).map { Double($0) * 0.7 - 3 }
        var out = [Double](repeating: 0, count: x.count)
        out.withUnsafeMutableBufferPointer { VectorExp.apply(x, $0.baseAddress!, count: x.count) }
        #expect(out == x.map { VectorExp.exp($0) })
        var inPlace = x
        inPlace.withUnsafeMutableBufferPointer { VectorExp.apply($0.baseAddress!, $0.baseAddress!, count: x.count) }
        #expect(inPlace == out)
    }
}
