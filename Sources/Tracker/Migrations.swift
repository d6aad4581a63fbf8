import Foundation

/// One numbered schema change from `migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    /// The number in the file name; after it is applied, `PRAGMA user_version` equals it.
    public var version: Int
    /// The file name, e.g. `0001_initial.sql`.
    public var file: String
    /// The SQL text, exactly as in the file.
    public var sql: String

    /// A migration to `version` (a positive integer) with this file name and SQL script.
    public init(version: Int, file: String, sql: String) {
        self.version = version
        self.file = file
        self.sql = sql
    }
}

/// The migrations compiled into this binary (by the `EmbedMigrations` build plugin) from the
/// repository's `migrations/` folder.
public enum Migrations {
    /// Every migration, in version order (increasing numbers, e.g. 1, 2, 3, ...).
    public static let all: [Migration] = embeddedMigrations.map { entry in
        let digits = entry.file.prefix { $0.isNumber }
        guard let version = Int(digits), version > 0 else {
            fatalError("migration file \(entry.file) must start with its number, e.g. 0002_name.sql")
        }
        return Migration(version: version, file: entry.file, sql: entry.sql)
    }

    /// The schema version this binary writes: the highest migration number.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}

/// Errors opening or upgrading a runs database.
public enum SchemaError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file was written by a newer `exp` whose schema this binary does not know.
    case newerDatabase(path: String, found: Int, supported: Int)
    /// A list of migrations whose versions do not increase from 1 (e.g. 1, 2, 3, ...).
    case badMigrationNumbers([Int])
    /// The migrations to `version` would leave rows referring to rows that do not exist (as
    /// `PRAGMA foreign_key_check` reports them: `table` rowid -> `parent`); nothing was changed.
    case foreignKeyViolations(version: Int, [ForeignKeyViolation])

    /// The error as a message for the user.
    public var description: String {
        switch self {
        case let .newerDatabase(path, found, supported):
            return "\(path) has schema version \(found), newer than this exp supports (\(supported)); "
                + "use a newer exp, or another --db"
        case let .badMigrationNumbers(numbers):
            return "migrations must be numbered 1, 2, 3, ... in increasing order; found \(numbers)"
        case let .foreignKeyViolations(version, violations):
            let shown = violations.prefix(5).map { "\($0.table) row \($0.rowID.map(String.init) ?? "?") -> \($0.parent)" }
            return "the upgrade to schema version \(version) would leave \(violations.count) broken references ("
                + shown.joined(separator: ", ") + (violations.count > 5 ? ", ..." : "") + "); the database was left as it was"
        }
    }
}

/// A row that refers to a row that does not exist: one line of `PRAGMA foreign_key_check`.
public struct ForeignKeyViolation: Sendable, Equatable {
    /// The table holding the reference.
    public var table: String
    /// The referring row's rowid (nil for a `WITHOUT ROWID` table).
    public var rowID: Int64?
    /// The table referred to.
    public var parent: String
}

extension Connection {
    /// Brings the schema to the last of `migrations` (by default ``Migrations/all``, up to
    /// ``Migrations/latestVersion``).
    ///
    /// Pending migrations run in order inside one `BEGIN IMMEDIATE` transaction, and the
    /// version is read again once the write lock is held, so processes that open the same file
    /// at the same moment apply each migration exactly once. A migration that fails rolls the
    /// whole upgrade back: the schema and `user_version` stay as they were. Before a database
    /// with an older schema is changed, a copy is written beside it with `VACUUM INTO`, named
    /// `<path>-backup-v<old version>-<UTC time>-<pid>`: by the one process that performs the
    /// upgrade, while it holds the write lock (`VACUUM INTO` cannot run inside a transaction, so
    /// the copy is taken on a second, read-only connection), so processes opening an old file at
    /// the same moment write one backup between them, and only that process returns it.
    ///
    /// Foreign keys are switched off for the upgrade (before the transaction: inside one,
    /// `PRAGMA foreign_keys` does nothing) and back on after it, so a migration may rebuild a
    /// table the SQLite way — create the new table, copy the rows, drop the old one, rename the
    /// new one — without `DROP TABLE` cascading into the rows that refer to it. Before the
    /// commit, `PRAGMA foreign_key_check` must find no broken reference that was not there
    /// before the upgrade, or the upgrade is rolled back.
    /// - Parameters:
    ///   - migrations: versions in increasing order from 1 (a number may be left out while
    ///     migrations are written in parallel), each script run as given.
    ///   - backup: write the copy of an older schema (off for a temporary copy).
    /// - Returns: the path of the backup, when this call upgraded the file and wrote one.
    /// - Throws: ``SchemaError/newerDatabase(path:found:supported:)`` when the file's
    ///   `user_version` is past the last migration (nothing is written then),
    ///   ``SchemaError/badMigrationNumbers(_:)``, ``SchemaError/foreignKeyViolations(version:_:)``,
    ///   or ``SQLiteError`` (from a failing migration, with its SQL; `SQLITE_BUSY` when another
    ///   writer holds the lock past the busy timeout; ``SQLiteError/Code/misuse`` when called
    ///   inside a transaction, where foreign keys cannot be switched off).
    @discardableResult
    public func migrate(_ migrations: [Migration] = Migrations.all, backup: Bool = true) throws -> String? {
        let numbers = migrations.map(\.version)
        guard numbers.first.map({ $0 == 1 }) ?? true, zip(numbers, numbers.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw SchemaError.badMigrationNumbers(numbers)
        }
        let latest = numbers.last ?? 0
        let current = try userVersion
        if current > latest { throw SchemaError.newerDatabase(path: path, found: current, supported: latest) }
        if current == latest { return nil }
        guard !isInTransaction else {
            throw SQLiteError(.misuse, message: "migrate() must not run inside a transaction", sql: nil)
        }
        let foreignKeys = try scalar("PRAGMA foreign_keys")?.int == 1
        if foreignKeys { try execute("PRAGMA foreign_keys = OFF") }
        defer { if foreignKeys { try? execute("PRAGMA foreign_keys = ON") } }
        return try transaction(.immediate) { () -> String? in
            let now = try userVersion
            if now > latest { throw SchemaError.newerDatabase(path: path, found: now, supported: latest) }
            if now == latest { return nil }  // another process upgraded it first
            var copy: String?
            if backup, now > 0, path != ":memory:", !path.isEmpty {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
                let target = "\(path)-backup-v\(now)-\(formatter.string(from: Date()))-\(getpid())"
                try Connection(path: path, readOnly: true).run("VACUUM INTO ?", [.text(target)])
                copy = target
            }
            let before = try foreignKeyViolations()
            for migration in migrations where migration.version > now {
                try execute(migration.sql)
                try execute("PRAGMA user_version = \(migration.version)")
            }
            // Only what the upgrade broke counts: a file that already had broken references
            // (`exp db check` reports them) can still be upgraded. Rows of WITHOUT ROWID tables
            // have no rowid, so references are compared by count per table and parent.
            let after = try foreignKeyViolations()
            func counts(_ list: [ForeignKeyViolation]) -> [String: Int] {
                list.reduce(into: [:]) { $0["\($1.table)->\($1.parent)", default: 0] += 1 }
            }
            let (old, new) = (counts(before), counts(after))
            if new.contains(where: { $0.value > old[$0.key, default: 0] }) {
                throw SchemaError.foreignKeyViolations(version: latest, after.filter { !before.contains($0) || $0.rowID == nil })
            }
            return copy
        }
    }

    /// Every row `PRAGMA foreign_key_check` reports.
    func foreignKeyViolations() throws -> [ForeignKeyViolation] {
        try query("PRAGMA foreign_key_check") { s in
            ForeignKeyViolation(table: try s.required(s.string, "table"), rowID: try s.id("rowid"),
                                parent: try s.required(s.string, "parent"))
        }
    }
}
