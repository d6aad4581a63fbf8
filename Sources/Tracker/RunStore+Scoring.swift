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
}

extension RunStore {
    /// The finished search runs of a sweep's configurations `configSHA256s` (every configuration
    /// when empty), in run id order; refit runs, scored on their own test rows, are left out.
    /// - Throws: ``SQLiteError``.
    public func scorableRuns(sweepID: Int64, configSHA256s: [String]) throws -> [ScorableRun] {
        let filter = configSHA256s.isEmpty ? "" : " AND config_sha256 IN (\(configSHA256s.map { _ in "?" }.joined(separator: ", ")))"
        return try connection.query("""
            SELECT run_id, config_sha256, seed, fold, split_id, dataset_id FROM runs
            WHERE sweep_id = ? AND status = 'finished' AND phase = 'search'\(filter) ORDER BY run_id
            """, [.integer(sweepID)] + configSHA256s.map { .text($0) }) { s in
            ScorableRun(runID: Int64(s.int(0)!), configSHA256: s.string(1)!, seed: s.int(2)!, fold: s.int(3)!,
                        splitID: Int64(s.int(4)!), datasetID: Int64(s.int(5)!))
        }
    }
}
