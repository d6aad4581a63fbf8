/// The one rule that ranks a sweep's configurations, wherever a choice is made: the leaderboard's
/// order and the best configuration of a sweep (``RunStore/leaderboard(sweepID:benchmark:)``,
/// ``RunStore/bestConfiguration(sweepID:)``).
///
/// Configurations with a diverged or failed run come after every configuration without one;
/// then, over finished runs:
/// 1. higher mean validation accuracy,
/// 2. lower sample standard deviation of the validation accuracy (none, with one run, last),
/// 3. lower mean validation loss,
/// 4. `config_sha256` ascending, as the last resort, so the order is total and stable.
///
/// Test accuracy never takes part. Two configurations equal on the first two keys *tie*
/// (``LeaderboardEntry/tiesAbove``): the later keys order them, but displays show them as tied.
public enum Ranking {
    /// The rule as an SQL `ORDER BY` list over the `leaderboard` view's columns (migration 0003
    /// orders the view the same way, for the `sqlite3` shell).
    static let orderBy = """
        (diverged_runs + failed_runs > 0), validation_accuracy_mean IS NULL, validation_accuracy_mean DESC,
        validation_accuracy_std IS NULL, validation_accuracy_std, validation_loss_mean IS NULL, validation_loss_mean,
        config_sha256
        """

    /// True when `entry` ties `above` (the entry ranked just before it): both have finished
    /// runs, the same mean and standard deviation of the validation accuracy, and the same
    /// standing on diverged or failed runs.
    public static func ties(_ entry: LeaderboardEntry, _ above: LeaderboardEntry) -> Bool {
        guard entry.validationAccuracyMean != nil else { return false }
        return entry.validationAccuracyMean == above.validationAccuracyMean
            && entry.validationAccuracyStd == above.validationAccuracyStd
            && (entry.divergedRuns + entry.failedRuns > 0) == (above.divergedRuns + above.failedRuns > 0)
    }
}
