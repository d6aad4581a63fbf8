import Foundation

/// A finished run whose stored model can be scored again: which configuration it belongs to and
/// which split it trained on.
public struct ScorableRun: Sendable, Equatable {
    public var runID: Int64
    public var configSHA256: String
    public var seed: Int
    public var fold: Int
    public var splitID: Int64
    public var datasetID: Int64
    /// 0...r-1 of repeated cross-validation.
    public var `repeat`: Int = 0
    /// 1...K of nested cross-validation; 0 otherwise.
    public var outerFold: Int = 0
    /// The `sha256` of its stored `final` weights; nil for a run stored without weights.
    public var finalWeightsSHA256: String? = nil
}

extension RunStore {
    /// The finished runs of `phase` of a sweep's configurations `configSHA256s` (every
    /// configuration when empty), in run id order. Search runs by default; refit runs are
    /// scored on their own (outer) test rows.
    /// - Throws: ``SQLiteError``.
    public func scorableRuns(sweepID: Int64, configSHA256s: [String], phase: RunPhase = .search) throws -> [ScorableRun] {
        let filter = configSHA256s.isEmpty ? "" : " AND r.config_sha256 IN (\(configSHA256s.map { _ in "?" }.joined(separator: ", ")))"
        return try connection.query("""
            SELECT r.run_id, r.config_sha256, r.seed, r.fold, r.split_id, r.dataset_id, r.repeat, r.outer_fold,
                   w.sha256 AS final_weights_sha256
            FROM runs r LEFT JOIN weights w ON w.run_id = r.run_id AND w.kind = 'final'
            WHERE r.sweep_id = ? AND r.status = 'finished' AND r.phase = ?\(filter) ORDER BY r.run_id
            """, [.integer(sweepID), .text(phase.rawValue)] + configSHA256s.map { .text($0) }) { s in
            ScorableRun(runID: try s.required(s.id, "run_id"), configSHA256: try s.required(s.string, "config_sha256"),
                        seed: try s.required(s.int, "seed"), fold: try s.required(s.int, "fold"),
                        splitID: try s.required(s.id, "split_id"), datasetID: try s.required(s.id, "dataset_id"),
                        repeat: try s.required(s.int, "repeat"), outerFold: try s.required(s.int, "outer_fold"),
                        finalWeightsSHA256: try s.string("final_weights_sha256"))
        }
    }

    /// The splits the sweep's finished search runs trained on, each once, in the order of its
    /// first such run, with its data set: what ``scorableRuns(sweepID:configSHA256s:phase:)``
    /// for every configuration would give, one run per split, without reading a run's weights.
    /// - Throws: ``SQLiteError``.
    public func scoredSplits(sweepID: Int64) throws -> [(splitID: Int64, datasetID: Int64)] {
        try connection.query("""
            SELECT split_id, MIN(dataset_id) AS dataset_id FROM runs
            WHERE sweep_id = ? AND status = 'finished' AND phase = 'search'
            GROUP BY split_id ORDER BY MIN(run_id)
            """, [.integer(sweepID)]) { s in
            (try s.required(s.id, "split_id"), try s.required(s.id, "dataset_id"))
        }
    }
}
