import Foundation
import Scoring
import Testing
import Tracker
@testable import Report

/// `P(X ≤ k)` for `X ~ Binomial(n, p)`, summed term by term in logs: a check independent of
/// the report's own incomplete-beta route.
private func lowerTail(_ k: Int, _ n: Int, _ p: Double) -> Double {
    (0...k).reduce(0) { sum, i in
        let log = lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1))
            + Double(i) * Foundation.log(p) + Double(n - i) * Foundation.log1p(-p)
        return sum + exp(log)
    }
}

/// A nested sweep whose refitted choices get 144 of 150 outer test rows right in each of 3
/// repeats, scored by 2 seeds each: the README's 432/450.
private let iris = Benchmark(testAccuracy: 0.961, source: "the seed network on Iris")

private func nestedReport() -> SweepReport {
    var byRepeat: [Int: OuterRows] = [:]
    for r in 0..<3 {
        var rows = OuterRows()
        for _ in 0..<2 {
            let probabilities = (0..<150).flatMap { row in row < 144 ? [0.9, 0.05, 0.05] : [0.05, 0.9, 0.05] }
            rows.chosen.add(indices: Array(0..<150), labels: Array(repeating: 0, count: 150), probabilities: probabilities, classes: 3)
        }
        byRepeat[r] = rows
    }
    let dataset = DatasetInfo(id: 1, name: "iris", version: 1, rows: 150, features: 4, classes: 3, featureNames: ["a", "b", "c", "d"],
                              classNames: ["x", "y", "z"])
    let info = SweepInfo(id: 1, name: "iris-nested", createdAt: "", protocolJSON: #"{"inner_folds":5,"outer_folds":10,"repeats":3}"#,
                         dataset: dataset, statusCounts: [("finished", 10)], testRowCounts: [0])
    let row = LeaderboardRow(rank: 1, configSHA256: "abc", config: "{}", parameters: [:], runs: 10, finishedRuns: 10, divergedRuns: 0,
                             failedRuns: 0, pendingRuns: 0, validationAccuracyMean: 0.97, validationAccuracyStd: 0.01,
                             testAccuracyMean: nil, bestEpochMean: nil, durationSecondsMean: nil, isBaseline: false)
    var report = SweepReport(info: info, rows: [row], parameters: ParameterSummary(varying: [], constant: [], values: [:]), curves: [],
                             dots: [], confusion: nil, slug: "iris-nested", outer: OuterEstimate(byRepeat, choices: []))
    report.benchmark = iris
    return report
}

@Test func theSummaryGivesANestedSweepsOuterEstimateAndTheRowsBehindIt() throws {
    let report = nestedReport()
    let text = ReportText()
    let cells = Dictionary(uniqueKeysWithValues: text.summaryColumns().map { ($0.header, $0.cell(report)) })
    // Clopper–Pearson 95% for 432 of 450: [93.8, 97.6]% (as the README's nested table).
    #expect(cells["Outer estimate (95% CI)"] == "96.0% [93.8, 97.6]%")
    #expect(cells["Outer test rows right"] == "432/450 (150 rows × 3 repeats)")
    #expect(cells["Test rows right (95% CI)"] == "–")
    #expect(report.ensemble == nil)  // the outer estimate already combines the refitted choices
}

@Test func theOuterEstimatesVerdictSaysHowLikelyTheBenchmarksAccuracyScoresAsWell() throws {
    // 432/450 = 96.0% is just below 96.1%: how often does such a classifier score this or worse?
    let p = lowerTail(432, 450, 0.961)
    #expect(p > 0.4 && p < 0.7)
    let lines = ReportText().verdict(nestedReport())
    let expected = "432/450 is consistent with a true accuracy of 96.1%: a classifier whose true accuracy is exactly 96.1% "
        + "scores 432/450 or worse with probability p = \(String(format: "%.2f", p))."
    #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
    #expect(lines.firstIndex { $0.hasPrefix("Outer estimate") }! + 1 == lines.firstIndex { $0.hasPrefix(expected) }!)
    // 400 of 450 against 96.1% is far below: said so, not "consistent" (P(X ≥ 400) would be 1.00).
    #expect(ReportText().benchmarkReading(correct: 400, rows: 450, benchmark: iris)
        .hasPrefix("400/450 would be unusual for a true accuracy of 96.1%: a classifier whose true accuracy is exactly 96.1% scores 400/450 or worse with probability p < 0.001."))
    // 29/30 is above it: the chance of that or better, as the issue's 0.67.
    #expect(ReportText().benchmarkReading(correct: 29, rows: 30, benchmark: iris)
        .hasPrefix("29/30 is consistent with a true accuracy of 96.1%: a classifier whose true accuracy is exactly 96.1% scores 29/30 or better with probability p = 0.67."))
}
