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
    private(set) var connection: Connection
    /// The path of the database file.
    public let path: String
    /// The backup written before this open migrated an older schema, if any.
    public private(set) var backupPath: String?
    /// True when the file is read as immutable because nothing can be written beside it.
    public let isImmutable: Bool
    /// The temporary, upgraded copy read instead of an older-schema file opened read-only
    /// (removed when the store is released); nil when the file itself is read.
    public private(set) var upgradedCopy: String?

    /// Opens or creates the database at `path` and brings its schema up to date.
    ///
    /// The connection is set to WAL, `synchronous = NORMAL`, `foreign_keys = ON` and a 60 s busy
    /// timeout. An older schema is upgraded after a copy is written beside the file (see
    /// ``backupPath``); a 0-byte file is set up as a new database.
    ///
    /// Opened `readOnly`, nothing is ever written or created: the file must exist and hold a
    /// database. When SQLite cannot read it read-only because nothing can be written beside it
    /// (a WAL file on a read-only mount or in a folder the user may not write, where SQLite
    /// cannot create the `-shm` file) and no `-wal` file exists, it is read as immutable (see
    /// ``isImmutable``).
    /// - Parameters:
    ///   - path: the database file (created when missing, unless `readOnly`).
    ///   - readOnly: open for queries only; the file is never written (an older schema is read
    ///     through an upgraded temporary copy, ``upgradedCopy``).
    ///   - asStored: with `readOnly`, read an older schema as it is, without the upgraded copy
    ///     (`exp db check`, which reports on the file itself).
    /// - Throws: ``DatabaseFileError`` for a directory, a file that is not an SQLite database or
    ///   not an exp database, and when `readOnly` for a missing or empty file or a WAL file on
    ///   read-only storage;
    ///   ``SchemaError/newerDatabase(path:found:supported:)`` for a file from a newer `exp`;
    ///   ``SQLiteError`` when the file cannot be opened.
    public convenience init(path: String, readOnly: Bool = false, asStored: Bool = false) throws {
        try self.init(path: path, readOnly: readOnly, migrations: Migrations.all, asStored: asStored)
    }

    /// Opens the store with another list of migrations (tests use it for upgrades).
    init(path: String, readOnly: Bool, migrations: [Migration], asStored: Bool = false) throws {
        try DatabaseFile.check(path, forReading: readOnly)
        self.path = path
        var version = 0
        if readOnly {
            (connection, version) = try Self.openReadOnly(path)
        } else {
            connection = try Connection(path: path)
        }
        isImmutable = connection.isImmutable
        try connection.execute("PRAGMA foreign_keys = ON")
        if !readOnly {
            // A file from a newer exp, or another program's database, is refused before anything
            // is written to it (switching it to WAL would change its header). Version 0 with no
            // table is a new file: exp's first migration sets version 1 in the transaction that
            // creates its tables.
            version = try retryingWhileBusy { try connection.userVersion }
            if version == 0, try connection.scalar("SELECT count(*) FROM sqlite_master")?.int ?? 0 > 0 {
                throw DatabaseFileError.notExp(path: path)
            }
        }
        let latest = migrations.last?.version ?? 0
        if version > latest {
            throw SchemaError.newerDatabase(path: path, found: version, supported: latest)
        }
        if readOnly {
            if version == 0 { throw DatabaseFileError.notExp(path: path) }
            if !asStored && version < latest { try readUpgradedCopy(migrations) }
            return
        }
        try retryingWhileBusy { try connection.execute("PRAGMA journal_mode = WAL") }
        try connection.execute("PRAGMA synchronous = NORMAL")
        backupPath = try retryingWhileBusy { try connection.migrate(migrations) }
    }

    deinit {
        if let copy = upgradedCopy { try? FileManager.default.removeItem(atPath: (copy as NSString).deletingLastPathComponent) }
    }

    /// Reads an older-schema file opened read-only through a copy brought up to date in a
    /// temporary folder (`VACUUM INTO`, then the migrations), so that every query sees the
    /// current schema — columns added later read as they do for rows stored before them —
    /// while the file itself is never written.
    /// - Throws: ``SQLiteError``; ``SchemaError`` from a migration.
    private func readUpgradedCopy(_ migrations: [Migration]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exp-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent("upgraded.db").path
        upgradedCopy = copy
        try connection.run("VACUUM INTO ?", [.text(copy)])
        try Connection(path: copy).migrate(migrations, backup: false)
        connection = try Connection(path: copy, readOnly: true)
        try connection.execute("PRAGMA foreign_keys = ON")
    }

    /// A read-only connection to `path` and the file's schema version, falling back to an
    /// immutable one where SQLite cannot create the `-shm` file of a WAL database.
    private static func openReadOnly(_ path: String) throws -> (Connection, Int) {
        let connection = try Connection(path: path, readOnly: true)
        do {
            return (connection, try retryingWhileBusy { try connection.userVersion })
        } catch let error as SQLiteError where error.primary == .cannotOpen || error.primary == .readOnly {
            guard DatabaseFile.size(path + "-wal") == nil else { throw DatabaseFileError.walOnReadOnlyStorage(path: path) }
            let immutable = try Connection(path: path, readOnly: true, immutable: true)
            return (immutable, try immutable.userVersion)
        }
    }

    /// Switching to WAL and the first schema read may report `SQLITE_BUSY` without waiting
    /// while another process creates the file; such calls are retried for up to a minute.
    private static func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(60)
        while true {
            do { return try body() } catch let error as SQLiteError where error.isBusy && Date() < deadline {
                usleep(20_000)
            }
        }
    }

    private func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T { try Self.retryingWhileBusy(body) }

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

    /// Copies the whole write-ahead log into the database file and empties the `-wal` file
    /// (`wal_checkpoint(TRUNCATE)`), retrying for up to `seconds` while another connection — a
    /// live view, a user's query, another `exp` — holds a reader or the write lock. Call it as
    /// the process exits: when it returns true, the `.db` file alone holds every committed write.
    /// - Parameter seconds: how long to keep trying, in seconds.
    /// - Returns: false when another connection kept the log from being emptied in time (the
    ///   `-wal` file then belongs with any copy of the file).
    /// - Throws: ``SQLiteError`` for other failures (e.g. `SQLITE_FULL`); the log is kept then too.
    public func checkpointBeforeExit(within seconds: Double = 3) throws -> Bool {
        connection.setBusyTimeout(0.1)
        defer { connection.setBusyTimeout(60) }
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do {
                // One row: busy (1 when the checkpoint stopped short), log frames, checkpointed frames.
                if try connection.scalar("PRAGMA wal_checkpoint(TRUNCATE)")?.int == 0 { return true }
            } catch let error as SQLiteError where error.isBusy {}
            // After stopWaitingForLocks(), one try only.
            if Date() >= deadline || connection.hasStoppedWaitingForLocks { return false }
            usleep(50_000)
        }
    }

    /// From now on, every statement that finds another connection's lock gives up at once
    /// (`SQLITE_BUSY`) instead of waiting up to 60 seconds, also one waiting right now, and
    /// ``checkpointBeforeExit(within:)`` tries once. Unlike every other method, safe to call from
    /// any thread: a process told to stop at once calls it while its writer may be blocked.
    public func stopWaitingForLocks() {
        connection.stopWaitingForLocks()
    }

    /// Writes a consistent copy of the whole database to a new file at `path` (`VACUUM INTO`),
    /// safe at any time, also while other processes write: the copy is of one moment. The copy
    /// is in `journal_mode = DELETE`, so it is one self-contained file that opens on read-only
    /// media (`sqlite3 -readonly`, Python `mode=ro`).
    /// - Throws: ``DatabaseFileError/exists(path:)`` when `path` already exists; ``SQLiteError``
    ///   (e.g. `SQLITE_FULL`, `SQLITE_CANTOPEN` for a folder that does not exist).
    public func snapshot(to path: String) throws {
        if FileManager.default.fileExists(atPath: path) { throw DatabaseFileError.exists(path: path) }
        try connection.run("VACUUM INTO ?", [.text(path)])
        let copy = try Connection(path: path)
        try copy.execute("PRAGMA journal_mode = DELETE")
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

    /// Runs `body` in one read transaction (`BEGIN DEFERRED`): in WAL mode every query in it
    /// sees the database as it was at its first read, whatever another process commits
    /// meanwhile. Nested calls run in a savepoint of the outer transaction.
    /// - Throws: what `body` throws, or ``SQLiteError``.
    @discardableResult
    public func reading<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(.deferred, body)
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

/// The time a timestamp column holds (text written by ``timestamp(_:)``), or nil for other text.
func date(fromTimestamp text: String) -> Date? {
    timestampLock.lock()
    defer { timestampLock.unlock() }
    return timestampFormatter.date(from: text)
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
