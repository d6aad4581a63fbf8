import Foundation
import Testing
@testable import Report

// Reference values from SciPy 1.17 (scipy.stats.beta.ppf, binom.sf, binomtest, t.sf and
// scipy.special.betainc), printed to 16 digits.

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

@Test func clopperPearsonMatchesTheBetaQuantiles() throws {
    // 29 of 30: the shipped Iris sweep's test score.
    let interval = try #require(AccuracyInference.clopperPearson(correct: 29, total: 30))
    #expect(close(interval.lower, 0.8278305443665873, 1e-12))
    #expect(close(interval.upper, 0.9991564290733694, 1e-12))
    let wide = try #require(AccuracyInference.clopperPearson(correct: 147, total: 150))
    #expect(close(wide.lower, 0.9426657777117942) && close(wide.upper, 0.9958563747187794))
}

@Test(arguments: [1, 2, 30, 150, 1000])
func clopperPearsonEdgesAreExactAndInsideTheUnitInterval(total: Int) throws {
    let none = try #require(AccuracyInference.clopperPearson(correct: 0, total: total))
    let all = try #require(AccuracyInference.clopperPearson(correct: total, total: total))
    // 0 of n: [0, 1 − (α/2)^(1/n)]; n of n: [(α/2)^(1/n), 1].
    let edge = pow(0.025, 1 / Double(total))
    #expect(none.lower == 0 && close(none.upper, 1 - edge, 1e-12))
    #expect(all.upper == 1 && close(all.lower, edge, 1e-12))
    for correct in 0...total {
        let interval = try #require(AccuracyInference.clopperPearson(correct: correct, total: total))
        let estimate = Double(correct) / Double(total)
        #expect(interval.lower >= 0 && interval.upper <= 1 && interval.lower <= estimate && estimate <= interval.upper)
    }
    #expect(AccuracyInference.clopperPearson(correct: 0, total: 0) == nil)
}

@Test func wilsonIntervalForTwentyNineOfThirty() throws {
    let interval = try #require(AccuracyInference.wilson95(correct: 29, total: 30))
    #expect(close(interval.lower, 0.8332960900859082, 1e-12) && close(interval.upper, 0.9940914096183874, 1e-12))
    let all = try #require(AccuracyInference.wilson95(correct: 30, total: 30))
    #expect(abs(all.upper - 1) < 1e-12 && all.lower > 0.88)
}

@Test func twentyNineOfThirtyIsWhatATrue96Point1ScoresTwoThirdsOfTheTime() {
    let p = AccuracyInference.probabilityOfAtLeast(correct: 29, total: 30, accuracy: 0.961)
    #expect(close(p, 0.672297803115523, 1e-12))
    #expect(AccuracyInference.probabilityOfAtLeast(correct: 0, total: 30, accuracy: 0.961) == 1)
    #expect(close(AccuracyInference.probabilityOfAtLeast(correct: 30, total: 30, accuracy: 0.961), pow(0.961, 30), 1e-14))
}

@Test func mcNemarExactIsTheTwoSidedBinomialTestOfDiscordantRows() {
    #expect(close(AccuracyInference.mcNemarExact(onlyFirst: 1, onlySecond: 6), 0.125))
    #expect(close(AccuracyInference.mcNemarExact(onlyFirst: 6, onlySecond: 1), 0.125))
    #expect(AccuracyInference.mcNemarExact(onlyFirst: 0, onlySecond: 0) == 1)
    #expect(AccuracyInference.mcNemarExact(onlyFirst: 10, onlySecond: 10) == 1)
    // 0 vs 10: 2 · 0.5^10.
    #expect(close(AccuracyInference.mcNemarExact(onlyFirst: 0, onlySecond: 10), 2 * pow(0.5, 10)))
}

@Test func correctedResampledTTestMatchesNadeauAndBengio() throws {
    let d = [0.02, 0.0, 0.05, -0.01, 0.03, 0.0, 0.02, 0.04, 0.01, 0.0]
    let result = try #require(AccuracyInference.correctedResampledTTest(differences: d, testRows: 15, trainingRows: 135))
    #expect(close(result.meanDifference, 0.016))
    #expect(close(result.t, 1.7811745055830561, 1e-12))
    #expect(close(result.p, 0.10857463558051836, 1e-10))
    let zero = try #require(AccuracyInference.correctedResampledTTest(differences: [0, 0, 0], testRows: 1, trainingRows: 9))
    #expect(zero.p == 1)
    #expect(AccuracyInference.correctedResampledTTest(differences: [0.1], testRows: 1, trainingRows: 9) == nil)
}

@Test func incompleteBetaAndStudentT() {
    #expect(close(SpecialFunctions.regularizedIncompleteBeta(0.3, a: 2.5, b: 7.5), 0.6789434858661821, 1e-12))
    #expect(close(SpecialFunctions.regularizedIncompleteBeta(0.999, a: 500, b: 0.5), 0.31731044730971725, 1e-10))
    #expect(close(SpecialFunctions.studentTTwoSided(2.262157163, degreesOfFreedom: 9), 0.05, 1e-9))
    // Property: I_x(a, b) + I_{1−x}(b, a) = 1.
    for x in stride(from: 0.05, through: 0.95, by: 0.15) {
        for (a, b) in [(0.5, 0.5), (2.0, 9.0), (30.0, 1.0), (120.0, 40.0)] {
            let sum = SpecialFunctions.regularizedIncompleteBeta(x, a: a, b: b) + SpecialFunctions.regularizedIncompleteBeta(1 - x, a: b, b: a)
            #expect(close(sum, 1, 1e-12))
        }
    }
}
