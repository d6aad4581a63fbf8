import Foundation

/// Answers shared by every client that asks for the same page or endpoint within one tick.
///
/// An answer is computed once per target (path and query, as sent) and reused for ``lifetime``
/// seconds after it is ready, or after its data was read when that was earlier
/// (``Reply/readAt``: the leaderboard its page, table and API answer share) — one tick of
/// ``LiveFeed``, the pace of the live view's own updates — and a request that arrives while the answer is being computed waits for that one
/// computation. So the database work per second grows with the number of distinct targets asked
/// for, not with the number of clients: 100 browsers showing the same leaderboard cost one
/// leaderboard a second, and the read lock stays free for the feed's snapshot. An answer is
/// reused only for the same database file (``Key/file``: a file replaced or deleted is read
/// again at once, and its answers are dropped, ``keepOnly(file:)``), and only a `200` answer
/// without a stream is kept once it is ready (a `404` for a run not stored yet is asked again).
///
/// An answer that can say whether it is still right (``Reply/stillCurrent``: a finished run's
/// page, curves and JSON) is kept past its lifetime: once a lifetime the next request for it
/// asks that one cheap question (one row read) instead of computing it again (a thousand epoch
/// rows read, encoded or drawn), and gets the same answer while the run's stored rows are
/// unchanged. Before a new answer is computed, such kept answers beyond ``keptBytes`` bytes of
/// bodies are dropped, the ones ready or checked least recently first.
final class ReplyCache: @unchecked Sendable {
    /// What an answer depends on: the request target and the database file's identity.
    struct Key: Hashable {
        var target: String
        /// The file's device and inode when the request came; nil when it was missing.
        var file: LiveDatabase.FileIdentity?
    }

    private struct Entry {
        var serial: Int
        var task: Task<Reply, Never>
        /// `ProcessInfo.systemUptime` when the answer was ready; nil while it is computed.
        var ready: TimeInterval?
        /// The answer, once ready, when it can say whether it is still right.
        var kept: Reply?
    }

    /// Seconds an answer is reused once ready.
    let lifetime: TimeInterval
    /// Bytes of bodies kept past their lifetime, checked before a new answer is computed (32 MiB
    /// by default).
    let keptBytes: Int
    /// The time in seconds (`ProcessInfo.systemUptime`; a test's own clock in tests).
    private let now: @Sendable () -> TimeInterval
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var serials = 0

    init(lifetime: TimeInterval = 1.0, keptBytes: Int = 32 << 20,
         clock: @escaping @Sendable () -> TimeInterval = { ProcessInfo.processInfo.systemUptime }) {
        self.lifetime = lifetime
        self.keptBytes = keptBytes
        now = clock
    }

    /// The answer for `key`: the one being computed or computed less than ``lifetime`` ago; else
    /// a kept answer that `recheck` finds still current (`recheck` runs the answer's
    /// ``Reply/stillCurrent``, a blocking read, where blocking is allowed); else a new one from
    /// `compute`.
    func reply(for key: Key, compute: @escaping @Sendable () async -> Reply,
               recheck: @escaping @Sendable (@escaping @Sendable () -> Bool) async -> Bool = { $0() }) async -> Reply {
        let (serial, task) = lock.withLock { () -> (Int, Task<Reply, Never>) in
            let now = self.now()
            if let entry = entries[key], entry.ready.map({ now - $0 < lifetime }) ?? true {
                return (entry.serial, entry.task)
            }
            let kept = entries[key]?.kept
            entries[key] = nil
            prune(now: now)
            serials += 1
            let task = Task { () -> Reply in
                if let kept, let check = kept.stillCurrent, await recheck(check) { return kept }
                return await compute()
            }
            entries[key] = Entry(serial: serials, task: task, ready: nil)
            return (serials, task)
        }
        let reply = await task.value
        lock.withLock {
            guard var entry = entries[key], entry.serial == serial, entry.ready == nil else { return }
            if reply.status == 200 && reply.stream == nil {
                entry.ready = min(reply.readAt ?? .infinity, now())
                entry.kept = reply.stillCurrent == nil ? nil : reply
                entries[key] = entry
            } else {
                entries[key] = nil
            }
        }
        return reply
    }

    /// Drops the answers past their lifetime that cannot say whether they are still right, and
    /// of the others the least recently ready beyond ``keptBytes``. Called with the lock held.
    private func prune(now: TimeInterval) {
        entries = entries.filter { $0.value.ready.map { now - $0 < lifetime } ?? true || $0.value.kept != nil }
        var total = entries.values.reduce(0) { $0 + ($1.kept?.body.count ?? 0) }
        guard total > keptBytes else { return }
        for (key, entry) in entries.filter({ $0.value.kept != nil }).sorted(by: { $0.value.ready! < $1.value.ready! }) where total > keptBytes {
            total -= entry.kept!.body.count
            entries[key] = nil
        }
    }

    /// Drops every answer read from another file than `file` (``LiveDatabase`` calls it when it
    /// opens another file or loses its own): once a file is closed its inode number may be
    /// given to a new file, whose requests must not find the old file's answers.
    func keepOnly(file: LiveDatabase.FileIdentity?) {
        lock.withLock { entries = entries.filter { $0.key.file == file } }
    }

    /// How many answers are held (computed or being computed).
    var count: Int { lock.withLock { entries.count } }
}
