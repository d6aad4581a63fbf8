import Foundation

/// One run as `exp runs` lists it (a row of the `run_summary` view).
public struct RunSummary: Sendable, Equatable {
    /// `runs.run_id`.
    public var runID: Int64
    /// The sweep's name.
    public var sweep: String
    /// The data set's name.
    public var dataset: String
    /// The SHA-256 of the configuration's canonical JSON.
    public var configSHA256: String
    /// The training seed.
    public var seed: Int
    /// 0 for holdout, 1...k for k-fold.
    public var fold: Int
    /// 0...r-1, the repeat of repeated cross-validation.
    public var `repeat`: Int
    /// 1...k for the outer fold of nested cross-validation, 0 otherwise.
    public var outerFold: Int
    /// `search`, or `refit` for a run of the chosen configuration on the refit split.
    public var phase: String
    /// The run's status.
    public var status: RunStatus
    /// Final validation accuracy, a fraction in [0, 1].
    public var validationAccuracy: Double?
    /// Final validation loss (the configuration's cost function).
    public var validationLoss: Double?
    /// Test accuracy of the final model, a fraction in [0, 1].
    public var testAccuracy: Double?
    /// Final training accuracy, a fraction in [0, 1].
    public var trainAccuracy: Double?
    /// The epoch of the lowest validation loss (1-based).
    public var bestEpoch: Int?
    /// Epochs trained.
    public var epochsRun: Int?
    /// Training time in seconds.
    public var durationSeconds: Double?
    /// The configuration as canonical JSON.
    public var config: String
    /// The final model's figures on the validation rows for the metrics of
    /// ``RankingMetric/added``; a metric the run lacks (stored before schema version 6, or no
    /// validation rows) is left out.
    public var validationMetrics: [RankingMetric: Double] = [:]
    /// The same on the test rows.
    public var testMetrics: [RankingMetric: Double] = [:]
}

/// One stored column value, by its column's name.
public struct NamedValue: Sendable, Equatable {
    /// The column's name.
    public var name: String
    /// The value as stored.
    public var value: SQLValue
}

/// Everything `exp show` prints of one run.
public struct RunDetail: Sendable, Equatable {
    /// Every column of the run's `run_summary` row, in the view's column order, then the metrics
    /// of ``RankingMetric/added`` (NULL for a run stored before schema version 6).
    public var summary: [NamedValue]
    /// Every epoch's metrics, in order.
    public var curve: [EpochRow]

    /// What the run's stored rows were when this was read; nil while it was queued or running.
    public var revision: RunRevision? { RunRevision(summary: summary) }
}

/// A stored run that is no longer queued or running, as its `run_summary` row says it is: while
/// this is the same, so is everything stored of the run (its epoch rows, test confusion matrix
/// and weights), so what was shown of it is still right.
///
/// Why the row is enough: a run's epoch rows, confusion matrix and weights are written only
/// while it is `running` under a claim, and every claim adds one to `attempt`, or by `exp merge`
/// replacing the run with a more complete one, which changes its `status`; a requeue and a
/// rung's promotion or pruning change its `status` too. Not part of it, and not shown with it:
/// tags, notes and the `rungs` rows a rung's decision adds.
public struct RunRevision: Sendable, Equatable {
    let summary: [NamedValue]

    /// The revision of a run whose `run_summary` row is `summary`; nil while its status is
    /// `queued` or `running` (its rows are still being written) or when the row has no status.
    init?(summary: [NamedValue]) {
        guard let status = summary.first(where: { $0.name == "status" })?.value.string.flatMap(RunStatus.init(rawValue:)),
              status != .queued, status != .running else { return nil }
        self.summary = summary
    }
}

/// How the newest run of a sweep ended (what `exp train` prints).
public struct RunOutcome: Sendable, Equatable {
    /// `runs.run_id`.
    public var runID: Int64
    /// The run's status.
    public var status: RunStatus
    /// Final validation accuracy, a fraction in [0, 1].
    public var validationAccuracy: Double?
    /// Test accuracy of the final model, a fraction in [0, 1].
    public var testAccuracy: Double?
    /// The epoch of the lowest validation loss (1-based).
    public var bestEpoch: Int?
    /// Training time in seconds.
    public var durationSeconds: Double?
    /// Why the run failed or diverged.
    public var error: String?
    /// The configuration as canonical JSON.
    public var config: String
}

/// How many of a sweep's runs failed with one error message.
public struct FailureCount: Sendable, Equatable {
    /// The stored message (nil when none was stored).
    public var error: String?
    /// Failed runs with it.
    public var count: Int
}

extension RunStore {
    /// Every run, oldest first, optionally only those of one sweep and one status.
    /// - Parameters:
    ///   - sweep: a sweep's name; nil for every sweep.
    ///   - status: nil for every status.
    /// - Throws: ``SQLiteError``.
    public func runSummaries(sweep: String? = nil, status: RunStatus? = nil) throws -> [RunSummary] {
        try runSummaries(RunSelection(sweep: sweep, status: status))
    }

    /// The runs `selection` picks, in its order.
    /// - Throws: ``SQLiteError``; `misuse` for a column or key ``RunSelection`` does not know.
    public func runSummaries(_ selection: RunSelection) throws -> [RunSummary] {
        let clauses = try selection.clauses(bindingsAfter: 3)
        return try connection.query("""
            SELECT run_id, sweep, dataset, config_sha256, seed, fold, repeat, outer_fold, phase, status, validation_accuracy, validation_loss, test_accuracy,
                   train_accuracy, best_epoch, epochs_run, duration_seconds, config,
                   \(RankingMetric.added.flatMap { [$0.validationColumn, $0.testColumn] }.joined(separator: ", "))
            FROM \(RunSelection.source) WHERE (?1 IS NULL OR sweep = ?1) AND (?2 IS NULL OR status = ?2)\(clauses.conditions)
            ORDER BY \(clauses.order) LIMIT ?3
            """, [.of(selection.sweep), .of(selection.status?.rawValue), .of(selection.limit ?? -1)] + clauses.bindings) { s in
            var summary = RunSummary(runID: try s.required(s.id, "run_id"), sweep: try s.required(s.string, "sweep"),
                       dataset: try s.required(s.string, "dataset"), configSHA256: try s.required(s.string, "config_sha256"),
                       seed: try s.required(s.int, "seed"), fold: try s.required(s.int, "fold"),
                       repeat: try s.required(s.int, "repeat"), outerFold: try s.required(s.int, "outer_fold"),
                       phase: try s.required(s.string, "phase"),
                       status: try readStatus(s), validationAccuracy: try s.double("validation_accuracy"),
                       validationLoss: try s.double("validation_loss"),
                       testAccuracy: try s.double("test_accuracy"), trainAccuracy: try s.double("train_accuracy"),
                       bestEpoch: try s.int("best_epoch"), epochsRun: try s.int("epochs_run"),
                       durationSeconds: try s.double("duration_seconds"),
                       config: try s.required(s.string, "config"))
            for metric in RankingMetric.added {
                summary.validationMetrics[metric] = try s.double(metric.validationColumn)
                summary.testMetrics[metric] = try s.double(metric.testColumn)
            }
            return summary
        }
    }

    /// Every epoch's metrics of every run of a sweep, by run id then epoch.
    /// - Throws: ``SQLiteError``.
    public func epochs(sweep: String) throws -> [(runID: Int64, row: EpochRow)] {
        try connection.query("""
            SELECT e.run_id, e.epoch, e.train_loss, e.train_accuracy, e.validation_loss, e.validation_accuracy,
                   e.learning_rate, e.elapsed_seconds
            FROM epoch_metrics e JOIN runs r ON r.run_id = e.run_id JOIN sweeps s ON s.sweep_id = r.sweep_id
            WHERE s.name = ? ORDER BY e.run_id, e.epoch
            """, [.text(sweep)]) { s in
            (try s.required(s.id, "run_id"),
             EpochRow(epoch: try s.required(s.int, "epoch"), trainLoss: try s.double("train_loss"),
                      trainAccuracy: try s.double("train_accuracy"), validationLoss: try s.double("validation_loss"),
                      validationAccuracy: try s.double("validation_accuracy"), learningRate: try s.double("learning_rate"),
                      elapsedSeconds: try s.double("elapsed_seconds")))
        }
    }

    /// One run's `run_summary` row and learning curve.
    /// - Returns: nil when there is no run with this id.
    /// - Throws: ``SQLiteError``.
    public func runDetail(id: Int64) throws -> RunDetail? {
        guard let summary = try summaryRow(id: id) else { return nil }
        let curve = try connection.query("""
            SELECT epoch, train_loss, train_accuracy, validation_loss, validation_accuracy, learning_rate, elapsed_seconds
            FROM epoch_metrics WHERE run_id = ? ORDER BY epoch
            """, [.integer(id)]) { s in
            EpochRow(epoch: try s.required(s.int, "epoch"), trainLoss: try s.double("train_loss"),
                     trainAccuracy: try s.double("train_accuracy"), validationLoss: try s.double("validation_loss"),
                     validationAccuracy: try s.double("validation_accuracy"), learningRate: try s.double("learning_rate"),
                     elapsedSeconds: try s.double("elapsed_seconds"))
        }
        return RunDetail(summary: summary, curve: curve)
    }

    /// What run `id`'s stored rows are now (``RunRevision``): nil when there is no such run, or
    /// while it is queued or running.
    /// - Throws: ``SQLiteError``.
    public func runRevision(id: Int64) throws -> RunRevision? {
        try summaryRow(id: id).flatMap(RunRevision.init(summary:))
    }

    /// Every column of run `id`'s `run_summary` row (``RunDetail/summary``); nil when there is no such run.
    private func summaryRow(id: Int64) throws -> [NamedValue]? {
        try connection.query("SELECT * FROM \(RunSelection.source) WHERE run_id = ?", [.integer(id)]) { s in
            (0..<s.columnCount).map { NamedValue(name: s.columnName($0), value: s.value($0)) }
        }.first
    }

    /// The sweep's run with the highest id (the one `exp train` just trained).
    /// - Returns: nil for a sweep without runs.
    /// - Throws: ``SQLiteError``.
    public func latestRun(sweepID: Int64) throws -> RunOutcome? {
        try connection.query("""
            SELECT run_id, status, final_validation_accuracy, test_accuracy, best_epoch, duration_seconds, error, config
            FROM runs WHERE sweep_id = ? ORDER BY run_id DESC LIMIT 1
            """, [.integer(sweepID)]) { s in
            RunOutcome(runID: try s.required(s.id, "run_id"), status: try readStatus(s),
                       validationAccuracy: try s.double("final_validation_accuracy"),
                       testAccuracy: try s.double("test_accuracy"), bestEpoch: try s.int("best_epoch"),
                       durationSeconds: try s.double("duration_seconds"), error: try s.string("error"),
                       config: try s.required(s.string, "config"))
        }.first
    }

    /// The status of run `id`, nil when there is no such run.
    /// - Throws: ``SQLiteError``.
    public func runStatus(id: Int64) throws -> RunStatus? {
        try connection.query("SELECT status FROM runs WHERE run_id = ?", [.integer(id)], readStatus).first
    }

    /// The sweep's failed runs grouped by error message, the most frequent first.
    /// - Parameter limit: at most this many messages.
    /// - Throws: ``SQLiteError``.
    public func failures(sweepID: Int64, limit: Int = 5) throws -> [FailureCount] {
        try connection.query("""
            SELECT error, COUNT(*) AS count FROM runs WHERE sweep_id = ? AND status = 'failed'
            GROUP BY error ORDER BY count DESC, error LIMIT ?
            """, [.integer(sweepID), .of(limit)]) { s in
            FailureCount(error: try s.string("error"), count: try s.required(s.int, "count"))
        }
    }
}

/// The `status` column of a row as a ``RunStatus``.
/// - Throws: ``SQLiteError`` when the column is missing or holds text that is no status.
func readStatus(_ s: Statement) throws -> RunStatus {
    let text = try s.required(s.string, "status")
    guard let status = RunStatus(rawValue: text) else {
        throw SQLiteError(.misuse, message: "unknown run status '\(text)'", sql: s.sql)
    }
    return status
}
