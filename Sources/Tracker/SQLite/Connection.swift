import CSQLite
import Foundation

/// `SQLITE_TRANSIENT`: tells SQLite to copy bound text and blobs before `bind` returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One connection to an SQLite database file.
///
/// Not thread-safe: use a connection from one thread at a time (the tracker gives each process
/// one writer, see ``RunStore``). Prepared statements are cached by SQL text and finalized when
/// the connection is released.
public final class Connection {
    let handle: OpaquePointer
    private var cache: [String: Statement] = [:]
    private var savepointCounter = 0
    /// The file the connection was opened on.
    public let path: String

    /// Opens (creating when missing) the database at `path`.
    /// - Parameters:
    ///   - path: a file path, or `:memory:`. Passed to SQLite as a URI filename
    ///     (<https://sqlite.org/uri.html>), so a later `ATTACH` may name a URI too.
    ///   - readOnly: open without write access (`mode=ro`; the file must exist).
    ///   - immutable: read the file as one that nothing can change (`immutable=1`: no locks, no
    ///     `-shm` file), for read-only storage; only with `readOnly`.
    ///   - busyTimeout: how long a statement waits for another connection's lock, in seconds.
    /// - Throws: ``SQLiteError`` when the file cannot be opened.
    public init(path: String, readOnly: Bool = false, immutable: Bool = false, busyTimeout: Double = 60) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let special = path == ":memory:" || path.isEmpty
        let name = special ? path : DatabaseFile.uri(path, readOnly ? (immutable ? ["mode=ro", "immutable=1"] : ["mode=ro"]) : [])
        let rc = sqlite3_open_v2(name, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            let code = db.map { sqlite3_extended_errcode($0) } ?? rc
            sqlite3_close_v2(db)
            throw SQLiteError(code: code, message: "cannot open \(path): \(message)", sql: nil)
        }
        handle = db
        self.path = path
        self.isImmutable = readOnly && immutable
        self.busyTimeout = busyTimeout
        sqlite3_extended_result_codes(db, 1)
        // Called by SQLite while another connection holds a lock the statement needs: 1 waits
        // and tries again, 0 gives up with SQLITE_BUSY.
        sqlite3_busy_handler(db, { context, count in
            Unmanaged<Connection>.fromOpaque(context!).takeUnretainedValue().waitsForLock(after: Int(count)) ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// True when the file is read as immutable (see ``init(path:readOnly:immutable:busyTimeout:)``).
    public let isImmutable: Bool

    /// How long a statement waits for another connection's lock, in seconds.
    public private(set) var busyTimeout: Double
    /// When the current wait for a lock began.
    private var waitStarted = Date()
    private let stopLock = NSLock()
    private var stoppedWaiting = false

    /// Sets how long a statement waits for another connection's lock, in seconds.
    public func setBusyTimeout(_ seconds: Double) {
        busyTimeout = seconds
    }

    /// From now on, a statement that finds another connection's lock gives up at once with
    /// `SQLITE_BUSY` instead of waiting up to ``busyTimeout``; a statement waiting right now gives
    /// up within about 10 ms. Unlike every other method, safe to call from any thread (e.g.
    /// while another thread is blocked in a statement), so a process told to stop at once is
    /// never held up by another program's write lock.
    public func stopWaitingForLocks() {
        stopLock.withLock { stoppedWaiting = true }
    }

    /// True once ``stopWaitingForLocks()`` was called.
    public var hasStoppedWaitingForLocks: Bool { stopLock.withLock { stoppedWaiting } }

    /// The busy handler: waits a little and says to try again, until ``busyTimeout`` has passed
    /// since the wait began (`count` 0) or ``stopWaitingForLocks()`` was called.
    private func waitsForLock(after count: Int) -> Bool {
        let now = Date()
        if count == 0 { waitStarted = now }
        guard !hasStoppedWaitingForLocks, now.timeIntervalSince(waitStarted) < busyTimeout else { return false }
        // Short sleeps first, as SQLite's own handler; never longer than 10 ms, so a stop is seen soon.
        usleep(count < 10 ? 1_000 : 10_000)
        return true
    }

    deinit {
        // Releases the cached statements, which finalizes them unless a caller still holds one;
        // sqlite3_close_v2 then closes the handle once the last statement is finalized.
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(handle: handle, rc: rc, sql: sql)
    }

    /// Runs one or more statements, discarding any rows (schema scripts, pragmas). Nothing can
    /// be bound; use ``run(_:_:)`` for values.
    /// - Throws: ``SQLiteError`` naming the failing SQL.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// A prepared statement for `sql` (exactly one SQL statement), from the cache when it was
    /// prepared before. The statement is reset and its bindings cleared.
    ///
    /// When the cached statement is still in the middle of its rows (a query run from inside
    /// another run of the same query), a fresh, uncached statement is returned instead, so the
    /// outer one is not disturbed.
    /// - Throws: ``SQLiteError`` when the SQL does not compile or holds more than one statement.
    public func prepare(_ sql: String) throws -> Statement {
        if let cached = cache[sql] {
            if !cached.isBusy {
                cached.reset()
                return cached
            }
            return try Statement(connection: self, sql: sql)
        }
        let statement = try Statement(connection: self, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// Runs `sql` (one statement) with `bindings` and discards any rows.
    /// - Returns: the number of rows the statement inserted, updated or deleted (0 for others).
    /// - Throws: ``SQLiteError`` naming the SQL.
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLValue] = []) throws -> Int {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        let before = sqlite3_total_changes64(handle)
        while try statement.step() {}
        return sqlite3_total_changes64(handle) == before ? 0 : Int(sqlite3_changes64(handle))
    }

    /// Runs a query and maps each row. The statement is reset afterwards, also when `row` throws,
    /// so no read transaction is left open.
    /// - Throws: ``SQLiteError``, or what `row` throws.
    public func query<T>(_ sql: String, _ bindings: [SQLValue] = [], _ row: (Statement) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        var rows: [T] = []
        while try statement.step() { rows.append(try row(statement)) }
        return rows
    }

    /// The first column of the first row, or nil when there is no row.
    /// - Throws: ``SQLiteError``.
    public func scalar(_ sql: String, _ bindings: [SQLValue] = []) throws -> SQLValue? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return statement.value(0)
    }

    /// The number of this connection's prepared statements that are not finalized yet.
    var openStatementCount: Int {
        var count = 0
        var statement = sqlite3_next_stmt(handle, nil)
        while let current = statement {
            count += 1
            statement = sqlite3_next_stmt(handle, current)
        }
        return count
    }

    /// The rowid of the last inserted row.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// How a transaction takes its lock.
    public enum TransactionKind: String {
        /// Takes the write lock at `BEGIN`, waiting up to the busy timeout for it.
        case immediate = "IMMEDIATE"
        /// Takes no lock until the first read; in WAL mode every read in it sees one snapshot.
        case deferred = "DEFERRED"
    }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` inside a transaction: committed when it returns, rolled back when it throws.
    /// `immediate` takes the write lock at once (waiting up to the busy timeout for another
    /// writer), so two writers never deadlock upgrading a read lock.
    ///
    /// Called while a transaction is already open, `body` runs in a savepoint instead: its
    /// changes are undone when it throws, and committed with the outer transaction.
    /// - Throws: what `body` throws, or ``SQLiteError`` (e.g. `SQLITE_BUSY` past the busy timeout).
    @discardableResult
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointCounter += 1
            let name = "tracker_savepoint_\(savepointCounter)"
            try execute("SAVEPOINT \(name)")
            do {
                let result = try body()
                try execute("RELEASE \(name)")
                return result
            } catch {
                if isInTransaction {
                    try? execute("ROLLBACK TO \(name)")
                    try? execute("RELEASE \(name)")
                }
                throw error
            }
        }
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            // A read transaction that SQLite rolled back on its own, after an error the body
            // handled (e.g. `SQLITE_NOMEM`), has nothing to commit; a write transaction must.
            if kind == .deferred && !isInTransaction { return result }
            try execute("COMMIT")
            return result
        } catch {
            // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// `PRAGMA user_version`: the number of the last migration applied.
    public var userVersion: Int {
        get throws { try scalar("PRAGMA user_version")?.int ?? 0 }
    }
}
