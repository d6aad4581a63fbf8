import Foundation

/// A flag the caller of ``SweepRunner/run(_:store:options:cancellation:events:)`` sets, from
/// any thread, to stop a sweep. It only ever goes forward: none, stop claiming, stop now.
///
/// The runner never decides by itself to stop: the process that owns it (signals, a user
/// interface, a test) sets this flag.
public final class SweepCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var claiming = true
    private var waiting = true

    public init() {}

    /// Workers claim no further run; runs in flight train to the end and are stored, then
    /// ``SweepRunner/run(_:store:options:cancellation:events:)`` returns.
    public func stopClaiming() {
        lock.withLock { claiming = false }
    }

    /// As ``stopClaiming()``, and the runner stops waiting for runs in flight: it stores them
    /// `interrupted`, checkpoints the database and returns at once. Their training threads
    /// keep computing until the process ends, but nothing of theirs is written.
    public func stopNow() {
        lock.withLock {
            claiming = false
            waiting = false
        }
    }

    /// True once ``stopClaiming()`` or ``stopNow()`` was called.
    public var isStopping: Bool { lock.withLock { !claiming } }

    /// True once ``stopNow()`` was called.
    public var isStoppingNow: Bool { lock.withLock { !waiting } }
}
