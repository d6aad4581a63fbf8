import Foundation

/// The experiment store: one `runs.db` file holding data sets, sweeps, runs, per-epoch metrics
/// and weights. See `docs/schema.md` for the tables and example queries.
///
/// A process opens one `RunStore` and uses it as its single writer (the sweep runner hands every
/// result to it from a serial queue). The file is in WAL mode, so readers — reports, the
/// `sqlite3` shell, pandas — never block the writer, and several processes can share the file on
/// one machine (never over NFS). The store knows nothing of training: it stores what it is given.
public final class RunStore {
    /// The open connection. Every SQL string lives in this module: other modules call the
    /// store's typed queries.
    let connection: Connection
    /// The path of the database file.
    public var path: String { connection.path }
    /// The backup written before this open migrated an older schema, if any.
    public private(set) var backupPath: String?

    /// Opens or creates the database at `path` and brings its schema up to date.
    ///
    /// The connection is set to WAL, `synchronous = NORMAL`, `foreign_keys = ON` and a 60 s busy
    /// timeout. An older schema is upgraded after a copy is written beside the file (see
    /// ``backupPath``).
    /// - Parameters:
    ///   - path: the database file (created when missing).
    ///   - readOnly: open for queries only; the schema must already be current.
    /// - Throws: ``SchemaError/newerDatabase(path:found:supported:)`` for a file from a newer
    ///   `exp`, ``SQLiteError`` when the file is not a database or cannot be opened.
    public convenience init(path: String, readOnly: Bool = false) throws {
        try self.init(path: path, readOnly: readOnly, migrations: Migrations.all)
    }

    /// Opens the store with another list of migrations (tests use it for upgrades).
    init(path: String, readOnly: Bool, migrations: [Migration]) throws {
        if readOnly, !FileManager.default.fileExists(atPath: path) {
            throw SQLiteError(.cannotOpen, message: "no database at \(path)", sql: nil)
        }
        connection = try Connection(path: path, readOnly: readOnly)
        try connection.execute("PRAGMA foreign_keys = ON")
        // A file from a newer exp is refused before anything is written to it (switching it to
        // WAL would change its header).
        let version = try retryingWhileBusy { try connection.userVersion }
        let latest = migrations.last?.version ?? 0
        if version > latest {
            throw SchemaError.newerDatabase(path: path, found: version, supported: latest)
        }
        if readOnly { return }
        try retryingWhileBusy { try connection.execute("PRAGMA journal_mode = WAL") }
        try connection.execute("PRAGMA synchronous = NORMAL")
        backupPath = try retryingWhileBusy { try connection.migrate(migrations) }
    }

    /// Switching to WAL and the first schema read may report `SQLITE_BUSY` without waiting
    /// while another process creates the file; such calls are retried for up to a minute.
    private func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(60)
        while true {
            do { return try body() } catch let error as SQLiteError where error.isBusy && Date() < deadline {
                usleep(20_000)
            }
        }
    }

    /// Copies the write-ahead log into the database file, so that — when no other process is
    /// using the file — the `.db` file alone holds every committed write and can be copied
    /// without its `-wal` file. A passive checkpoint: it never waits for, nor blocks, another
    /// process (whose own exit checkpoints the rest). Call it before the process exits; SQLite
    /// does it by itself only when the last connection closes.
    /// - Throws: ``SQLiteError``.
    /// - Parameter truncating: instead wait for readers and writers, copy the whole log and
    ///   empty the `-wal` file (`TRUNCATE`), e.g. before measuring the file's size.
    public func checkpoint(truncating: Bool = false) throws {
        try connection.execute("PRAGMA wal_checkpoint(\(truncating ? "TRUNCATE" : "PASSIVE"))")
    }

    /// The bytes of the pages that hold the given tables and indexes (from the `dbstat`
    /// virtual table), e.g. `["epoch_metrics", "sqlite_autoindex_epoch_metrics_1"]`.
    /// - Returns: nil when none of them has a page.
    /// - Throws: ``SQLiteError`` (``SQLiteError/Code/error`` when SQLite was built without `dbstat`).
    public func pageBytes(of names: [String]) throws -> Int? {
        let placeholders = names.map { _ in "?" }.joined(separator: ", ")
        return try connection.scalar("SELECT SUM(pgsize) FROM dbstat WHERE name IN (\(placeholders))",
                                     names.map { .text($0) })?.int
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`), committed when it returns and
    /// rolled back if it throws. Nested calls run in a savepoint of the outer transaction.
    /// - Throws: what `body` throws, or ``SQLiteError`` (`SQLITE_BUSY` when another process
    ///   holds the write lock for longer than the busy timeout, 60 seconds).
    @discardableResult
    public func write<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(.immediate, body)
    }
}

/// The current time as UTC ISO 8601 text with milliseconds, the format of every time column.
public func timestamp(_ date: Date = Date()) -> String {
    // Creating an ISO8601DateFormatter costs far more than formatting with one (it was most of
    // the time of storing a run), so one formatter is kept and used under a lock.
    timestampLock.lock()
    defer { timestampLock.unlock() }
    return timestampFormatter.string(from: date)
}

private let timestampLock = NSLock()
nonisolated(unsafe) private let timestampFormatter: ISO8601DateFormatter = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter
}()

/// Encodes `value` as compact JSON text with sorted keys.
func jsonText<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try! encoder.encode(value), as: UTF8.self)
}

/// Decodes JSON text written by ``jsonText(_:)``.
func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T {
    try JSONDecoder().decode(type, from: Data((text ?? "null").utf8))
}
