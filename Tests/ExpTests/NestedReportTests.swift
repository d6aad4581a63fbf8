import Foundation
import Testing
import TestSupport

/// The report of a nested sweep leads with the outer estimate: the same count the sweep's summary
/// gives (one seed, so one model per outer test row), each outer fold's choice, and the paired
/// comparisons with the reference and the baseline on the same outer rows.
@Test(.tags(.slow), .skippedWhenFast) func nestedReportLeadsWithTheOuterEstimate() throws {
    let dir = temporaryDirectory()
    let grid = dir.appendingPathComponent("nested.json")
    try """
        {"name": "nested", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1],
         "protocol": {"outer_folds": 3, "inner_folds": 2}, "grid": {"epochs": [3000, 200]}}
        """.write(to: grid, atomically: true, encoding: .utf8)
    let sweep = try exp(["sweep", grid.path, "--db", "runs.db"], in: dir)
    #expect(sweep.status == 0, "\(sweep.stderr)")
    // `outer estimate (...): 141 of 150 test rows right (94.00%), pooled over 3 refit runs on 150 distinct test rows`
    let summary = try #require(sweep.stdout.split(separator: "\n").first { $0.hasPrefix("outer estimate") })
    let correct = try #require(summary.split(separator: ":").last?.split(separator: " ").first.flatMap { Int($0) })

    let report = try exp(["report", "--db", "runs.db", "--out", "out", "--format", "md", "--benchmark", "0.961"], in: dir)
    #expect(report.status == 0, "\(report.stderr)")
    let text = try String(contentsOf: dir.appendingPathComponent("out/leaderboard.md"), encoding: .utf8)
    #expect(text.contains("Outer estimate (nested cross-validation"))
    #expect(text.contains("\(correct)/150 outer test rows right (150 distinct rows"), "\(text)")
    #expect(text.contains("Chosen by the 3 outer folds: #"))
    #expect(text.contains("Linear discriminant analysis fitted on each outer training set: "))
    #expect(text.contains("The baseline configuration, its inner-fold models of each outer fold combined per row"))
    #expect(text.contains("Best of grid (optimistic"))
    #expect(text.contains("\(correct)/150 is consistent with a true accuracy of 96.1%: ")
        || text.contains("\(correct)/150 would be unusual for a true accuracy of 96.1%: "), "\(text)")
    #expect(text.contains("| Outer estimate (95% CI) | Outer test rows right |"))
    #expect(text.contains(" | \(correct)/150 (150 rows) | "), "\(text)")
    #expect(!text.contains("This sweep has no test rows"))
}
