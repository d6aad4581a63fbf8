import Foundation

/// One numbered schema change from `migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    /// The number in the file name; after it is applied, `PRAGMA user_version` equals it.
    public var version: Int
    /// The file name, e.g. `0001_initial.sql`.
    public var file: String
    /// The SQL text, exactly as in the file.
    public var sql: String
}

/// The migrations compiled into this binary (by the `EmbedMigrations` build plugin) from the
/// repository's `migrations/` folder.
public enum Migrations {
    /// Every migration, in version order.
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
public enum SchemaError: Error, CustomStringConvertible, Equatable {
    /// The file was written by a newer `exp` whose schema this binary does not know.
    case newerDatabase(path: String, found: Int, supported: Int)

    public var description: String {
        switch self {
        case let .newerDatabase(path, found, supported):
            return "\(path) has schema version \(found), newer than this exp supports (\(supported)); "
                + "use a newer exp, or another --db"
        }
    }
}

extension Connection {
    /// Brings the schema to ``Migrations/latestVersion``.
    ///
    /// Pending migrations run in order inside one `BEGIN IMMEDIATE` transaction, and the
    /// version is read again once the write lock is held, so processes that open the same file
    /// at the same moment apply each migration exactly once. Before a database that already
    /// holds runs is changed, a copy is written beside it with `VACUUM INTO`.
    /// - Returns: the path of the backup, when one was written.
    /// - Throws: ``SchemaError/newerDatabase(path:found:supported:)``, or ``SQLiteError``.
    @discardableResult
    func migrate(_ migrations: [Migration] = Migrations.all) throws -> String? {
        let latest = migrations.last?.version ?? 0
        let current = try userVersion
        if current > latest { throw SchemaError.newerDatabase(path: path, found: current, supported: latest) }
        if current == latest { return nil }
        var backup: String?
        if current > 0, try scalar("SELECT EXISTS (SELECT 1 FROM runs)")?.int == 1 {
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            let target = "\(path).v\(current)-backup-\(stamp)-\(getpid())"
            try run("VACUUM INTO ?", [.text(target)])
            backup = target
        }
        try transaction(.immediate) {
            let now = try userVersion
            if now > latest { throw SchemaError.newerDatabase(path: path, found: now, supported: latest) }
            for migration in migrations where migration.version > now {
                try execute(migration.sql)
                try execute("PRAGMA user_version = \(migration.version)")
            }
        }
        return backup
    }
}
