import Foundation

/// A stored data set with how many sweeps and runs use it (what `exp data list` prints).
public struct DatasetUsage: Sendable, Equatable {
    /// The data set (its ``DatasetRecord/content`` included).
    public var dataset: DatasetRecord
    /// Sweeps over this version.
    public var sweeps: Int
    /// Runs over this version.
    public var runs: Int
}

/// A sweep and its number of runs.
public struct SweepUsage: Sendable, Equatable {
    /// The sweep's name.
    public var name: String
    /// Its runs, in any status.
    public var runs: Int
}

extension RunStore {
    /// Every stored data set by name and version, with its counts of sweeps and runs.
    /// - Throws: ``SQLiteError``.
    public func datasetUsage() throws -> [DatasetUsage] {
        let counts = try connection.query("""
            SELECT d.dataset_id,
                   (SELECT COUNT(*) FROM sweeps s WHERE s.dataset_id = d.dataset_id) AS sweeps,
                   (SELECT COUNT(*) FROM runs r WHERE r.dataset_id = d.dataset_id) AS runs
            FROM datasets d
            """) { s in
            (try s.required(s.id, "dataset_id"), (try s.required(s.int, "sweeps"), try s.required(s.int, "runs")))
        }
        let byID = Dictionary(uniqueKeysWithValues: counts)
        return try datasets().map { record in
            let (sweeps, runs) = byID[record.id!] ?? (0, 0)
            return DatasetUsage(dataset: record, sweeps: sweeps, runs: runs)
        }
    }

    /// The sweeps over data set `datasetID`, by name, with their numbers of runs.
    /// - Throws: ``SQLiteError``.
    public func sweeps(datasetID: Int64) throws -> [SweepUsage] {
        try connection.query("""
            SELECT s.name, (SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.sweep_id) AS runs
            FROM sweeps s WHERE s.dataset_id = ? ORDER BY s.name
            """, [.integer(datasetID)]) { s in
            SweepUsage(name: try s.required(s.string, "name"), runs: try s.required(s.int, "runs"))
        }
    }
}
