/// The one rule that ranks a sweep's configurations, wherever a choice is made: the leaderboard's
/// order and the best configuration of a sweep (``RunStore/leaderboard(sweepID:)``,
/// ``RunStore/bestConfiguration(sweepID:)``).
///
/// Configurations with a diverged or failed run come after every configuration without one;
/// then, over finished runs:
/// 1. higher mean validation accuracy,
/// 2. lower sample standard deviation of the validation accuracy (none, with one run, last),
/// 3. lower mean validation loss,
/// 4. `config_sha256` ascending, as the last resort, so the order is total and stable.
///
/// Test accuracy never takes part. Two configurations whose mean validation accuracies differ by
/// less than one validation row's worth (`1 / n` for splits of `n` validation rows; 3.3 points
/// on Iris) *tie* (``LeaderboardEntry/tiesAbove``): the later keys order them, but displays
/// show them as tied, since such a difference is no finding. A tie group starts at its best
/// entry and holds the entries within one row of it, so ties never chain further down.
public enum Ranking {
    /// The rule as an SQL `ORDER BY` list over the `leaderboard` view's columns (migration 0003
    /// orders the view the same way, for the `sqlite3` shell).
    static let orderBy = """
        (diverged_runs + failed_runs > 0), validation_accuracy_mean IS NULL, validation_accuracy_mean DESC,
        validation_accuracy_std IS NULL, validation_accuracy_std, validation_loss_mean IS NULL, validation_loss_mean,
        config_sha256
        """

    /// True when `entry` ties `above` (the first entry of the tie group above it): both have finished
    /// runs, the same standing on diverged or failed runs, and mean validation accuracies less
    /// than `1 / validationRows` apart (equal means, when the number of rows is unknown).
    ///
    /// - Parameter validationRows: the fewest validation rows of a split the runs were scored on.
    public static func ties(_ entry: LeaderboardEntry, _ above: LeaderboardEntry, validationRows: Int?) -> Bool {
        guard let mean = entry.validationAccuracyMean, let meanAbove = above.validationAccuracyMean,
              (entry.divergedRuns + entry.failedRuns > 0) == (above.divergedRuns + above.failedRuns > 0) else { return false }
        guard let validationRows, validationRows > 0 else { return mean == meanAbove }
        return abs(mean - meanAbove) < 1 / Double(validationRows) - 1e-12
    }
}
