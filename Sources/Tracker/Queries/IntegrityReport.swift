import Foundation

/// What `exp db check` reports about a database file.
public struct IntegrityReport: Sendable {
    /// `PRAGMA integrity_check`'s lines: `["ok"]` for a sound file.
    public var integrity: [String]
    /// Rows `PRAGMA foreign_key_check` reports (references to rows that do not exist).
    public var foreignKeyViolations: Int
    /// The file's schema version (`PRAGMA user_version`).
    public var schemaVersion: Int
    /// Row counts of every table the file has, in ``RunStore/tables`` order (an older schema
    /// read only lacks the later ones).
    public var tableRows: [(table: String, rows: Int)]
    /// Run counts by status, by status name; statuses without runs are absent.
    public var statusCounts: [(status: String, runs: Int)]

    /// True when the integrity check says `ok` and no foreign key is broken.
    public var isSound: Bool { integrity == ["ok"] && foreignKeyViolations == 0 }
}

extension RunStore {
    /// The tables of the schema, in the order of their creation.
    public static let tables = ["datasets", "sweeps", "splits", "runs", "params", "epoch_metrics", "weights", "selections",
                                "run_tags", "sweep_tags", "run_notes", "sweep_notes", "sweep_grids",
                                "rungs", "checkpoints"]

    /// Checks the file: SQLite's integrity check, foreign keys, the schema version, and what is
    /// stored (rows per table, runs per status). Reads only.
    /// - Throws: ``SQLiteError`` when the file cannot be read (e.g. ``SQLiteError/Code/corrupt``,
    ///   ``SQLiteError/Code/notADatabase``).
    public func integrityReport() throws -> IntegrityReport {
        let integrity = try connection.query("PRAGMA integrity_check") { s in try s.string("integrity_check") ?? "" }
        let foreignKeys = try connection.foreignKeyViolations().count
        let version = try connection.userVersion
        let present = Set(try connection.query("SELECT name FROM sqlite_schema WHERE type = 'table'") { s in try s.required(s.string, "name") })
        let tableRows = try Self.tables.filter(present.contains).map { table in
            (table, try connection.scalar("SELECT COUNT(*) FROM \(table)")?.int ?? 0)
        }
        let statuses = try connection.query("SELECT status, COUNT(*) AS runs FROM runs GROUP BY status ORDER BY status") { s in
            (try s.required(s.string, "status"), try s.required(s.int, "runs"))
        }
        return IntegrityReport(integrity: integrity, foreignKeyViolations: foreignKeys, schemaVersion: version,
                               tableRows: tableRows, statusCounts: statuses)
    }

    /// Checks every page of the file (`PRAGMA quick_check`: the integrity check without
    /// comparing indexes to their tables). A full scan: it reads the whole file once.
    /// - Throws: ``DatabaseFileError/damaged(path:)`` when the check finds a problem;
    ///   ``SQLiteError`` when the file cannot be read.
    public func requireUndamaged() throws {
        do {
            let lines = try connection.query("PRAGMA quick_check") { s in try s.string("quick_check") ?? "" }
            if lines != ["ok"] { throw DatabaseFileError.damaged(path: path) }
        } catch let error as SQLiteError where error.primary == .corrupt || error.primary == .notADatabase {
            throw DatabaseFileError.damaged(path: path)
        }
    }
}
