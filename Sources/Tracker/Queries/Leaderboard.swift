import Foundation

/// One configuration of a sweep, aggregated over its seeds and folds: a row of the `leaderboard`
/// view. Means and the standard deviation are over the finished runs only (accuracies are
/// fractions in [0, 1], losses mean cost per row, durations seconds).
public struct LeaderboardEntry: Sendable, Equatable {
    /// SHA-256 of ``config``: the configuration's identity.
    public var configSHA256: String
    /// The configuration as canonical JSON.
    public var config: String
    /// Runs in any status.
    public var runs: Int
    /// Runs that finished.
    public var finishedRuns: Int
    /// Runs whose loss stopped being finite.
    public var divergedRuns: Int
    /// Runs that ended with an error.
    public var failedRuns: Int
    /// Runs queued, running or interrupted.
    public var pendingRuns: Int
    /// Mean final validation accuracy: the first ranking key.
    public var validationAccuracyMean: Double?
    /// Sample standard deviation of the final validation accuracy (nil below two finished runs).
    public var validationAccuracyStd: Double?
    /// Mean final validation loss: the third ranking key.
    public var validationLossMean: Double?
    /// Mean test accuracy; reported, never ranked on.
    public var testAccuracyMean: Double?
    /// Mean epoch of the lowest validation loss.
    public var bestEpochMean: Double?
    /// Mean training time, in seconds.
    public var durationSecondsMean: Double?
    /// True when the entry belongs to the tie group of the entry above: its mean validation
    /// accuracy is less than one validation row's worth below the group's first entry (see
    /// ``Ranking/ties(_:_:validationRows:metric:)``; ranked by another metric, an equal mean).
    /// The order within a group follows the ranking rule, not a measured difference.
    public var tiesAbove: Bool
    /// Every ``RankingMetric`` on the validation rows: mean and sample standard deviation over
    /// the finished runs that have it (both nil when none has: runs stored before schema
    /// version 6 have only accuracy).
    public var validationMetrics: [RankingMetric: MetricSummary] = [:]
    /// Every ``RankingMetric``'s mean on the test rows over the finished runs that have it;
    /// reported, never ranked on.
    public var testMetricMeans: [RankingMetric: Double] = [:]

    /// The configuration's best finished search run on the ranking metric (then the lowest
    /// validation loss, then the oldest): the run `exp best` names when the configuration ranks
    /// first, for `exp predict --run` to follow a report. Nil without a finished run, and in a
    /// fold's leaderboard.
    public var bestRunID: Int64? = nil

    /// The mean of `metric` on the validation rows, nil when no finished run has it.
    public func validationMean(_ metric: RankingMetric) -> Double? { validationMetrics[metric]?.mean }
}

/// A metric's mean and sample standard deviation (divisor n − 1; nil below two values) over
/// a configuration's finished runs.
public struct MetricSummary: Sendable, Equatable {
    public var mean: Double?
    public var std: Double?
    public init(mean: Double?, std: Double?) {
        self.mean = mean
        self.std = std
    }
}

extension RunStore {
    /// The sweep's configurations, best first by ``Ranking`` on `metric`.
    /// - Parameters:
    ///   - sweepID: the sweep (`sweeps.sweep_id`).
    ///   - metric: the validation metric ranked by (accuracy: the order of the `leaderboard` view).
    /// - Returns: one entry per configuration; empty for an unknown sweep.
    /// - Throws: ``SQLiteError``.
    public func leaderboard(sweepID: Int64, metric: RankingMetric = .accuracy) throws -> [LeaderboardEntry] {
        var entries = try rankedEntries(view: "leaderboard", sweepID: sweepID, scope: nil, metric: metric)
        let best = try bestRunIDs(sweepID: sweepID, metric: metric)
        for i in entries.indices { entries[i].bestRunID = best[entries[i].configSHA256] }
        return entries
    }

    /// Each configuration's best finished search run: the highest value of `metric` on the
    /// validation rows (lowest for log loss; runs without it last), then the lowest validation
    /// loss (missing last), then the lowest run id — the order `exp best` sorts a
    /// configuration's runs in (``RunSelection`` with those sort keys).
    /// - Returns: run ids by configuration hash.
    /// - Throws: ``SQLiteError``.
    func bestRunIDs(sweepID: Int64, metric: RankingMetric) throws -> [String: Int64] {
        let column = metric.validationColumn
        let pairs = try connection.query("""
            SELECT config_sha256, run_id FROM (
                SELECT config_sha256, run_id, ROW_NUMBER() OVER (
                    PARTITION BY config_sha256
                    ORDER BY \(column) IS NULL, \(column) \(metric.higherIsBetter ? "DESC" : "ASC"),
                             validation_loss IS NULL, validation_loss ASC, run_id ASC) AS place
                FROM \(RunSelection.source)
                WHERE sweep = (SELECT name FROM sweeps WHERE sweep_id = ?) AND status = 'finished' AND phase = 'search')
            WHERE place = 1
            """, [.integer(sweepID)]) { s in (try s.required(s.string, "config_sha256"), try s.required(s.id, "run_id")) }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    /// The configurations of one repeat and outer fold of a nested sweep, best first by
    /// ``Ranking``, over that fold's search runs only (the `fold_leaderboard` view): what the
    /// fold's selection is decided on.
    /// - Returns: one entry per configuration; empty for an unknown sweep or fold.
    /// - Throws: ``SQLiteError``.
    public func leaderboard(sweepID: Int64, repeat: Int, outerFold: Int) throws -> [LeaderboardEntry] {
        try rankedEntries(view: "fold_leaderboard", sweepID: sweepID, scope: (`repeat`, outerFold), metric: .accuracy)
    }

    private func rankedEntries(view: String, sweepID: Int64, scope: (repeat: Int, outerFold: Int)?,
                               metric: RankingMetric) throws -> [LeaderboardEntry] {
        let filter = scope == nil ? "" : "AND repeat = ? AND outer_fold = ?"
        let values: [SQLValue] = [.integer(sweepID)] + (scope.map { [.of($0.repeat), .of($0.outerFold)] } ?? [])
        var entries = try connection.query("""
            SELECT config_sha256, config, runs, finished_runs, diverged_runs, failed_runs, pending_runs,
                   validation_accuracy_mean, validation_accuracy_std, validation_loss_mean, test_accuracy_mean,
                   best_epoch_mean, duration_seconds_mean,
                   \(RankingMetric.added.map { "\($0.meanColumn), \($0.stdColumn), \($0.testMeanColumn)" }.joined(separator: ", "))
            FROM \(view) WHERE sweep_id = ? \(filter)
            ORDER BY \(Ranking.orderBy(metric))
            """, values) { s in
            var entry = LeaderboardEntry(
                configSHA256: try s.required(s.string, "config_sha256"), config: try s.string("config") ?? "{}",
                runs: try s.int("runs") ?? 0, finishedRuns: try s.int("finished_runs") ?? 0,
                divergedRuns: try s.int("diverged_runs") ?? 0, failedRuns: try s.int("failed_runs") ?? 0,
                pendingRuns: try s.int("pending_runs") ?? 0,
                validationAccuracyMean: try s.double("validation_accuracy_mean"),
                validationAccuracyStd: try s.double("validation_accuracy_std"),
                validationLossMean: try s.double("validation_loss_mean"),
                testAccuracyMean: try s.double("test_accuracy_mean"), bestEpochMean: try s.double("best_epoch_mean"),
                durationSecondsMean: try s.double("duration_seconds_mean"), tiesAbove: false)
            entry.validationMetrics[.accuracy] = MetricSummary(mean: entry.validationAccuracyMean, std: entry.validationAccuracyStd)
            entry.testMetricMeans[.accuracy] = entry.testAccuracyMean
            for added in RankingMetric.added {
                entry.validationMetrics[added] = MetricSummary(mean: try s.double(added.meanColumn), std: try s.double(added.stdColumn))
                entry.testMetricMeans[added] = try s.double(added.testMeanColumn)
            }
            return entry
        }
        let validationRows = try connection.scalar("""
            SELECT MIN(json_array_length(validation_rows)) AS rows FROM splits
            WHERE split_id IN (SELECT split_id FROM runs WHERE sweep_id = ? AND status = 'finished' AND phase = 'search')
            """, [.integer(sweepID)])?.int
        // Tie groups: a row ties the first row of the group above it, so ties never chain from
        // a group's top to rows more than one validation row below it.
        var leader = 0
        for index in entries.indices.dropFirst() {
            entries[index].tiesAbove = Ranking.ties(entries[index], entries[leader], validationRows: validationRows, metric: metric)
            if !entries[index].tiesAbove { leader = index }
        }
        return entries
    }

    /// The sweep's best configuration by ``Ranking`` on `metric`: the first leaderboard entry
    /// with a finished run that has the metric, nil while none has.
    /// - Throws: ``SQLiteError``.
    public func bestConfiguration(sweepID: Int64, metric: RankingMetric = .accuracy) throws -> LeaderboardEntry? {
        // Accuracy: a sweep without validation rows (validation_fraction 0) still has its one configuration.
        try leaderboard(sweepID: sweepID, metric: metric).first { $0.finishedRuns > 0 && (metric == .accuracy || $0.validationMean(metric) != nil) }
    }

}
