import Foundation

/// The process that claims a run, as stored on the run with each claim (`runs.host`, `pid`,
/// `boot_id`, `pid_namespace`, `heartbeat_timeout`), and what decides whether it is gone.
///
/// A claim's process is gone when its heartbeat is older than the claim's own
/// ``heartbeatTimeout`` (the window it promised to beat within), or — a shortcut — when it
/// provably shares the observer's process ids (same boot and same PID namespace, see
/// ``sharesProcessIDs(with:)``) and its pid is no longer alive. A host name alone proves
/// nothing: containers share one, and pids are reused.
public struct ClaimOwner: Sendable, Equatable {
    /// The default of ``heartbeatTimeout``: 60 seconds.
    public static let defaultHeartbeatTimeout: Double = 60
    /// The window of claims stored before schema version 8, which stored none: 120 seconds.
    public static let unrecordedHeartbeatTimeout: Double = 120

    /// Host name, for people (`runs.host`).
    public var host: String
    /// Process id in its own PID namespace (`runs.pid`).
    public var pid: Int
    /// `/proc/sys/kernel/random/boot_id` of the machine (a new one on every boot); nil when unknown.
    public var bootID: String?
    /// The target of `/proc/self/ns/pid`, e.g. `pid:[4026531836]`: which PID namespace the pid
    /// belongs to; nil when unknown.
    public var pidNamespace: String?
    /// Seconds after its last heartbeat at which this process's claims count as gone; it
    /// refreshes its heartbeats every ``heartbeatPeriod``.
    public var heartbeatTimeout: Double

    /// An owner with these parts.
    /// - Precondition: `heartbeatTimeout > 0`.
    public init(host: String, pid: Int, bootID: String? = nil, pidNamespace: String? = nil,
                heartbeatTimeout: Double = ClaimOwner.defaultHeartbeatTimeout) {
        precondition(heartbeatTimeout > 0, "heartbeat timeout \(heartbeatTimeout) must be positive")
        self.host = host
        self.pid = pid
        self.bootID = bootID
        self.pidNamespace = pidNamespace
        self.heartbeatTimeout = heartbeatTimeout
    }

    /// How often this process refreshes its heartbeats: a sixth of ``heartbeatTimeout`` (10 s by
    /// default), so a few missed beats never look like a lost process.
    public var heartbeatPeriod: Double { heartbeatTimeout / 6 }

    /// True when a pid stored by `other` names the same process as it would for this one: both
    /// run on the same boot of one machine and in the same PID namespace (both known).
    public func sharesProcessIDs(with other: ClaimOwner) -> Bool {
        guard let bootID, let pidNamespace else { return false }
        return bootID == other.bootID && pidNamespace == other.pidNamespace
    }

    /// Whether the process holding a claim is provably gone, seen from this process at `now`.
    /// - Parameters:
    ///   - owner: the claim's owner as stored.
    ///   - heartbeatAt: the claim's last heartbeat; nil counts as long ago.
    ///   - isAlive: whether a pid of this process's namespace is alive; asked only when the
    ///     owner ``sharesProcessIDs(with:)`` this one.
    public func considersGone(_ owner: ClaimOwner, heartbeatAt: Date?, now: Date = Date(), isAlive: (Int) -> Bool) -> Bool {
        if let heartbeatAt, now.timeIntervalSince(heartbeatAt) <= owner.heartbeatTimeout {
            return sharesProcessIDs(with: owner) && !isAlive(owner.pid)
        }
        return true
    }
}

/// A result, heartbeat or interruption refused because the run is no longer held by the claim
/// that offers it: another process took the run over (its process looked gone: a paused or
/// stalled process, see ``ClaimOwner``), or the run is no longer `running`.
public struct ClaimLostError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The run whose claim was lost.
    public var runID: Int64

    public init(runID: Int64) { self.runID = runID }

    public var description: String { "run \(runID) is no longer held by this claim (another process took it over)" }
}
