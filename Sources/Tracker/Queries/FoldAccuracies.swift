import Foundation

/// One configuration's finished search runs on one fold of a k-fold sweep, averaged over seeds.
public struct FoldAccuracy: Sendable, Equatable {
    /// The configuration.
    public var configSHA256: String
    /// 0...r-1.
    public var `repeat`: Int
    /// 1...k.
    public var fold: Int
    /// Mean final validation accuracy (a fraction) of the configuration's finished runs on this
    /// fold: its accuracy on the fold's held-out rows.
    public var validationAccuracyMean: Double
    /// The fold's held-out (validation) rows.
    public var validationRows: Int
    /// The fold's training rows.
    public var trainingRows: Int
}

extension RunStore {
    /// Each configuration in `configSHA256s` on each fold (repeat and fold) of a k-fold sweep:
    /// its finished search runs' mean final validation accuracy, with the fold's row counts.
    /// Holdout and nested sweeps (fold 0 or an outer fold) give no rows.
    /// - Returns: rows ordered by configuration hash, repeat and fold.
    /// - Throws: ``SQLiteError``.
    public func foldAccuracies(sweepID: Int64, configSHA256s: [String]) throws -> [FoldAccuracy] {
        guard !configSHA256s.isEmpty else { return [] }
        let list = configSHA256s.map { _ in "?" }.joined(separator: ", ")
        return try connection.query("""
            SELECT r.config_sha256, r.repeat, r.fold, AVG(r.final_validation_accuracy) AS validation_accuracy_mean,
                   json_array_length(p.validation_rows) AS validation_rows, json_array_length(p.train_rows) AS train_rows
            FROM runs r JOIN splits p ON p.split_id = r.split_id
            WHERE r.sweep_id = ? AND r.status = 'finished' AND r.phase = 'search' AND r.outer_fold = 0 AND r.fold > 0
              AND r.final_validation_accuracy IS NOT NULL AND r.config_sha256 IN (\(list))
            GROUP BY r.config_sha256, r.repeat, r.fold ORDER BY r.config_sha256, r.repeat, r.fold
            """, [.integer(sweepID)] + configSHA256s.map { .text($0) }) { s in
            FoldAccuracy(configSHA256: try s.required(s.string, "config_sha256"), repeat: try s.required(s.int, "repeat"),
                         fold: try s.required(s.int, "fold"),
                         validationAccuracyMean: try s.required(s.double, "validation_accuracy_mean"),
                         validationRows: try s.required(s.int, "validation_rows"), trainingRows: try s.required(s.int, "train_rows"))
        }
    }
}
