import Foundation

/// A simple per-hyperparameter importance: how far apart the mean validation accuracies of the
/// hyperparameter's values lie.
///
/// For each value v of a varying hyperparameter, m(v) is the mean, over the configurations with
/// that value and at least one finished run, of each configuration's mean validation accuracy
/// (every configuration weighs the same, however many seeds or folds it has). The spread is
/// max m(v) − min m(v) over the values that have such a configuration, a fraction (shown in
/// percentage points). It is the marginal main-effect range of a grid, as in Optuna's and W&B's
/// simplest importance views, without their models: it ignores interactions, and a value backed
/// by few configurations moves it more, so every value carries how many configurations stand
/// behind it.
public struct ParameterImportance: Sendable, Equatable {
    /// One value of the hyperparameter.
    public struct Value: Sendable, Equatable {
        /// The value as stored in `params.value_text`.
        public var text: String
        /// m(v): the mean of the configurations' mean validation accuracies (a fraction).
        public var mean: Double
        /// How many configurations with a finished run stand behind ``mean``.
        public var configurations: Int
    }

    /// The hyperparameter's name.
    public var name: String
    /// Its values with a finished configuration, in the report's value order.
    public var values: [Value]

    /// max m(v) − min m(v) (a fraction); nil when fewer than two values have finished runs.
    public var spread: Double? {
        guard values.count > 1, let high = values.map(\.mean).max(), let low = values.map(\.mean).min() else { return nil }
        return high - low
    }

    /// The importance of every name in `varying`, largest spread first (nil spreads last; ties
    /// keep the order of `varying`).
    /// - Parameters:
    ///   - rows: the sweep's configurations (ensemble rows are skipped).
    ///   - varying: the hyperparameters that vary, in display order.
    ///   - values: each hyperparameter's values in display order; values not listed come after them.
    static func compute(rows: [LeaderboardRow], varying: [String], values: [String: [String]]) -> [ParameterImportance] {
        let finished = rows.filter { $0.ensembleOf == nil && $0.validationAccuracyMean != nil }
        let all = varying.map { name -> ParameterImportance in
            var groups: [String: [Double]] = [:]
            for row in finished {
                groups[row.parameters[name] ?? "–", default: []].append(row.validationAccuracyMean!)
            }
            let order = ParameterSummary.categories(name, values: values, rows: finished).filter { groups[$0] != nil }
            return ParameterImportance(name: name, values: order.map { text in
                let means = groups[text]!
                return Value(text: text, mean: means.reduce(0, +) / Double(means.count), configurations: means.count)
            })
        }
        return all.enumerated().sorted { a, b in
            switch (a.element.spread, b.element.spread) {
            case let (x?, y?) where x != y: return x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The importance table's header.
    static let header = ["Hyperparameter", "Spread of mean val. acc.", "Mean val. acc. by value (configurations)"]

    /// The table's cells: name, spread in points, and each value's mean with its configurations.
    var cells: [String] {
        [name, Format.points(spread),
         values.map { "\($0.text): \(Format.percent($0.mean)) (\($0.configurations))" }.joined(separator: "; ")]
    }
}

extension ParameterSummary {
    /// The values of hyperparameter `name` in display order: the summary's values, then any
    /// other text `rows` hold for it (`–` for a configuration without the key), sorted.
    static func categories(_ name: String, values: [String: [String]], rows: [LeaderboardRow]) -> [String] {
        let known = values[name] ?? []
        let extra = Set(rows.map { $0.parameters[name] ?? "–" }).subtracting(known)
        return known + extra.sorted()
    }
}

extension SweepReport {
    /// The importance of each varying hyperparameter (``ParameterImportance``). Hyperparameters a
    /// random search drew from a distribution are left out: nearly every configuration has a value
    /// of its own, so a spread across values would be a spread across single configurations (the
    /// sampled scatter shows them instead).
    var importance: [ParameterImportance] {
        let drawn = Set(sampled.map(\.name))
        return ParameterImportance.compute(rows: rows, varying: parameters.varying.filter { !drawn.contains($0) }, values: parameters.values)
    }
}
