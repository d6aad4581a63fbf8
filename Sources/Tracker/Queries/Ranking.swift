/// The one rule that ranks a sweep's configurations, wherever a choice is made: the leaderboard's
/// order and the best configuration of a sweep (``RunStore/leaderboard(sweepID:metric:)``,
/// ``RunStore/bestConfiguration(sweepID:metric:)``).
///
/// Configurations with a diverged or failed run come after every configuration without one;
/// then, over finished runs, for the chosen validation ``RankingMetric`` (accuracy unless
/// another is asked for):
/// 1. the better mean of the metric (higher; lower for log loss); configurations without it
///    (only runs stored before the metric was) after every configuration with it,
/// 2. lower sample standard deviation of the metric (none, with one run, last),
/// 3. lower mean validation loss,
/// 4. `config_sha256` ascending, as the last resort, so the order is total and stable.
///
/// Test figures never take part. Ranked by accuracy, two configurations whose mean validation
/// accuracies differ by less than one validation row's worth (`1 / n` for splits of `n`
/// validation rows; 3.3 points on Iris) *tie* (``LeaderboardEntry/tiesAbove``): the later keys
/// order them, but displays show them as tied, since such a difference is no finding. A tie
/// group starts at its best entry and holds the entries within one row of it, so ties never
/// chain further down. Ranked by another metric, only equal means tie.
public enum Ranking {
    /// The rule as an SQL `ORDER BY` list over the `leaderboard` view's columns (migration 0003
    /// orders the view the same way by accuracy, for the `sqlite3` shell).
    static func orderBy(_ metric: RankingMetric) -> String {
        """
        (diverged_runs + failed_runs > 0), \(metric.meanColumn) IS NULL, \(metric.meanColumn)\(metric.higherIsBetter ? " DESC" : ""),
        \(metric.stdColumn) IS NULL, \(metric.stdColumn), validation_loss_mean IS NULL, validation_loss_mean,
        config_sha256
        """
    }

    /// True when `entry` ties `above` (the first entry of the tie group above it): both have
    /// the metric, the same standing on diverged or failed runs, and means of the metric less
    /// than `1 / validationRows` apart for accuracy (equal means, for another metric or when
    /// the number of rows is unknown).
    ///
    /// - Parameter validationRows: the fewest validation rows of a split the runs were scored on.
    public static func ties(_ entry: LeaderboardEntry, _ above: LeaderboardEntry, validationRows: Int?,
                            metric: RankingMetric = .accuracy) -> Bool {
        guard let mean = entry.validationMean(metric), let meanAbove = above.validationMean(metric),
              (entry.divergedRuns + entry.failedRuns > 0) == (above.divergedRuns + above.failedRuns > 0) else { return false }
        guard metric == .accuracy, let validationRows, validationRows > 0 else { return mean == meanAbove }
        return abs(mean - meanAbove) < 1 / Double(validationRows) - 1e-12
    }
}
