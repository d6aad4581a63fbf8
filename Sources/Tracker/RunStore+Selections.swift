import Foundation

/// The configuration one outer fold chose (a row of `selections`): for a nested sweep, fold
/// `outerFold` of repeat `repeat`; for a k-fold sweep with `refit`, repeat 0 and outer fold 0.
public struct Selection: Sendable, Equatable {
    /// 0...r-1.
    public var `repeat`: Int
    /// 1...k of nested cross-validation; 0 for the one choice of a k-fold sweep.
    public var outerFold: Int
    /// SHA-256 of ``config``: the chosen search configuration.
    public var configSHA256: String
    /// The chosen configuration as canonical JSON.
    public var config: String
    /// Epochs of the refit runs: the median of the chosen configuration's best epochs on its
    /// (inner) validation rows.
    public var refitEpochs: Int
    /// How many configurations were ranked.
    public var candidates: Int

    /// A selection with these parts.
    public init(repeat: Int, outerFold: Int, configSHA256: String, config: String, refitEpochs: Int, candidates: Int) {
        self.repeat = `repeat`
        self.outerFold = outerFold
        self.configSHA256 = configSHA256
        self.config = config
        self.refitEpochs = refitEpochs
        self.candidates = candidates
    }
}

/// What the refit runs of one selection scored on their test rows.
public struct RefitScore: Sendable, Equatable {
    /// The selection the refit runs belong to.
    public var selection: Selection
    /// Refit runs that finished with a test confusion matrix.
    public var finishedRuns: Int
    /// Refit runs of the selection in any status.
    public var runs: Int
    /// Test rows classified correctly, summed over the finished refit runs (one count per run
    /// and row).
    public var correct: Int
    /// Test rows scored, summed over the finished refit runs.
    public var scored: Int
    /// The outer test rows (0-based data set rows) of the selection's refit split.
    public var testRows: [Int]
}

extension RunStore {
    /// Search runs of the scope not yet done: queued, running, interrupted or failed (failed
    /// runs are retried on the next `exp sweep`, so a choice waits for them).
    /// - Parameter scope: a repeat and outer fold of a nested sweep; nil for the whole sweep.
    /// - Throws: ``SQLiteError``.
    public func unfinishedSearchRuns(sweepID: Int64, scope: (repeat: Int, outerFold: Int)?) throws -> Int {
        let filter = scope == nil ? "" : "AND repeat = ? AND outer_fold = ?"
        let values: [SQLValue] = [.integer(sweepID)] + (scope.map { [.of($0.repeat), .of($0.outerFold)] } ?? [])
        return try connection.scalar("""
            SELECT COUNT(*) FROM runs WHERE sweep_id = ? AND phase = 'search'
              AND status IN ('queued', 'running', 'interrupted', 'failed') \(filter)
            """, values)?.int ?? 0
    }

    /// The best epochs (lowest validation loss) of a configuration's finished search runs in
    /// the scope, in ascending order.
    /// - Throws: ``SQLiteError``.
    public func bestEpochs(sweepID: Int64, configSHA256: String, scope: (repeat: Int, outerFold: Int)?) throws -> [Int] {
        let filter = scope == nil ? "" : "AND repeat = ? AND outer_fold = ?"
        let values: [SQLValue] = [.integer(sweepID), .text(configSHA256)] + (scope.map { [.of($0.repeat), .of($0.outerFold)] } ?? [])
        return try connection.query("""
            SELECT best_epoch FROM runs WHERE sweep_id = ? AND config_sha256 = ? AND phase = 'search'
              AND status = 'finished' AND best_epoch IS NOT NULL \(filter) ORDER BY best_epoch
            """, values) { s in try s.required(s.int, "best_epoch") }
    }

    /// The sweep's selections, by repeat and outer fold.
    /// - Throws: ``SQLiteError``.
    public func selections(sweepID: Int64) throws -> [Selection] {
        try connection.query("""
            SELECT repeat, outer_fold, config_sha256, config, refit_epochs, candidates FROM selections
            WHERE sweep_id = ? ORDER BY repeat, outer_fold
            """, [.integer(sweepID)], readSelection)
    }

    /// Stores a selection and queues its refit runs in one transaction, unless the fold already
    /// has a selection (another process or an earlier call decided it): then nothing is written.
    /// - Returns: true when this call stored the selection.
    /// - Throws: ``SQLiteError``; nothing is stored then.
    @discardableResult
    public func recordSelection(sweepID: Int64, datasetID: Int64, _ selection: Selection, refitCells: [Cell]) throws -> Bool {
        try write {
            let inserted = try connection.run("""
                INSERT INTO selections (sweep_id, repeat, outer_fold, config_sha256, config, refit_epochs, candidates, selected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (sweep_id, repeat, outer_fold) DO NOTHING
                """, [.integer(sweepID), .of(selection.repeat), .of(selection.outerFold), .text(selection.configSHA256),
                      .text(selection.config), .of(selection.refitEpochs), .of(selection.candidates), .text(timestamp())])
            guard inserted == 1 else { return false }
            try enqueue(sweepID: sweepID, datasetID: datasetID, cells: refitCells)
            return true
        }
    }

    /// Each selection of the sweep with what its refit runs scored on their test rows.
    /// - Throws: ``SQLiteError``; a `DecodingError` for a stored confusion matrix or row list
    ///   that is not JSON of integers.
    public func refitScores(sweepID: Int64) throws -> [RefitScore] {
        try selections(sweepID: sweepID).map { selection in
            let runs = try connection.query("""
                SELECT r.status, r.test_confusion, p.test_rows FROM runs r JOIN splits p ON p.split_id = r.split_id
                WHERE r.sweep_id = ? AND r.phase = 'refit' AND r.repeat = ? AND r.outer_fold = ? ORDER BY r.cell_index
                """, [.integer(sweepID), .of(selection.repeat), .of(selection.outerFold)]) { s in
                (try s.required(s.string, "status"), try s.string("test_confusion"), try decodeJSON([Int].self, try s.string("test_rows")))
            }
            var score = RefitScore(selection: selection, finishedRuns: 0, runs: runs.count, correct: 0, scored: 0,
                                   testRows: runs.first?.2 ?? [])
            for (status, confusion, _) in runs where status == RunStatus.finished.rawValue {
                guard let confusion else { continue }
                let matrix = try decodeJSON([[Int]].self, confusion)
                score.finishedRuns += 1
                score.correct += matrix.indices.reduce(0) { $0 + matrix[$1][$1] }
                score.scored += matrix.joined().reduce(0, +)
            }
            return score
        }
    }
}

/// A `selections` row.
func readSelection(_ s: Statement) throws -> Selection {
    Selection(repeat: try s.required(s.int, "repeat"), outerFold: try s.required(s.int, "outer_fold"),
              configSHA256: try s.required(s.string, "config_sha256"), config: try s.required(s.string, "config"),
              refitEpochs: try s.required(s.int, "refit_epochs"), candidates: try s.required(s.int, "candidates"))
}
