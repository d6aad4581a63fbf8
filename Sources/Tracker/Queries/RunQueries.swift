import Foundation

/// One run as `exp runs` lists it (a row of the `run_summary` view).
public struct RunSummary: Sendable, Equatable {
    /// `runs.run_id`.
    public var runID: Int64
    /// The sweep's name.
    public var sweep: String
    /// The training seed.
    public var seed: Int
    /// 0 for holdout, 1...k for k-fold.
    public var fold: Int
    /// The run's status.
    public var status: RunStatus
    /// Final validation accuracy, a fraction in [0, 1].
    public var validationAccuracy: Double?
    /// Test accuracy of the final model, a fraction in [0, 1].
    public var testAccuracy: Double?
    /// Training time in seconds.
    public var durationSeconds: Double?
    /// The configuration as canonical JSON.
    public var config: String
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
    /// Every column of the run's `run_summary` row, in the view's column order.
    public var summary: [NamedValue]
    /// Every epoch's metrics, in order.
    public var curve: [EpochRow]
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
        try connection.query("""
            SELECT run_id, sweep, seed, fold, status, validation_accuracy, test_accuracy, duration_seconds, config
            FROM run_summary WHERE (?1 IS NULL OR sweep = ?1) AND (?2 IS NULL OR status = ?2) ORDER BY run_id
            """, [.of(sweep), .of(status?.rawValue)]) { s in
            RunSummary(runID: try s.required(s.id, "run_id"), sweep: try s.required(s.string, "sweep"),
                       seed: try s.required(s.int, "seed"), fold: try s.required(s.int, "fold"),
                       status: try readStatus(s), validationAccuracy: try s.double("validation_accuracy"),
                       testAccuracy: try s.double("test_accuracy"), durationSeconds: try s.double("duration_seconds"),
                       config: try s.required(s.string, "config"))
        }
    }

    /// One run's `run_summary` row and learning curve.
    /// - Returns: nil when there is no run with this id.
    /// - Throws: ``SQLiteError``.
    public func runDetail(id: Int64) throws -> RunDetail? {
        let rows = try connection.query("SELECT * FROM run_summary WHERE run_id = ?", [.integer(id)]) { s in
            (0..<s.columnCount).map { NamedValue(name: s.columnName($0), value: s.value($0)) }
        }
        guard let summary = rows.first else { return nil }
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
