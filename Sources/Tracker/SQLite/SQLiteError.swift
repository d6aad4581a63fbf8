import CSQLite

/// An error reported by SQLite, with the extended result code, SQLite's message and the SQL
/// that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary result codes that callers tell apart (<https://sqlite.org/rescode.html>).
    public enum Code: Int32, Sendable, CaseIterable {
        /// `SQLITE_ERROR`: a generic error, e.g. an SQL syntax error or a missing table.
        case error = 1
        /// `SQLITE_BUSY`: another connection held a lock past the busy timeout.
        case busy = 5
        /// `SQLITE_LOCKED`: a conflict with a lock on the same connection or shared cache.
        case locked = 6
        /// `SQLITE_READONLY`: a write to a file opened read-only or that may not be written.
        case readOnly = 8
        /// `SQLITE_CORRUPT`: the file is damaged.
        case corrupt = 11
        /// `SQLITE_FULL`: the disk is full.
        case full = 13
        /// `SQLITE_CANTOPEN`: the file could not be opened.
        case cannotOpen = 14
        /// `SQLITE_CONSTRAINT`: a constraint (unique, check, not null, foreign key) failed.
        case constraint = 19
        /// `SQLITE_MISUSE`: the library was used wrongly (e.g. two statements given to prepare).
        case misuse = 21
        /// `SQLITE_RANGE`: a parameter or column index (or name) that the statement does not have.
        case range = 25
        /// `SQLITE_NOTADB`: the file is not an SQLite database.
        case notADatabase = 26
    }

    /// The extended result code (`sqlite3_extended_errcode`), e.g. 5 `SQLITE_BUSY`, 2067 `SQLITE_CONSTRAINT_UNIQUE`.
    public var code: Int32
    /// SQLite's own message (`sqlite3_errmsg`).
    public var message: String
    /// The statement that failed, when there was one.
    public var sql: String?

    /// The primary result code (the low 8 bits of ``code``).
    public var primaryCode: Int32 { code & 0xff }

    /// The primary result code by name, nil for a code without a name in ``Code``.
    public var primary: Code? { Code(rawValue: primaryCode) }

    /// True when the database was locked by another connection past the busy timeout.
    public var isBusy: Bool { primary == .busy || primary == .locked }

    /// An error with these parts.
    public init(code: Int32, message: String, sql: String?) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// An error with a primary result code.
    public init(_ code: Code, message: String, sql: String?) {
        self.init(code: code.rawValue, message: message, sql: sql)
    }

    /// The error SQLite last reported on `handle`; `rc` is used when SQLite has no code set.
    init(handle: OpaquePointer, rc: Int32, sql: String?) {
        let extended = sqlite3_extended_errcode(handle)
        // The extended code belongs to this failure when its primary part matches `rc`.
        code = (extended & 0xff) == (rc & 0xff) ? extended : rc
        message = String(cString: sqlite3_errmsg(handle))
        self.sql = sql
    }

    /// The error as text: code, message and the SQL on one line.
    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in: \(sql.split(whereSeparator: \.isNewline).joined(separator: " ")))" }
        return text
    }
}
