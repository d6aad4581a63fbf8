import Foundation
import Report
import Scoring
import Tracker

/// What the server knows of its database file, as `/api/status` and every page say it.
struct DatabaseState: Equatable, Sendable {
    enum Condition: String, Sendable {
        /// The file is read as it is.
        case ok
        /// The file was replaced by another one (a new inode, or its bytes written over in
        /// place) and is read again; ``since`` says when.
        case replaced
        /// The file is gone (or unreadable); requests that need it get 503 until it is back.
        case missing
    }
    var condition: Condition
    /// What happened, for a person; nil when `ok` from the start (`ok` with a message: the file
    /// opened first was moved away and is back).
    var message: String?
    /// When the condition was noticed (UTC ISO 8601).
    var since: String?
}

/// The one read-only connection of `exp serve` to its database, shared by every request.
///
/// Opened with `RunStore(path:readOnly: true)`, so it never writes, never creates the file and
/// never takes a write lock: in WAL mode a sweep writing at the same time never sees
/// `database is locked` because of it. Before each use it compares the file's device and inode
/// with those it opened: a file deleted under it makes every read fail with
/// ``DatabaseGoneError`` (503) until a file is back; a file replaced (another inode, e.g. a
/// copy moved over it) is opened again, and the state says so (the same file moved back is
/// `ok` again). A file written over in place (`cp other.db runs.db`: the same inode) cannot be
/// told by its inode; the open connection's pages then no longer match the file, and SQLite
/// reports it as damaged (`SQLITE_CORRUPT`, `SQLITE_NOTADB`): the file is then opened again and
/// the read tried once more, and a file that still fails is unreadable (503), never 500 with the
/// state `ok`. Access is serialised by a lock (a connection is not for concurrent use).
final class LiveDatabase: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var store: RunStore?
    private var identity: FileIdentity?
    /// The file last opened, kept while the path is missing: the same file moved back is `ok`
    /// again, not another file.
    private var lastOpened: FileIdentity?
    private var state = DatabaseState(condition: .ok, message: nil, since: nil)
    /// The stored models' probabilities the leaderboards scored, for the next second's leaderboards;
    /// emptied when the file is replaced.
    private let scores = ScoreCache()
    /// The learning curves the leaderboards read, for the next second's leaderboards; emptied
    /// when the file is replaced.
    private let curves = CurveCache()
    /// Leaderboards read in the last ``boardLifetime`` seconds, shared by the targets that show
    /// the same one (the leaderboard page, its table and `/api/sweeps/NAME/leaderboard`).
    private var boards: [BoardKey: (board: SweepLeaderboard, readAt: TimeInterval)] = [:]
    /// Seconds a leaderboard is reused once read: the reply cache's lifetime (longer in tests).
    var boardLifetime: TimeInterval = 1.0

    private struct BoardKey: Hashable {
        var sweep: String
        var metric: RankingMetric
        var top: Int
        var file: FileIdentity?
    }

    /// A file SQLite found damaged even when opened again, as it was then (inode, size, time
    /// of change): it is not opened again, nor said to be `ok`, until it changes.
    private var damaged: FileStamp?

    /// The file's inode, size and time of last change: a file written over in place changes it.
    struct FileStamp: Equatable {
        var identity: FileIdentity
        var size: Int64
        var changed: timespec
        static func of(_ path: String) -> FileStamp? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return FileStamp(identity: FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)),
                             size: Int64(info.st_size), changed: info.st_ctim)
        }
        static func == (a: FileStamp, b: FileStamp) -> Bool {
            a.identity == b.identity && a.size == b.size && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
        }
    }

    /// The file's device and inode.
    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
        static func of(_ path: String) -> FileIdentity? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
    }

    /// Opens `path` read-only.
    /// - Throws: what `RunStore(path:readOnly:)` throws (``DatabaseFileError`` for a missing,
    ///   empty or directory path, ``SchemaError``, ``SQLiteError``).
    init(path: String) throws {
        self.path = path
        identity = FileIdentity.of(path)
        lastOpened = identity
        store = try RunStore(path: path, readOnly: true)
    }

    /// The file's state as of the last check (``read(_:)`` checks it).
    var currentState: DatabaseState {
        lock.withLock {
            refresh()
            return state
        }
    }

    /// Runs `body` with the store, after checking the file is still the one opened.
    /// - Throws: ``DatabaseGoneError`` when the file is missing or cannot be opened again;
    ///   whatever `body` throws.
    func read<T>(_ body: (RunStore) throws -> T) throws -> T {
        try lock.withLock {
            refresh()
            guard let store else { throw gone() }
            do {
                return try body(store)
            } catch let error as SQLiteError where error.primary == .corrupt || error.primary == .notADatabase {
                guard let now = identity else { throw error }
                open(now, overwritten: true)
                guard let store = self.store else { throw gone() }
                do {
                    return try body(store)
                } catch let error as SQLiteError where error.primary == .corrupt || error.primary == .notADatabase {
                    lose("\(path) cannot be read: \(error.message)")
                    damaged = FileStamp.of(path)
                    throw gone()
                }
            }
        }
    }

    private func gone() -> DatabaseGoneError {
        DatabaseGoneError(message: state.message ?? "\(path) cannot be read")
    }

    /// Called, with the lock held, with the file's identity when another file is opened, or nil
    /// when the file is lost or was written over in place: the server drops the answers read
    /// before (all of them for nil). Set it before the first read.
    var onFileChange: (@Sendable (FileIdentity?) -> Void)?

    /// Compares the file with the one opened; reopens a replaced file. Called with the lock held.
    private func refresh() {
        let now = FileIdentity.of(path)
        if now == identity, store != nil { return }
        guard let now else {
            if state.condition != .missing { lose("\(path) was deleted or moved: nothing to show until it is back") }
            else { store = nil; identity = nil; onFileChange?(nil) }
            return
        }
        if let damaged, damaged == FileStamp.of(path) { return }
        damaged = nil
        open(now)
    }

    /// Opens the file (identity `now`) in place of the one read before, forgetting everything
    /// read from that one; `overwritten` when it is the same inode written over. Lock held.
    private func open(_ now: FileIdentity, overwritten: Bool = false) {
        store = nil  // the old file's connection is closed before the new file is opened
        scores.removeAll()
        curves.removeAll()
        boards = [:]
        do {
            store = try RunStore(path: path, readOnly: true)
        } catch {
            lose("\(path) cannot be read: \(error)")
            return
        }
        identity = now
        state = overwritten
            ? DatabaseState(condition: .replaced, message: "\(path) was written over in place: showing what it holds now", since: timestamp())
            : now == lastOpened
            ? DatabaseState(condition: .ok, message: "\(path) is back", since: timestamp())
            : DatabaseState(condition: .replaced, message: "\(path) was replaced by another file: showing the new one", since: timestamp())
        lastOpened = now
        onFileChange?(overwritten ? nil : now)
    }

    /// No file to read (gone, or unreadable: `message` says which) until the next check finds one.
    private func lose(_ message: String) {
        store = nil
        identity = nil
        state = DatabaseState(condition: .missing, message: message, since: timestamp())
        onFileChange?(nil)
    }
}

/// The database file is gone or unreadable (HTTP 503).
struct DatabaseGoneError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A leaderboard, and when it was read (`ProcessInfo.systemUptime` before the read began) if it
/// was read for an earlier answer: an answer built from a reused leaderboard is kept only until
/// a second after that read (``Reply/readAt``), so sharing makes no answer older.
struct SharedBoard {
    var board: SweepLeaderboard
    /// When the reused leaderboard was read; nil when it was read for this answer.
    var reusedFrom: TimeInterval?
}

extension LiveDatabase {

    /// A check that an answer built from `detail` (read from this database) still shows run
    /// `id` as stored: its ``RunRevision`` is unchanged. Nil while the run is queued or running.
    func stillCurrent(_ detail: RunDetail, id: Int64) -> (@Sendable () -> Bool)? {
        guard let revision = detail.revision else { return nil }
        return { [self] in (try? read { try $0.runRevision(id: id) }) == revision }
    }

    /// A sweep's leaderboard with `exp report`'s statistics, as the leaderboard page, its table
    /// and `/api/sweeps/NAME/leaderboard` show it: computed once for the three, and reused for
    /// ``boardLifetime`` seconds after the read began (for the same sweep, metric, top and file).
    /// - Throws: ``Refusal`` (404) for a sweep not in the database, ``DatabaseGoneError``, or a
    ///   store error.
    func leaderboard(_ name: String, metric: RankingMetric, top: Int) throws -> SharedBoard {
        do {
            return try read { store in
                let now = ProcessInfo.processInfo.systemUptime
                let key = BoardKey(sweep: name, metric: metric, top: top, file: identity)
                boards = boards.filter { now - $0.value.readAt < boardLifetime }
                if let kept = boards[key] { return SharedBoard(board: kept.board, reusedFrom: kept.readAt) }
                let board = try SweepLeaderboard.read(store: store, sweep: name, metric: metric, top: top, scores: scores, curves: curves)
                boards[key] = (board, now)
                return SharedBoard(board: board, reusedFrom: nil)
            }
        } catch ReportError.unknownSweep {
            throw Refusal.notFound("no sweep named '\(name)' in the database")
        }
    }
}
