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
/// again at once), and only a `200` answer without a stream is kept once it is ready (a `404`
/// for a run not stored yet is asked again).
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
    }

    /// Seconds an answer is reused once ready.
    let lifetime: TimeInterval
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var serials = 0

    init(lifetime: TimeInterval = 1.0) { self.lifetime = lifetime }

    /// The answer for `key`: the one being computed or computed less than ``lifetime`` ago, else
    /// a new one from `compute`.
    func reply(for key: Key, compute: @escaping @Sendable () async -> Reply) async -> Reply {
        let (serial, task) = lock.withLock { () -> (Int, Task<Reply, Never>) in
            let now = ProcessInfo.processInfo.systemUptime
            if let entry = entries[key], entry.ready.map({ now - $0 < lifetime }) ?? true {
                return (entry.serial, entry.task)
            }
            entries = entries.filter { $0.value.ready.map { now - $0 < lifetime } ?? true }
            serials += 1
            let task = Task { await compute() }
            entries[key] = Entry(serial: serials, task: task, ready: nil)
            return (serials, task)
        }
        let reply = await task.value
        lock.withLock {
            guard var entry = entries[key], entry.serial == serial, entry.ready == nil else { return }
            if reply.status == 200 && reply.stream == nil {
                entry.ready = min(reply.readAt ?? .infinity, ProcessInfo.processInfo.systemUptime)
                entries[key] = entry
            } else {
                entries[key] = nil
            }
        }
        return reply
    }

    /// How many answers are held (computed or being computed).
    var count: Int { lock.withLock { entries.count } }
}
