import Foundation

/// A problem with a database file that is found before SQLite reads it, or that SQLite reports
/// in its own terms, told in the user's terms. Every message is one line naming the file.
public enum DatabaseFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// There is no file at `path` (read-only commands never create one).
    case missing(path: String)
    /// `path` is a directory.
    case directory(path: String)
    /// `path` is a 0-byte file (and has no `-wal` file): nothing to read.
    case empty(path: String)
    /// `path` does not start with SQLite's header (`SQLite format 3`), or SQLite says it is not
    /// a database (`SQLITE_NOTADB`).
    case notSQLite(path: String)
    /// `path` is an SQLite database that exp did not set up: read-only, its schema version
    /// (`PRAGMA user_version`) is 0; to write, it also holds tables of its own, which exp leaves
    /// alone.
    case notExp(path: String)
    /// SQLite found damaged pages (`SQLITE_CORRUPT`, or a failing `PRAGMA quick_check`).
    case damaged(path: String)
    /// The disk holding `path` is full (`SQLITE_FULL`); what was committed is kept.
    case diskFull(path: String)
    /// `path` is on storage nothing can be written to, and a `-wal` file beside it holds writes
    /// that SQLite cannot read without creating its `-shm` file.
    case walOnReadOnlyStorage(path: String)
    /// `path` and `other` name the same file (by device and inode).
    case sameFile(path: String, other: String)
    /// The output of a snapshot already exists.
    case exists(path: String)

    /// The problem an SQLite error on the file at `path` stands for, nil for other errors:
    /// `SQLITE_CORRUPT` is ``damaged(path:)``, `SQLITE_NOTADB` is ``notSQLite(path:)``,
    /// `SQLITE_FULL` is ``diskFull(path:)``.
    public init?(_ error: Error, path: String) {
        guard let error = error as? SQLiteError else { return nil }
        switch error.primary {
        case .corrupt?: self = .damaged(path: path)
        case .notADatabase?: self = .notSQLite(path: path)
        case .full?: self = .diskFull(path: path)
        default: return nil
        }
    }

    /// The message for the user.
    public var description: String {
        switch self {
        case .missing(let path): return "no database at \(path); run `exp sweep GRID` first"
        case .directory(let path): return "\(path) is a directory, not a database file"
        case .empty(let path): return "\(path) is empty: not an exp database"
        case .notSQLite(let path): return "\(path) is not an SQLite database"
        case .notExp(let path): return "\(path) is an SQLite database but not an exp database (it has no exp schema); name another file"
        case .damaged(let path): return "\(path) is damaged; `exp db check --db \(path)` shows where"
        case .diskFull(let path): return "the disk holding \(path) is full; free space and run the same command to resume"
        case .walOnReadOnlyStorage(let path):
            return "\(path) is on read-only storage and its -wal file holds recent writes; copy \(path) and \(path)-wal to writable storage"
        case let .sameFile(path, other): return "cannot merge \(other) into \(path): they are the same file"
        case .exists(let path): return "\(path) already exists; name a new file"
        }
    }
}

/// Facts about a database path from the file system, read before SQLite opens it.
enum DatabaseFile {
    /// Refuses a directory and a non-empty file that does not start with SQLite's header, and
    /// for reading also a missing or empty file.
    ///
    /// SQLite itself reads a file shorter than its 100-byte header as an empty database, and
    /// would write over it: a 1-byte file of text is refused here instead.
    /// - Throws: ``DatabaseFileError``.
    static func check(_ path: String, forReading: Bool) throws {
        guard path != ":memory:", !path.isEmpty else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if forReading { throw DatabaseFileError.missing(path: path) }
            return
        }
        if isDirectory.boolValue { throw DatabaseFileError.directory(path: path) }
        let bytes = size(path) ?? 0
        if forReading, bytes == 0, size(path + "-wal") ?? 0 == 0 { throw DatabaseFileError.empty(path: path) }
        if bytes > 0, let file = FileHandle(forReadingAtPath: path) {
            defer { try? file.close() }
            let start = (try? file.read(upToCount: header.count)) ?? Data()
            if start != header { throw DatabaseFileError.notSQLite(path: path) }
        }
    }

    /// The first 16 bytes of every SQLite database file (<https://sqlite.org/fileformat.html>).
    static let header = Data("SQLite format 3\0".utf8)

    /// The size of the file at `path` in bytes, nil when there is none.
    static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// The device and inode of the file at `path` (following symbolic links), nil when there is none.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        return stat(path, &info) == 0 ? [UInt64(info.st_dev), UInt64(info.st_ino)] : nil
    }

    /// `path` as an SQLite URI filename (<https://sqlite.org/uri.html>) with `parameters`,
    /// e.g. `file:/data/runs.db?mode=ro&immutable=1`.
    static func uri(_ path: String, _ parameters: [String]) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        // A relative path must not start with `//`, which would be read as an authority.
        let prefix = encoded.hasPrefix("//") ? "file:" + "/" + encoded.drop { $0 == "/" } : "file:" + encoded
        return parameters.isEmpty ? prefix : prefix + "?" + parameters.joined(separator: "&")
    }
}
