import Foundation

/// Which runs `exp runs` lists and in what order, without SQL: conditions joined by AND, sort
/// keys, and a limit. Every name is checked here or by the caller before any SQL is built;
/// values are always bound, never spliced into the text.
public struct RunSelection: Sendable, Equatable {
    /// A value of a run that can be compared and sorted by.
    public enum Field: Sendable, Equatable {
        /// A column of the `run_summary` view, one of ``RunSelection/columns``.
        case column(String)
        /// A key of the stored configuration's JSON; `fallback` stands for a key the stored
        /// configuration leaves out (a key added after it, holding its default).
        case configuration(key: String, fallback: SQLValue)
        /// The value of the run's tag with this key (``Tag/validate(key:)``); NULL for a run
        /// without the tag, so it matches only `!=` and sorts last.
        case tag(key: String)
    }

    /// A comparison, as `exp runs --where` spells it.
    public enum Comparison: String, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    /// `field OP value`. A missing (NULL or NaN) value matches no comparison except `!=`.
    public struct Condition: Sendable, Equatable {
        public var field: Field
        public var comparison: Comparison
        public var value: SQLValue
        public init(field: Field, comparison: Comparison, value: SQLValue) {
            self.field = field
            self.comparison = comparison
            self.value = value
        }
    }

    /// One sort key; runs missing the value (NULL or NaN) come last in both directions.
    public struct SortKey: Sendable, Equatable {
        public var field: Field
        public var descending: Bool
        public init(field: Field, descending: Bool) {
            self.field = field
            self.descending = descending
        }
    }

    /// The columns a selection may name, with the kind of value each holds: the `run_summary`
    /// view's, then each metric of ``RankingMetric/added`` on validation and test rows (read from
    /// `runs`; see ``source``).
    public static let columns: [(name: String, isNumber: Bool)] = [
        ("run_id", true), ("sweep", false), ("dataset", false), ("config_sha256", false), ("seed", true), ("fold", true), ("repeat", true), ("outer_fold", true),
        ("phase", false), ("status", false),
        ("validation_accuracy", true), ("validation_loss", true), ("test_accuracy", true), ("train_accuracy", true),
        ("best_epoch", true), ("epochs_run", true), ("duration_seconds", true),
    ] + RankingMetric.added.flatMap { [($0.validationColumn, true), ($0.testColumn, true)] }

    /// What selections read from: the `run_summary` view with the metrics of
    /// ``RankingMetric/added`` joined from `runs` by run id.
    static let source = """
        (SELECT v.*, \(RankingMetric.added.flatMap { ["m.\($0.validationColumn)", "m.\($0.testColumn)"] }.joined(separator: ", "))
         FROM run_summary v JOIN runs m ON m.run_id = v.run_id) AS run_summary
        """

    /// Only runs of this sweep (nil: every sweep).
    public var sweep: String?
    /// Only runs with this status (nil: every status).
    public var status: RunStatus?
    /// Conditions every listed run meets.
    public var conditions: [Condition]
    /// Sort keys, the first deciding first; the run id breaks the remaining ties (oldest first).
    public var sort: [SortKey]
    /// At most this many runs (nil: all).
    public var limit: Int?

    public init(sweep: String? = nil, status: RunStatus? = nil, conditions: [Condition] = [], sort: [SortKey] = [],
                limit: Int? = nil) {
        self.sweep = sweep
        self.status = status
        self.conditions = conditions
        self.sort = sort
        self.limit = limit
    }

    /// The SQL of the selection's WHERE conditions and ORDER BY, with their bindings after the
    /// first `offset` ones.
    /// - Throws: ``SQLiteError`` (misuse) for a column not in ``columns`` or a key that is no
    ///   plain name or tag key.
    func clauses(bindingsAfter offset: Int) throws -> (conditions: String, order: String, bindings: [SQLValue]) {
        var bindings: [SQLValue] = []
        func placeholder(_ value: SQLValue) -> String {
            bindings.append(value)
            return "?\(offset + bindings.count)"
        }
        func expression(_ field: Field) throws -> String {
            switch field {
            case .column(let name):
                guard Self.columns.contains(where: { $0.name == name }) else {
                    throw SQLiteError(.misuse, message: "no run column '\(name)'", sql: nil)
                }
                return name
            case let .configuration(key, fallback):
                guard !key.isEmpty, key.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "_" }) else {
                    throw SQLiteError(.misuse, message: "no configuration key '\(key)'", sql: nil)
                }
                return "COALESCE(json_extract(config, \(placeholder(.text("$." + key)))), \(placeholder(fallback)))"
            case .tag(let key):
                guard (try? Tag.validate(key: key)) != nil else {
                    throw SQLiteError(.misuse, message: "no tag key '\(key)'", sql: nil)
                }
                return "(SELECT t.value FROM run_tags t WHERE t.run_id = run_summary.run_id AND t.key = \(placeholder(.text(key))))"
            }
        }
        var conditions: [String] = []
        for condition in self.conditions {
            let left = try expression(condition.field)
            let right = placeholder(condition.value)
            conditions.append(condition.comparison == .notEqual
                ? "(\(left) IS NULL OR \(left) != \(right))" : "\(left) \(condition.comparison.rawValue) \(right)")
        }
        var order: [String] = []
        for key in sort {
            let e = try expression(key.field)
            order.append("(\(e) IS NULL), \(e)\(key.descending ? " DESC" : "")")
        }
        order.append("run_id")
        return (conditions.map { " AND " + $0 }.joined(), order.joined(separator: ", "), bindings)
    }
}
