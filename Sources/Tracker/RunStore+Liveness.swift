import Foundation

/// A `running` run whose process is gone, taken over by
/// ``RunStore/takeOverLostRuns(sweepID:observer:shard:isAlive:)``.
public struct LostRun: Sendable, Equatable {
    public var runID: Int64
    public var cellIndex: Int
    /// The lost claim's host and pid, as stored.
    public var host: String?
    public var pid: Int?

    public init(runID: Int64, cellIndex: Int, host: String?, pid: Int?) {
        self.runID = runID
        self.cellIndex = cellIndex
        self.host = host
        self.pid = pid
    }
}

extension RunStore {
    /// The SQL condition (with a leading `AND`) that keeps a shard's cells: `cell_index % count
    /// == index`; empty without a shard.
    /// - Precondition: `count >= 1` and `index` in `0..<count`.
    func shardCondition(_ shard: (index: Int, count: Int)?) -> String {
        guard let shard else { return "" }
        precondition(shard.count >= 1 && (0..<shard.count).contains(shard.index), "bad shard \(shard)")
        return "AND cell_index % \(shard.count) = \(shard.index)"
    }

    /// The sweep's `running` runs (in the shard, when given) whose process `observer` finds
    /// gone by ``ClaimOwner/considersGone(_:heartbeatAt:now:isAlive:)``; a claim stored
    /// before schema version 8 has the window ``ClaimOwner/unrecordedHeartbeatTimeout``.
    func lostRuns(sweepID: Int64, observer: ClaimOwner, shard: (index: Int, count: Int)?, isAlive: (Int) -> Bool) throws -> [LostRun] {
        let now = Date()
        return try connection.query("""
            SELECT run_id, cell_index, host, pid, boot_id, pid_namespace, heartbeat_timeout, heartbeat_at FROM runs
            WHERE sweep_id = ? AND status = 'running' \(shardCondition(shard)) ORDER BY cell_index
            """, [.integer(sweepID)]) { s -> (LostRun, Bool) in
            let run = LostRun(runID: try s.required(s.id, "run_id"), cellIndex: try s.required(s.int, "cell_index"),
                              host: try s.string("host"), pid: try s.int("pid"))
            // Without a pid, nothing can be shared: leave out the boot id that allows the shortcut.
            let bootID = try s.string("boot_id")
            let owner = ClaimOwner(host: run.host ?? "", pid: run.pid ?? 0, bootID: run.pid == nil ? nil : bootID,
                                   pidNamespace: try s.string("pid_namespace"),
                                   heartbeatTimeout: try s.double("heartbeat_timeout") ?? ClaimOwner.unrecordedHeartbeatTimeout)
            let heartbeat = try s.string("heartbeat_at").flatMap(date(fromTimestamp:))
            return (run, observer.considersGone(owner, heartbeatAt: heartbeat, now: now, isAlive: isAlive))
        }.filter(\.1).map(\.0)
    }

    /// Puts back in the queue the sweep's `running` runs (in the shard, when given) whose
    /// process is provably gone, as `observer` sees it (see ``ClaimOwner``): their claims end
    /// (a late result of theirs is refused, ``ClaimLostError``) and the next claim counts one
    /// more attempt. A live sweep whose queue is empty calls it every heartbeat period.
    /// - Parameter isAlive: whether a pid of `observer`'s PID namespace is alive.
    /// - Returns: the runs taken over, in cell order.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func takeOverLostRuns(sweepID: Int64, observer: ClaimOwner, shard: (index: Int, count: Int)? = nil,
                                 isAlive: (Int) -> Bool) throws -> [LostRun] {
        try write {
            let lost = try lostRuns(sweepID: sweepID, observer: observer, shard: shard, isAlive: isAlive)
            for run in lost {
                try connection.run("""
                    UPDATE runs SET status = 'queued', host = NULL, pid = NULL, heartbeat_at = NULL, claim_token = NULL,
                                    error = 'the process running it stopped'
                    WHERE run_id = ?
                    """, [.integer(run.runID)])
            }
            return lost
        }
    }

    /// True when a run of the sweep (in the shard, when given) is `running`: held by this
    /// process or another one, live or not.
    /// - Throws: ``SQLiteError``.
    public func hasRunningRuns(sweepID: Int64, shard: (index: Int, count: Int)? = nil) throws -> Bool {
        try connection.scalar("""
            SELECT EXISTS (SELECT 1 FROM runs WHERE sweep_id = ? AND status = 'running' \(shardCondition(shard))) AS running
            """, [.integer(sweepID)])?.int == 1
    }
}
