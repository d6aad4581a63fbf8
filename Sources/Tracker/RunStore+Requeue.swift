import Foundation

/// A run put back in the queue, or left `failed` at its attempt limit, by
/// ``RunStore/requeueUnfinished(sweepID:observer:maxAttempts:retryFailed:isAlive:)``.
public struct RequeuedRun: Sendable, Equatable {
    public var runID: Int64
    public var cellIndex: Int
    /// Canonical JSON of the configuration.
    public var config: String
    public var seed: Int
    public var fold: Int
    /// `interrupted` or `failed` (a lost `running` run is `interrupted` by then).
    public var status: RunStatus
    /// Claims so far (1 after the first).
    public var attempt: Int
    /// What stopped it, as stored.
    public var error: String?
}

/// What ``RunStore/requeueUnfinished(sweepID:observer:maxAttempts:retryFailed:isAlive:)`` did.
public struct RequeueOutcome: Sendable, Equatable {
    /// Runs put back in the queue, in cell order.
    public var requeued: [RequeuedRun]
    /// Failed runs left `failed` because they have used their attempts, in cell order.
    public var skipped: [RequeuedRun]

    /// An outcome with these runs (none: nothing requeued).
    public init(requeued: [RequeuedRun] = [], skipped: [RequeuedRun] = []) {
        self.requeued = requeued
        self.skipped = skipped
    }
}

extension RunStore {
    /// The default of `maxAttempts`: a failed run is claimed at most 3 times in all.
    public static let defaultMaxAttempts = 3

    /// Puts back in the queue the sweep's runs that were interrupted, left `running` by a
    /// process that is gone (as `observer` sees it, see ``ClaimOwner``), or failed with
    /// attempts to spare. Their next claim counts one more attempt.
    ///
    /// An interrupted run (a signal, a lost process) is always requeued: it did not fail. A
    /// failed run is requeued while its `attempt` is below `maxAttempts`; after that it stays
    /// `failed` with its error unless `retryFailed` is set (`exp sweep --retry-failed`).
    /// - Parameters:
    ///   - observer: this process, as it claims runs (``claimNext(sweepID:owner:shard:)``).
    ///   - maxAttempts: the most claims of a run that keeps failing (at least 1).
    ///   - retryFailed: requeue every failed run, whatever its attempts.
    ///   - isAlive: whether a process id of `observer`'s PID namespace is still running.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func requeueUnfinished(sweepID: Int64, observer: ClaimOwner, maxAttempts: Int = defaultMaxAttempts,
                                  retryFailed: Bool = false, isAlive: (Int) -> Bool) throws -> RequeueOutcome {
        try write {
            for run in try lostRuns(sweepID: sweepID, observer: observer, shard: nil, isAlive: isAlive) {
                try connection.run("""
                    UPDATE runs SET status = 'interrupted', claim_token = NULL, error = 'the process running it stopped' WHERE run_id = ?
                    """, [.integer(run.runID)])
            }
            let unfinished = try connection.query("""
                SELECT run_id, cell_index, config, seed, fold, status, attempt, error FROM runs
                WHERE sweep_id = ? AND status IN ('interrupted', 'failed') ORDER BY cell_index
                """, [.integer(sweepID)]) { s in
                RequeuedRun(runID: try s.required(s.id, "run_id"), cellIndex: try s.required(s.int, "cell_index"),
                            config: try s.required(s.string, "config"), seed: try s.required(s.int, "seed"),
                            fold: try s.required(s.int, "fold"), status: try readStatus(s),
                            attempt: try s.required(s.int, "attempt"), error: try s.string("error"))
            }
            var outcome = RequeueOutcome(requeued: [], skipped: [])
            for run in unfinished {
                if run.status == .failed && run.attempt >= maxAttempts && !retryFailed {
                    outcome.skipped.append(run)
                    continue
                }
                try connection.run("UPDATE runs SET status = 'queued', host = NULL, pid = NULL, heartbeat_at = NULL, claim_token = NULL WHERE run_id = ?",
                                   [.integer(run.runID)])
                outcome.requeued.append(run)
            }
            return outcome
        }
    }
}
