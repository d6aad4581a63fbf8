import Foundation
import Testing
@testable import Report

/// Chart coordinates are printed to a tenth, as `String(format: "%.1f")` prints them, without
/// a trailing `.0`.
@Suite struct ChartNumberTests {
    /// The printing the charts used before the integer one.
    private func formatted(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    @Test func printsWhatFormatPrintsForEveryKindOfValue() {
        var generator = SystemRandomNumberGenerator()
        let edges: [Double] = [0, -0.0, 0.04, -0.04, 0.05, -0.05, 0.95, -0.95, 1.25, -1.25, 9.95, 99.99, -123.45,
                               1e6 + 0.05, .nan, .infinity, -.infinity, .leastNonzeroMagnitude]
        let random = (0..<100_000).map { _ in Double.random(in: -2_000...2_000, using: &generator) }
        for value in edges + random {
            #expect(SVGChart.n(value) == formatted(value), "\(value)")
        }
        #expect(SVGChart.n(-0.3) == "-0.3")
        #expect(SVGChart.n(12.0) == "12")
    }
}
