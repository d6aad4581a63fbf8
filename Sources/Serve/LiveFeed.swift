import Foundation

/// The Server-Sent Events feed of `/api/events`: one shared snapshot per tick, whatever the
/// number of clients.
///
/// Once a second (``tick()``) the feed reads the sweeps' status counts once (``API/feedSnapshot()``);
/// when the snapshot differs from the last one it becomes the next event, numbered 1, 2, 3, ...
/// The last ``capacity`` events are kept. A client that reconnects with `Last-Event-ID: n` gets
/// every kept event after n, in order, then the new ones: no gap and no event twice. A new client
/// (or one whose id is older than the kept events, or from an earlier server) first gets the
/// newest event: each event is a whole snapshot, so it holds everything missed. Streams wait
/// for the next snapshot (``nextTick()``), so each wakes once a tick, not on a timer of its own.
final class LiveFeed: @unchecked Sendable {
    struct Event: Equatable {
        var id: Int
        /// The event's data: one line of JSON.
        var data: String
        /// The event as sent: `id:`, `data:`, blank line.
        var wire: String { "id: \(id)\ndata: \(data)\n\n" }
    }

    let capacity: Int
    private let lock = NSLock()
    private var events: [Event] = []
    private var ticks = 0
    /// Streams waiting for the next snapshot.
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    init(capacity: Int = 256) { self.capacity = capacity }

    /// Publishes `data` as the next event when it differs from the newest one, then wakes the
    /// streams waiting in ``nextTick()``.
    func publish(_ data: String) {
        let woken = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            ticks += 1
            if events.last?.data != data {
                events.append(Event(id: (events.last?.id ?? 0) + 1, data: data))
                if events.count > capacity { events.removeFirst(events.count - capacity) }
            }
            defer { waiting = [] }
            return waiting
        }
        woken.forEach { $0.resume() }
    }

    /// Waits for the next snapshot (``publish(_:)``, event or not) or for ``close()``.
    /// - Returns: false once the feed is closed (no snapshot will come).
    func nextTick() async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if closed { return true }
                waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        return lock.withLock { !closed }
    }

    /// Ends the feed: the waiting streams, and any that waits later, return at once.
    func close() {
        let woken = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            closed = true
            defer { waiting = [] }
            return waiting
        }
        woken.forEach { $0.resume() }
    }

    /// Snapshots taken so far (published or not): how many times the database was read for
    /// the feed, whatever the number of clients.
    var tickCount: Int { lock.withLock { ticks } }

    /// The events a client that has seen up to `lastID` gets now (see the type's description).
    func events(after lastID: Int?) -> [Event] {
        lock.withLock {
            guard let newest = events.last else { return [] }
            guard let lastID, lastID <= newest.id, let oldest = events.first, lastID >= oldest.id - 1 else { return [newest] }
            return events.filter { $0.id > lastID }
        }
    }
}
