/// Storing several runs' work in one transaction (group commit).

/// A piece of a claimed run's work for the store.
public enum RunWrite: Sendable {
    /// Epoch rows of a run still training (``RunStore/storeEpochs(_:_:)``).
    case epochs(ClaimedRun, [EpochRow])
    /// A run's outcome (``RunStore/record(_:_:)``).
    case result(ClaimedRun, RunResult)

    /// The claim the work belongs to.
    public var claim: ClaimedRun {
        switch self {
        case .epochs(let claim, _), .result(let claim, _): return claim
        }
    }
}

/// What became of one ``RunWrite`` of a batch.
public enum RunWriteOutcome: Sendable {
    /// Stored (committed with the batch).
    case stored
    /// Nothing stored: the claim is no longer held (``ClaimLostError``: another process took the
    /// run over, or it is no longer running).
    case claimLost
    /// Nothing of this write stored: it failed with this error (e.g. a value breaking a
    /// constraint); the batch's other writes are stored.
    case failed(any Error)
}

extension RunStore {
    /// Stores `writes` in one write transaction (one commit, one set of WAL frames), each in its
    /// own savepoint: a write whose claim is lost, or which fails, is undone alone and the others
    /// are committed, as if each had been stored by itself in the order given. An epoch write
    /// after its run's result stores nothing (the run is no longer running), so a run's result
    /// rows always win.
    /// - Returns: one outcome per write, in order; all of them hold once this returns.
    /// - Throws: ``SQLiteError`` when the transaction itself fails (`BEGIN` waiting past the busy
    ///   timeout or after ``stopWaitingForLocks()``, `COMMIT`, or an error such as `SQLITE_FULL`
    ///   that makes SQLite roll the whole transaction back): then nothing of the batch is stored.
    public func store(_ writes: [RunWrite]) throws -> [RunWriteOutcome] {
        guard !writes.isEmpty else { return [] }
        return try write {
            try writes.map { item -> RunWriteOutcome in
                do {
                    switch item {
                    case .epochs(let claim, let rows):
                        return try storeEpochs(claim, rows) ? .stored : .claimLost
                    case .result(let claim, let result):
                        try record(claim, result)
                        return .stored
                    }
                } catch is ClaimLostError {
                    return .claimLost
                } catch {
                    // SQLite rolled the whole transaction back: no outcome of the batch holds.
                    guard connection.isInTransaction else { throw error }
                    return .failed(error)
                }
            }
        }
    }
}
