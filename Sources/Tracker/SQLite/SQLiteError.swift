import CSQLite

/// An error reported by SQLite, with the extended result code, SQLite's message and the SQL
/// that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (`sqlite3_extended_errcode`), e.g. 5 `SQLITE_BUSY`, 2067 `SQLITE_CONSTRAINT_UNIQUE`.
    public var code: Int32
    /// SQLite's own message (`sqlite3_errmsg`).
    public var message: String
    /// The statement that failed, when there was one.
    public var sql: String?

    /// The primary result code (the low 8 bits of ``code``).
    public var primaryCode: Int32 { code & 0xff }

    /// True when the database was locked by another connection past the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// An error with these parts.
    public init(code: Int32, message: String, sql: String?) {
        self.code = code
        self.message = message
        self.sql = sql
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
