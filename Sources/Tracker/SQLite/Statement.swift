import CSQLite
import Foundation

/// A value bound to or read from SQLite.
public enum SQLValue: Equatable, Sendable {
    /// SQL NULL (also what a NaN `.real` is stored as).
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A double; NaN binds as NULL, infinities are stored and read back as they are.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes.
    case blob([UInt8])

    /// The value as an integer, when it is one.
    public var int: Int? {
        switch self {
        case .integer(let v): return Int(v)
        case .real(let v): return Int(exactly: v)
        default: return nil
        }
    }
    /// The value as a Double, when numeric.
    public var double: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        default: return nil
        }
    }
    /// The value as text, when it is text.
    public var string: String? { if case .text(let s) = self { return s } else { return nil } }
    /// The value as bytes, when it is a blob.
    public var bytes: [UInt8]? { if case .blob(let b) = self { return b } else { return nil } }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral {
    /// `.text` from a string literal.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `.integer` from an integer literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// `.real` from a float literal.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// `.null` from `nil`.
    public init(nilLiteral: ()) { self = .null }
}

public extension SQLValue {
    /// A Double, NULL when nil. SQLite stores NaN as NULL; infinities are kept.
    static func of(_ value: Double?) -> SQLValue { value.map { .real($0) } ?? .null }
    /// An integer, NULL when nil.
    static func of(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
    /// Text, NULL when nil.
    static func of(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
}

/// A prepared statement, cached by its ``Connection`` and finalized when the last reference to
/// it is released (at the latest when the connection is). Do not use a statement after its
/// connection is gone.
public final class Statement {
    let handle: OpaquePointer
    /// The connection's handle, for error messages. SQLite keeps it open until this statement
    /// is finalized (`sqlite3_close_v2`).
    private let db: OpaquePointer
    /// The SQL text the statement was prepared from.
    public let sql: String
    /// Result column indexes by name, filled by the first ``columnIndex(_:)``.
    fileprivate var columnIndexes: [String: Int]?

    init(connection: Connection, sql: String) throws {
        var statement: OpaquePointer?
        var moreStatements = false
        let db = connection.handle
        let rc = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(db, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            // Anything but whitespace and comments after the first statement would be ignored
            // silently: refuse it instead.
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                moreStatements = sqlite3_prepare_v2(db, tail, -1, &next, nil) != SQLITE_OK || next != nil
                sqlite3_finalize(next)
            }
            return rc
        }
        guard rc == SQLITE_OK else { throw SQLiteError(handle: db, rc: rc, sql: sql) }
        guard let statement, !moreStatements else {
            sqlite3_finalize(statement)
            throw SQLiteError(.misuse,
                              message: moreStatements ? "prepare takes one statement; use execute for scripts" : "no statement in the SQL",
                              sql: sql)
        }
        handle = statement
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// True while the statement has stepped into its rows and not been reset.
    public var isBusy: Bool { sqlite3_stmt_busy(handle) != 0 }

    /// True when the statement only reads (a `SELECT` or a read-only pragma).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Resets the statement so it can run again, and clears its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds values to the parameters `?1 ... ?n` in order.
    /// - Throws: ``SQLiteError`` when a value cannot be bound, or when the count of values is
    ///   not the statement's count of parameters.
    public func bind(_ values: [SQLValue]) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(.range, message: "\(values.count) values bound to \(expected) parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to the 1-based parameter `index`. A NaN `.real` binds as NULL (SQLite
    /// would store NULL anyway); infinities bind as themselves and read back unchanged.
    /// - Throws: ``SQLiteError`` (e.g. `SQLITE_RANGE` for an index past the last parameter).
    public func bind(_ value: SQLValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = v.isNaN ? sqlite3_bind_null(handle, index) : sqlite3_bind_double(handle, index, v)
        case .text(let v):
            // Bound by length, so text holding NUL characters is kept whole.
            var utf8 = Array(v.utf8)
            if utf8.isEmpty { utf8 = [0] }  // a non-null pointer for the empty string
            rc = utf8.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(v.utf8.count), sqliteTransient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let v):
            rc = v.withUnsafeBytes { sqlite3_bind_blob64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), sqliteTransient) }
        }
        if rc != SQLITE_OK { throw SQLiteError(handle: db, rc: rc, sql: sql) }
    }

    /// Advances to the next row.
    /// - Returns: true when a row is available, false when the statement is done (it is then reset).
    /// - Throws: ``SQLiteError`` (the statement is reset first).
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        default:
            let error = SQLiteError(handle: db, rc: rc, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// The number of columns in a result row.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of result column `index` (0-based).
    public func columnName(_ index: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(index))) }

    /// The value of result column `index` (0-based) in the current row.
    public func value(_ index: Int) -> SQLValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            // Read by length: text may hold NUL characters.
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeRawBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let base = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    /// Column `index` as a Double (nil for NULL).
    public func double(_ index: Int) -> Double? { value(index).double }
    /// Column `index` as an Int (nil for NULL).
    public func int(_ index: Int) -> Int? { value(index).int }
    /// Column `index` as text (nil for NULL).
    public func string(_ index: Int) -> String? {
        let v = value(index)
        switch v {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        default: return nil
        }
    }
}

// Reading result columns by name: a renamed or reordered column fails with its name instead of
// reading another column's value.
extension Statement {
    /// The 0-based index of the result column called `name` (as the SQL names it, e.g. with
    /// `AS`). The names are looked up once per statement.
    /// - Throws: ``SQLiteError`` with code ``SQLiteError/Code/range`` naming the column and
    ///   the columns there are, when the result has no column of that name.
    public func columnIndex(_ name: String) throws -> Int {
        if columnIndexes == nil {
            var indexes: [String: Int] = [:]
            for index in 0..<columnCount where indexes[columnName(index)] == nil { indexes[columnName(index)] = index }
            columnIndexes = indexes
        }
        guard let index = columnIndexes?[name] else {
            let known = (0..<columnCount).map(columnName).joined(separator: ", ")
            throw SQLiteError(.range, message: "no result column '\(name)' (the columns are: \(known))", sql: sql)
        }
        return index
    }

    /// The value of the column called `name` in the current row.
    /// - Throws: ``SQLiteError`` for an unknown column.
    public func value(_ name: String) throws -> SQLValue { value(try columnIndex(name)) }
    /// The column called `name` as an Int (nil for NULL).
    /// - Throws: ``SQLiteError`` for an unknown column.
    public func int(_ name: String) throws -> Int? { try value(name).int }
    /// The column called `name` as an Int64 row id (nil for NULL).
    /// - Throws: ``SQLiteError`` for an unknown column.
    public func id(_ name: String) throws -> Int64? { try value(name).int.map(Int64.init) }
    /// The column called `name` as a Double (nil for NULL).
    /// - Throws: ``SQLiteError`` for an unknown column.
    public func double(_ name: String) throws -> Double? { try value(name).double }
    /// The column called `name` as text (nil for NULL; numbers as their text).
    /// - Throws: ``SQLiteError`` for an unknown column.
    public func string(_ name: String) throws -> String? { string(try columnIndex(name)) }
    /// The column called `name` as bytes (nil for NULL or a value that is not a blob).
    /// - Throws: ``SQLiteError`` for an unknown column.
    public func bytes(_ name: String) throws -> [UInt8]? { try value(name).bytes }

    /// The column called `name`, read with `read`, which must not be nil (a NOT NULL column).
    /// - Throws: ``SQLiteError`` for an unknown column, or for a NULL value.
    public func required<T>(_ read: (String) throws -> T?, _ name: String) throws -> T {
        guard let value = try read(name) else {
            throw SQLiteError(.misuse, message: "result column '\(name)' is NULL where a value is required", sql: sql)
        }
        return value
    }
}
