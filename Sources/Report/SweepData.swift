import Foundation
import NeuralNet
import Tracker

/// A data set as the report describes it (without its content).
struct DatasetInfo {
    var id: Int64
    var name: String
    var version: Int
    var rows: Int
    var features: Int
    var classes: Int
    var featureNames: [String]
    var classNames: [String]
}

/// A sweep's identity, data set, protocol and progress.
struct SweepInfo {
    var id: Int64
    var name: String
    var createdAt: String
    /// The protocol as stored (JSON object text).
    var protocolJSON: String
    var dataset: DatasetInfo
    /// Run counts by status, in the order of `RunStatus.allCases`, zero counts left out.
    var statusCounts: [(status: String, count: Int)]
    /// The distinct numbers of test rows over the sweep's splits.
    var testRowCounts: [Int]
    /// The sweep's own benchmark, from its grid.
    var benchmark: Benchmark? = nil
    /// The sweep's tags (`exp tag --sweep`), by key.
    var tags: [(key: String, value: String)] = []
    /// The sweep's note (`exp note --sweep`), nil when it has none.
    var note: String? = nil
    /// For a successive-halving or Hyperband search: its rungs and the budget it spent.
    var halving: HalvingSummary? = nil

    /// The tags as one line, `key=value, key=value`; nil when there are none.
    var tagsText: String? { tags.isEmpty ? nil : tags.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") }

    var totalRuns: Int { statusCounts.reduce(0) { $0 + $1.count } }

    /// The protocol's fields as (name, value text) pairs, in a fixed readable order.
    var protocolFields: [(name: String, value: String)] {
        guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(protocolJSON.utf8)) else {
            return [("protocol", protocolJSON)]
        }
        let order = ["folds", "test_fraction", "validation_fraction", "split_seed", "stratified"]
        let names = order.filter { object[$0] != nil } + object.keys.filter { !order.contains($0) }.sorted()
        return names.map { ($0, object[$0]!.text) }
    }
}

/// A JSON value of a protocol field, shown as text.
struct JSONScalar: Decodable {
    var text: String
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            text = Format.tick(number)
        } else if let flag = try? container.decode(Bool.self) {
            text = String(flag)
        } else if let string = try? container.decode(String.self) {
            text = string
        } else if container.decodeNil() {
            text = "null"
        } else {
            text = "(structured)"
        }
    }
}

/// The hyperparameters of a sweep: which vary over its configurations, and the value of those
/// that do not.
struct ParameterSummary {
    /// Names of the hyperparameters with more than one value, in display order.
    var varying: [String]
    /// The hyperparameters with a single value, in display order.
    var constant: [(name: String, value: String)]
    /// Each varying hyperparameter's values, sorted numerically when numbers, else as text.
    var values: [String: [String]]

    /// A display order: the schema's hyperparameters in its order first, then the rest by name.
    static func ordered(_ names: some Sequence<String>) -> [String] {
        let preferred = HyperparameterSchema.current.names
        let set = Set(names)
        return preferred.filter(set.contains) + set.subtracting(preferred).sorted()
    }
}

/// Mean, minimum and maximum of one metric at one epoch over a configuration's runs.
struct Band: Equatable {
    var mean: Double
    var min: Double
    var max: Double
}

/// One epoch of a configuration's learning curves.
struct CurvePoint: Equatable {
    var epoch: Int
    var runs: Int
    var trainLoss: Band?
    var validationLoss: Band?
    var trainAccuracy: Band?
    var validationAccuracy: Band?
}

/// The learning curves of one configuration, over its finished runs.
struct ConfigCurves: Equatable {
    var rank: Int
    var configSHA256: String
    var points: [CurvePoint]
}

/// Finished runs' validation accuracies for each value of one hyperparameter.
struct ParameterDots {
    struct Value {
        var text: String
        var number: Double?
        /// (validation accuracy rounded to 0.1 point, runs with it)
        var dots: [(accuracy: Double, count: Int)]
        var runs: Int { dots.reduce(0) { $0 + $1.count } }
        var mean: Double { dots.reduce(0) { $0 + $1.accuracy * Double($1.count) } / Double(max(runs, 1)) }
    }
    var name: String
    var values: [Value]
}

/// Test-row counts of a configuration summed over its runs: `counts[true][predicted]`.
struct Confusion {
    var classNames: [String]
    var counts: [[Int]]
    var runs: Int
    var rank: Int
}

/// Everything one sweep's section of the report shows.
struct SweepReport {
    var info: SweepInfo
    var rows: [LeaderboardRow]
    var parameters: ParameterSummary
    var curves: [ConfigCurves]
    var dots: [ParameterDots]
    var confusion: Confusion?
    /// A file-name-safe name, unique within the report.
    var slug: String
    /// The reference classifier on the same rows.
    var reference: ReferenceEvidence? = nil
    /// Why row-level figures are missing, when scoring the stored models failed.
    var evidenceProblem: String? = nil
    /// The best configuration against the baseline fold by fold (k-fold sweeps).
    var foldComparison: FoldComparison? = nil
    /// The outer estimate of a nested sweep.
    var outer: OuterEstimate? = nil
    /// The test accuracy the results are compared with: `exp report --benchmark`, else the
    /// sweep's own; nil: no benchmark verdict.
    var benchmark: Benchmark? = nil
    /// The validation metric that ranks the rows.
    var metric: RankingMetric = .accuracy
    /// The hyperparameters a random search drew from distributions (``ReportOptions/sampledHyperparameters``).
    var sampled: [SampledHyperparameter] = []
    /// For a halving search: the budgets of its decided rungs and its top rung, and every
    /// run's validation accuracy per epoch.
    var rungCurves: (budgets: [Int], runs: [RunCurve])? = nil

    /// Configurations with finished runs that lack the ranking metric (all stored before it
    /// was): they rank after every configuration that has it.
    var withoutMetric: Int { rows.filter { $0.finishedRuns > 0 && $0.validationMean(metric) == nil }.count }

    /// True for a nested sweep (`outer_folds` in its protocol).
    var isNested: Bool { info.protocolFields.contains { $0.name == "outer_folds" } }

    /// True for a k-fold sweep without `early_stopping_fraction` in which some configuration
    /// stops early (`early_stopping_patience` > 0): its early stopping watched the fold that
    /// also scores it, so its validation figures are optimistic.
    var earlyStoppingOnScoredRows: Bool {
        let names = Set(info.protocolFields.map(\.name))
        guard names.contains("folds"), !names.contains("early_stopping_fraction") else { return false }
        return rows.contains { row in row.parameters["early_stopping_patience"].flatMap(Double.init).map { $0 > 0 } ?? false }
    }

    /// The best configuration's ensemble (``LeaderboardRow/init(ensembleOf:)``). None for a
    /// nested sweep: its outer estimate already combines each outer fold's refitted choice per row.
    var ensemble: LeaderboardRow? {
        guard !isNested, let best = rows.first(where: { $0.finishedRuns > 0 }) else { return nil }
        return LeaderboardRow(ensembleOf: best)
    }

    /// The rows the table shows: the top `top`, the best configuration's ensemble right below
    /// it, then any baseline row below them.
    func tableRows(top: Int) -> [LeaderboardRow] {
        var shown = Self.tableRows(rows, top: top)
        if let ensemble, let index = shown.firstIndex(where: { $0.configSHA256 == ensemble.configSHA256 }) {
            shown.insert(ensemble, at: index + 1)
        }
        return shown
    }

    /// The top `top` of `rows`, then any baseline row below them.
    static func tableRows(_ rows: [LeaderboardRow], top: Int) -> [LeaderboardRow] {
        let head = Array(rows.prefix(max(0, top)))
        return head + rows.dropFirst(max(0, top)).filter(\.isBaseline)
    }

    /// A short label of a row's varying hyperparameters, e.g. `#1 hidden_layers=[8], learning_rate=0.1`.
    func label(of row: LeaderboardRow) -> String {
        let parts = parameters.varying.map { "\($0)=\(row.parameters[$0] ?? "–")" }
        return "#\(row.rank)" + (parts.isEmpty ? "" : " " + parts.joined(separator: ", "))
    }
}
