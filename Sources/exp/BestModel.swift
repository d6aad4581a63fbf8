import Foundation
import Tracker

/// A sweep's best configuration by the shared ranking rule (``Ranking``) on a validation
/// metric, and its finished search runs (seeds, folds, repeats), best first: the best value of
/// the metric (highest; lowest for log loss; runs without it last), then lowest validation
/// loss, then oldest. The first is the sweep's best run.
struct BestModel {
    var sweep: String
    var metric: RankingMetric
    var configuration: LeaderboardEntry
    var runs: [RunSummary]

    var bestRun: RunSummary { runs[0] }

    /// - Throws: ``ExpError/rejected(_:)`` for a sweep not in the database (naming the stored
    ///   ones), one without a finished run, or one whose finished runs all lack `metric`.
    init(store: RunStore, sweep: String, database: String, metric: RankingMetric = .accuracy) throws {
        guard let record = try store.sweep(named: sweep), let sweepID = record.id else {
            let names = try store.sweepNames()
            throw ExpError.rejected("no sweep '\(sweep)' in \(database)" + (names.isEmpty ? "" : "; sweeps: \(names.joined(separator: ", "))"))
        }
        guard let best = try store.bestConfiguration(sweepID: sweepID, metric: metric) else {
            if metric != .accuracy, try store.bestConfiguration(sweepID: sweepID) != nil {
                throw ExpError.rejected("sweep '\(sweep)' has no finished run with validation \(metric.words): its runs were stored "
                                        + "before exp stored \(metric.rawValue); rank by --metric accuracy, or train them again in a new sweep")
            }
            throw ExpError.rejected("sweep '\(sweep)' has no finished run yet")
        }
        let runs = try store.runSummaries(RunSelection(
            sweep: sweep, status: .finished,
            conditions: [.init(field: .column("config_sha256"), comparison: .equal, value: .text(best.configSHA256)),
                         .init(field: .column("phase"), comparison: .equal, value: .text("search"))],
            sort: [.init(field: .column(metric.validationColumn), descending: metric.higherIsBetter),
                   .init(field: .column("validation_loss"), descending: false)]))
        guard !runs.isEmpty else { throw ExpError.rejected("sweep '\(sweep)' has no finished run yet") }
        self.metric = metric
        self.sweep = sweep
        self.configuration = best
        self.runs = runs
    }
}
