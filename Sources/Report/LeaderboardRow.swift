import Foundation
import NeuralNet
import Tracker

/// One configuration of a sweep, aggregated over its seeds and folds, as ranked on the
/// leaderboard.
///
/// Means, the standard deviation and the interval are over the configuration's finished runs;
/// diverged and failed runs are counted but never averaged in.
public struct LeaderboardRow: Sendable, Equatable {
    /// The position on the leaderboard, 1 for the best.
    public var rank: Int
    /// SHA-256 of ``config``: identifies the configuration within the sweep.
    public var configSHA256: String
    /// The configuration as canonical JSON.
    public var config: String
    /// Every hyperparameter's value as stored in `params.value_text`, by name.
    public var parameters: [String: String]
    /// Runs of this configuration in any status.
    public var runs: Int
    /// Runs that finished.
    public var finishedRuns: Int
    /// Runs whose loss stopped being finite.
    public var divergedRuns: Int
    /// Runs that ended with an error.
    public var failedRuns: Int
    /// Runs queued, running or interrupted.
    public var pendingRuns: Int
    /// Mean final validation accuracy of the finished runs (a fraction): the ranking key.
    public var validationAccuracyMean: Double?
    /// Sample standard deviation of the finished runs' final validation accuracy.
    public var validationAccuracyStd: Double?
    /// Mean test accuracy of the finished runs. Reported only: never used to rank or select.
    public var testAccuracyMean: Double?
    /// Mean epoch of the lowest validation loss.
    public var bestEpochMean: Double?
    /// Mean training time of the finished runs, in seconds.
    public var durationSecondsMean: Double?
    /// True when this is the seed's baseline configuration (see ``Baseline``).
    public var isBaseline: Bool
    /// Mean final validation loss of the finished runs: the third ranking key (see `Ranking` in Tracker).
    public var validationLossMean: Double? = nil
    /// The configuration's models combined per validation row (set for the rows a report shows).
    public var validationEvidence: RowEvidence? = nil
    /// The configuration's models combined per test row (set for the rows a report shows).
    public var testEvidence: RowEvidence? = nil
    /// Against the baseline on the same test rows (set when the sweep has the baseline).
    public var versusBaseline: PairedComparison? = nil
    /// True when its mean validation accuracy is within one validation row's worth of the row
    /// above (Tracker's `Ranking`; ranked by another metric, an equal mean): the order between
    /// the two follows the tie rule, not a finding.
    public var tiesAbove = false
    /// Every validation metric's mean and standard deviation over the finished runs that have it.
    public var validationMetrics: [RankingMetric: MetricSummary] = [:]
    /// Every metric's mean on the test rows over the finished runs that have it; reported only.
    public var testMetricMeans: [RankingMetric: Double] = [:]
    /// The configuration's best finished run (Tracker's `LeaderboardEntry.bestRunID`), for
    /// `exp predict --run`.
    public var bestRunID: Int64? = nil
    /// Set on a row that stands for an ensemble, not a configuration: the rank of the
    /// configuration whose finished models it combines (``init(ensembleOf:)``). Shown, never ranked.
    public var ensembleOf: Int? = nil

    /// The mean of `metric` on the validation rows, nil when no finished run has it.
    public func validationMean(_ metric: RankingMetric) -> Double? { validationMetrics[metric]?.mean }
}

/// The seed's baseline configuration: every hyperparameter at its default in
/// ``NeuralNet/HyperparameterSchema/current`` (a 4-3-3 sigmoid network trained with SGD on mean
/// squared error).
public enum Baseline {
    /// The hyperparameters that identify it, in schema order, with their values as stored in
    /// `params.value_text`: every key the default configuration uses (momentum, unused by SGD,
    /// is not one).
    public static let parameters: [(name: String, value: String)] = {
        let schema = HyperparameterSchema.current
        let defaults = schema.defaults
        return schema.hyperparameters.filter { $0.appliesWhen.holds(in: defaults) }.map { ($0.name, $0.defaultValue.description) }
    }()

    /// True when `parameters` (name → value text) holds every baseline value; a key a run does
    /// not store (one added after the run was stored) counts as its default. Numbers compare by
    /// value (`0.10` matches `0.1`) and lists ignore spaces (`[ 3 ]` matches `[3]`).
    public static func matches(_ parameters: [String: String]) -> Bool {
        Self.parameters.allSatisfy { name, expected in
            guard let actual = parameters[name] else { return true }
            return same(actual, expected)
        }
    }

    static func same(_ actual: String, _ expected: String) -> Bool {
        let a = actual.filter { !$0.isWhitespace }, e = expected.filter { !$0.isWhitespace }
        if a == e { return true }
        if let x = Double(a), let y = Double(e) { return x == y }
        return false
    }
}
