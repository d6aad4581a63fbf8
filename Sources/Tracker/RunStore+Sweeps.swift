import Foundation

/// A sweep as stored.
public struct SweepRecord: Sendable, Equatable {
    public var id: Int64?
    public var name: String
    public var datasetID: Int64
    /// The grid file's text exactly as given.
    public var grid: String
    public var gridPath: String?
    /// The evaluation protocol as canonical JSON.
    public var protocolJSON: String
    public var toolVersion: String
    public var createdAt: String?

    public init(name: String, datasetID: Int64, grid: String, gridPath: String?, protocolJSON: String, toolVersion: String) {
        self.name = name
        self.datasetID = datasetID
        self.grid = grid
        self.gridPath = gridPath
        self.protocolJSON = protocolJSON
        self.toolVersion = toolVersion
    }
}

/// Errors about what is stored, as opposed to SQLite's own.
public enum TrackerError: Error, CustomStringConvertible, Equatable {
    /// A sweep of this name exists with a different grid file.
    case gridChanged(sweep: String)
    /// No run, sweep or data set with this identifier.
    case notFound(String)

    public var description: String {
        switch self {
        case .gridChanged(let sweep):
            return "sweep '\(sweep)' already exists with a different grid; to start a new sweep, change \"name\" in the grid file (or use another --db)"
        case .notFound(let what):
            return "\(what) not found"
        }
    }
}

extension RunStore {
    /// Creates the sweep, or returns the stored one when a sweep of this name exists with the
    /// same grid text (a resume).
    /// - Throws: ``TrackerError/gridChanged(sweep:)`` when the name exists with another grid.
    public func openSweep(_ record: SweepRecord) throws -> SweepRecord {
        try write {
            if let existing = try sweep(named: record.name) {
                guard existing.grid == record.grid, existing.datasetID == record.datasetID else {
                    throw TrackerError.gridChanged(sweep: record.name)
                }
                return existing
            }
            try connection.run("""
                INSERT INTO sweeps (name, dataset_id, grid, grid_sha256, grid_path, protocol, created_at, tool_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(record.name), .integer(record.datasetID), .text(record.grid), .text(sha256Hex(record.grid)),
                      .of(record.gridPath), .text(record.protocolJSON), .text(timestamp()), .text(record.toolVersion)])
            return try sweep(named: record.name)!
        }
    }

    /// The sweep called `name`, if stored.
    public func sweep(named name: String) throws -> SweepRecord? {
        try connection.query("""
            SELECT sweep_id, name, dataset_id, grid, grid_path, protocol, tool_version, created_at
            FROM sweeps WHERE name = ?
            """, [.text(name)]) { s in
            var record = SweepRecord(name: s.string(1)!, datasetID: Int64(s.int(2)!), grid: s.string(3)!,
                                     gridPath: s.string(4), protocolJSON: s.string(5)!, toolVersion: s.string(6)!)
            record.id = Int64(s.int(0)!)
            record.createdAt = s.string(7)
            return record
        }.first
    }

    /// The names of every sweep, oldest first.
    public func sweepNames() throws -> [String] {
        try connection.query("SELECT name FROM sweeps ORDER BY sweep_id") { $0.string(0)! }
    }
}
