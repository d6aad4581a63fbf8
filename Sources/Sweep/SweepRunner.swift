import Datasets
import Determinism
import Foundation
import NeuralNet
import Tracker

/// How a call to ``SweepRunner/run(_:store:options:cancellation:events:)`` ended.
public struct SweepSummary: Sendable {
    /// Runs this process finished, diverged or failed.
    public var trained = 0
    /// The sweep's runs by status once this process stopped.
    public var counts: [RunStatus: Int] = [:]
    /// True when the caller's ``SweepCancellation`` was set before the workers stopped (runs
    /// may be left queued; see ``complete``).
    public var cancelled = false
    /// Runs in flight that were stored `interrupted` because of ``SweepCancellation/stopNow()``.
    public var interrupted: [Int64] = []
    /// Runs in flight that could not be stored `interrupted` on ``SweepCancellation/stopNow()``
    /// (another connection held the write lock): they stay `running` until a resume, or a live
    /// peer, finds this process gone.
    public var leftRunning: [Int64] = []
    /// A store error that stopped the workers, if any.
    public var storeError: String?

    /// True when no run of the sweep (of the shard, with one) is left to do: every run
    /// finished or diverged. The runner waits for runs other processes train, so none is left
    /// `running` unless a signal or a store error stopped it.
    public var complete: Bool {
        [RunStatus.queued, .running, .failed, .interrupted].allSatisfy { (counts[$0] ?? 0) == 0 }
    }
}

/// Options of a sweep execution.
public struct SweepOptions: Sendable {
    /// Parallel training workers (Dispatch queues), at least 1.
    public var jobs: Int
    /// Only cells whose index mod `count` equals `index`.
    public var shard: (index: Int, count: Int)?
    /// Written into every run as `tool_version`.
    public var toolVersion: String
    /// Seconds after this process's last heartbeat at which peers may take its runs over
    /// (stored with each claim, see ``Tracker/ClaimOwner``); it beats every sixth of it.
    public var heartbeatTimeout: Double
    /// Whether a running run's epoch rows are stored while it trains, about once a second
    /// (the live view's growing curves); without, they are stored with its result only.
    /// `exp` always flushes; the storing benchmark turns it off to measure what it costs.
    public var flushesEpochs: Bool
    public init(jobs: Int, shard: (index: Int, count: Int)? = nil, toolVersion: String,
                heartbeatTimeout: Double = ClaimOwner.defaultHeartbeatTimeout, flushesEpochs: Bool = true) {
        self.jobs = max(1, jobs)
        self.shard = shard
        self.toolVersion = toolVersion
        self.heartbeatTimeout = heartbeatTimeout
        self.flushesEpochs = flushesEpochs
    }
}

/// Runs a prepared sweep's queued cells on parallel Dispatch workers.
///
/// One serial queue owns the ``RunStore`` (the process's single writer): workers claim cells
/// through it and hand it their results and running runs' epoch rows, so training threads never
/// wait on SQLite while it writes. The writer stores everything waiting for it in one
/// transaction (group commit), each run's part in its own savepoint. A worker claims its next
/// run before it hands its last result, so that the claim does not queue behind the storing of
/// that result (it joins the writer's list within the claim's turn on the queue); when nothing is
/// left to claim, everything handed so far is stored first, for the phases that queue more runs,
/// and a stop now stores it before it marks the runs still training `interrupted`. Claims are atomic in the
/// database, so several processes can share a sweep: each claim carries a token, and only its
/// holder stores the run's result. When the queue is empty
/// while runs are still `running`, here or in a peer, the workers wait for them, and every
/// heartbeat period take over those whose process is gone (``Tracker/ClaimOwner``). Results
/// do not depend on the number of workers: each run's randomness comes from its own seed.
///
/// The runner knows nothing of terminals or signals: it reports ``SweepEvent``s and obeys a
/// ``SweepCancellation`` its caller sets.
public final class SweepRunner {
    private let writer = DispatchQueue(label: "exp.sweep.writer")
    private let lock = NSLock()
    /// This process's claims whose results are not stored yet, by run id.
    private var inFlight: [Int64: ClaimedRun] = [:]
    private var stopping = false
    /// Set when the runner stopped waiting for other connections' locks (a stop now): the
    /// `SQLITE_BUSY` errors that follow are that stop, not store errors.
    private var gaveUpOnLocks = false
    /// When this process last looked for runs whose process is gone.
    private var lastLivenessCheck = Date.distantPast
    /// Set on the writer queue when runs in flight were stored `interrupted`: their results,
    /// should they still arrive, are dropped.
    private var abandoned = false
    private var runData: [Int64: RunData] = [:]
    /// What each claimed run of a halving search trains, read when it was claimed.
    private var rungWork: [Int64: RungWork] = [:]
    private var storeError: String?
    private var trained = 0
    /// Work handed to the writer and not stored yet, in the order handed.
    private var waiting: [RunWrite] = []
    /// True while a call to store the waiting work is queued on the writer and has not begun.
    private var storeScheduled = false
    /// By claim token, the epochs whose rows the claim's committed flushes stored, when they are
    /// one unbroken stretch; empty once a flush was not stored or did not follow the stretch
    /// (later rows are then not one stretch from the first). Writer queue only.
    private var flushed: [String: Range<Int>] = [:]

    public init() {}

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// Trains queued runs until none is left (queueing the sweep's planned cells a batch at a
    /// time, see ``PreparedSweep/queueNextBatch(store:)``), a store error stops the workers, or
    /// `cancellation` is set.
    ///
    /// - Parameters:
    ///   - sweep: a sweep stored and queued by ``SweepPlanner/prepare(grid:dataset:store:toolVersion:)``.
    ///   - store: the database; only the runner's writer queue uses it until this returns.
    ///   - options: workers, shard and tool version.
    ///   - cancellation: set by the caller to stop claiming (runs in flight finish) or to stop
    ///     now (runs in flight are stored `interrupted`, the database is checkpointed and this
    ///     returns without waiting for their threads; nothing of theirs is written afterwards).
    ///   - events: called on the runner's writer queue, one event at a time, after the store
    ///     holds what the event reports.
    /// - Returns: what happened; store errors are reported in it, never thrown.
    public func run(_ sweep: PreparedSweep, store: RunStore, options: SweepOptions,
                    cancellation: SweepCancellation = SweepCancellation(),
                    events: @escaping @Sendable (SweepEvent) -> Void = { _ in }) -> SweepSummary {
        var summary = SweepSummary()
        let owner = ClaimOwner.thisProcess(heartbeatTimeout: options.heartbeatTimeout)
        let heartbeat = DispatchSource.makeTimerSource(queue: writer)
        heartbeat.schedule(deadline: .now() + owner.heartbeatPeriod, repeating: owner.heartbeatPeriod)
        heartbeat.setEventHandler { [self] in
            // A claim taken over meanwhile is not refreshed; its result is dropped when it comes.
            _ = try? store.heartbeat(Array(locked { inFlight.values }))
        }
        heartbeat.resume()

        let group = DispatchGroup()
        for worker in 0..<options.jobs {
            group.enter()
            DispatchQueue(label: "exp.sweep.worker.\(worker)").async { [self] in
                // This worker's last result, handed to the writer once its next run is claimed.
                var finished: RunWrite?
                func handFinished() {
                    if let work = finished { hand(work, store: store, events: events) }
                    finished = nil
                }
                defer {
                    handFinished()
                    group.leave()
                }
                while !locked({ stopping }) && !cancellation.isStopping {
                    let claimed: Result<ClaimedRun?, Error> = writer.sync {
                        // The last result joins the writer's list before this block ends, so a
                        // stop that follows on the writer queue finds it (the store is scheduled).
                        defer { handFinished() }
                        return Result {
                            guard !cancellation.isStopping else { return nil }
                            var claim = try store.claimNext(sweepID: sweep.sweepID, owner: owner, shard: options.shard)
                            // Nothing queued: every result handed so far, this worker's last one
                            // included, is stored first, for the phases below that read them
                            // (the store scheduled by handing it then finds nothing left).
                            if claim == nil {
                                handFinished()
                                storeWaiting(store: store, events: events)
                                guard !locked({ stopping }) else { return nil }
                            }
                            // Cells are queued in batches: the queue is empty, so the next batch is.
                            while claim == nil, try sweep.queueNextBatch(store: store) > 0 {
                                claim = try store.claimNext(sweepID: sweep.sweepID, owner: owner, shard: options.shard)
                            }
                            // The queue is empty: folds whose search runs are all done choose
                            // their configuration and queue its refit runs (never in a shard).
                            if claim == nil, options.shard == nil, let plan = sweep.refit,
                               try RefitPhase.selectReady(plan, sweepID: sweep.sweepID, store: store) > 0 {
                                claim = try store.claimNext(sweepID: sweep.sweepID, owner: owner, shard: nil)
                            }
                            // Rungs whose runs are all at their budget are decided; their
                            // promoted runs are queued again (never in a shard).
                            if claim == nil, options.shard == nil, let plan = sweep.halving,
                               try HalvingPhase.decideReady(plan, sweepID: sweep.sweepID, store: store) > 0 {
                                claim = try store.claimNext(sweepID: sweep.sweepID, owner: owner, shard: nil)
                            }
                            if let claim, let plan = sweep.halving {
                                let promotions = try store.promotions(runID: claim.runID)
                                let work = RungWork(epochs: plan.budget(of: sha256Hex(claim.config), promotions: promotions),
                                                    checkpoint: promotions > 0 ? try store.checkpoint(runID: claim.runID) : nil)
                                locked { rungWork[claim.runID] = work }
                            }
                            if let claim {
                                locked { inFlight[claim.runID] = claim }
                                events(.claimed(runID: claim.runID))
                            }
                            return claim
                        }
                    }
                    guard case .success(let claimOrNil) = claimed, let claim = claimOrNil else {
                        if case .failure(let error) = claimed {
                            writer.sync { stop(with: error, store: store, events: events) }
                            break
                        }
                        // Nothing to claim, but runs are still running, here or in a peer: they
                        // may finish (and complete a fold whose refit runs are then queued),
                        // fail, or belong to a process that is gone: wait, and take those over.
                        let running = writer.sync {
                            Result { try waitsForRunningRuns(sweep.sweepID, owner: owner, shard: options.shard, store: store,
                                                             events: events) }
                        }
                        switch running {
                        case .success(true):
                            Thread.sleep(forTimeInterval: 0.05)
                            continue
                        case .success(false):
                            break
                        case .failure(let error):
                            writer.sync { stop(with: error, store: store, events: events) }
                        }
                        break
                    }
                    let result: RunResult
                    do {
                        result = execute(claim, dataset: sweep.dataset, data: try data(for: claim.splitID, sweep: sweep, store: store),
                                         toolVersion: options.toolVersion, rung: locked { rungWork.removeValue(forKey: claim.runID) },
                                         flushEpochs: !options.flushesEpochs ? nil : { rows in
                            // The rows so far, for readers of a running run; the result replaces them.
                            self.hand(.epochs(claim, rows), store: store, events: events)
                        })
                    } catch {
                        var failed = RunResult(status: .failed, startedAt: Date(), endedAt: Date())
                        failed.error = "\(error)"
                        result = failed
                    }
                    finished = .result(claim, result)
                }
            }
        }
        // Waits for the workers, then for the writer to store the results handed to it, until
        // asked to stop now: then no more waiting for another program's write lock, the runs
        // in flight are marked interrupted where possible, and their threads are left behind.
        var stoppedNow = false
        func stopNowIfAsked() -> Bool {
            guard !stoppedNow, cancellation.isStoppingNow else { return stoppedNow }
            stoppedNow = true
            locked { gaveUpOnLocks = true }
            store.stopWaitingForLocks()
            (summary.interrupted, summary.leftRunning) = interruptRunsInFlight(store: store, events: events)
            return true
        }
        while group.wait(timeout: .now() + .milliseconds(50)) == .timedOut, !stopNowIfAsked() {}
        let drained = DispatchGroup()
        drained.enter()
        writer.async { drained.leave() }
        while drained.wait(timeout: .now() + .milliseconds(50)) == .timedOut { _ = stopNowIfAsked() }
        heartbeat.cancel()
        summary.counts = (try? writer.sync { try store.statusCounts(sweepID: sweep.sweepID, shard: options.shard) }) ?? [:]
        summary.cancelled = cancellation.isStopping
        locked {
            summary.storeError = storeError
            summary.trained = trained
        }
        return summary
    }

    /// Hands a run's work to the writer: stored with every other piece of work waiting when the
    /// writer comes to it (``storeWaiting(store:events:)``).
    private func hand(_ work: RunWrite, store: RunStore, events: @escaping @Sendable (SweepEvent) -> Void) {
        let schedule = locked { () -> Bool in
            waiting.append(work)
            defer { storeScheduled = true }
            return !storeScheduled
        }
        if schedule { writer.async { [self] in storeWaiting(store: store, events: events) } }
    }

    /// Stores every piece of work handed to the writer and not stored yet in one transaction
    /// (group commit: one commit for all of them, ``Tracker/RunStore/store(_:)``), then reports
    /// the results' events. Nothing is stored once the runs in flight were stored `interrupted`.
    /// Called on the writer queue.
    private func storeWaiting(store: RunStore, events: @Sendable (SweepEvent) -> Void) {
        let batch = locked { () -> [RunWrite] in
            storeScheduled = false
            defer { waiting = [] }
            return waiting
        }
        guard !batch.isEmpty, !locked({ abandoned }) else { return }
        storeBatch(batch, store: store, events: events)
    }

    /// Stores `batch` in one transaction, each run's part in its own savepoint, then, once it
    /// is committed, reports each result's event in order: a result whose claim was lost is
    /// dropped alone (``SweepEvent/resultDropped(runID:)``), a result that failed to store stops
    /// the sweep with a store error (the batch's other parts are stored). Epoch rows that could
    /// not be stored are left out silently; the result replaces them.
    ///
    /// Each epoch row is written once: a flush whose run's result is in the same batch is left
    /// out (the result stores its rows), and a result keeps the rows its claim's earlier
    /// flushes committed as one stretch from its first new epoch (``Tracker/RunResult/epochsStored``),
    /// since a flush hands a copy of the rows the result later holds. Called on the writer queue.
    func storeBatch(_ batch: [RunWrite], store: RunStore, events: @Sendable (SweepEvent) -> Void) {
        let results = Set(batch.compactMap { work -> String? in
            if case .result(let claim, _) = work { return claim.token }
            return nil
        })
        let batch = batch.compactMap { work -> RunWrite? in
            switch work {
            case .epochs(let claim, _):
                return results.contains(claim.token) ? nil : work
            case .result(let claim, var result):
                let first = (result.continuedFromEpoch ?? 0) + 1
                if let epochs = flushed.removeValue(forKey: claim.token), !epochs.isEmpty, epochs.lowerBound == first {
                    result.epochsStored = min(epochs.count, result.epochs.count)
                }
                return .result(claim, result)
            }
        }
        let outcomes: [RunWriteOutcome]
        do {
            outcomes = try store.store(batch)
        } catch {
            outcomes = Array(repeating: .failed(error), count: batch.count)
        }
        for (work, outcome) in zip(batch, outcomes) {
            if case .epochs(let claim, let rows) = work {
                noteFlush(claim.token, rows: rows, stored: { if case .stored = outcome { true } else { false } }())
            }
            guard case .result(let claim, let result) = work else { continue }
            switch outcome {
            case .stored:
                events(Self.event(runID: claim.runID, result))
                locked { trained += 1 }
            case .claimLost:
                events(.resultDropped(runID: claim.runID))
            case .failed(let error):
                // Given up on another program's write lock to stop now: the run is still this
                // process's, for interruptRunsInFlight to report.
                if isGiveUp(error) { continue }
                stop(with: error, store: store, events: events)
            }
            locked { _ = inFlight.removeValue(forKey: claim.runID) }
        }
    }

    /// Extends the claim's stretch of flushed epochs by a flush of `rows` (consecutive epochs),
    /// or marks it broken when the flush was not stored or does not follow the stretch.
    private func noteFlush(_ token: String, rows: [EpochRow], stored: Bool) {
        guard let first = rows.first?.epoch, let last = rows.last?.epoch else { return }
        switch flushed[token] {
        case nil where stored:
            flushed[token] = first..<(last + 1)
        case let epochs? where stored && !epochs.isEmpty && first == epochs.upperBound:
            flushed[token] = epochs.lowerBound..<(last + 1)
        default:
            flushed[token] = 0..<0
        }
    }

    /// Whether a worker with nothing to claim should wait: true while a run of the sweep (of
    /// the shard) is `running`. Every heartbeat period it first takes over the runs whose
    /// process is gone (after refreshing this process's own heartbeats, so a process that was
    /// paused never takes its own runs), which the workers then claim. Called on the writer queue.
    private func waitsForRunningRuns(_ sweepID: Int64, owner: ClaimOwner, shard: (index: Int, count: Int)?, store: RunStore,
                                     events: @Sendable (SweepEvent) -> Void) throws -> Bool {
        let now = Date()
        if now.timeIntervalSince(locked { lastLivenessCheck }) >= owner.heartbeatPeriod {
            locked { lastLivenessCheck = now }
            try store.heartbeat(Array(locked { inFlight.values }))
            let lost = try store.takeOverLostRuns(sweepID: sweepID, observer: owner, shard: shard, isAlive: processIsAlive)
            if !lost.isEmpty {
                events(.tookOver(lost))
                return true
            }
        }
        return try store.hasRunningRuns(sweepID: sweepID, shard: shard)
    }

    /// True for the `SQLITE_BUSY` of a statement that gave up waiting because the runner was
    /// told to stop now.
    private func isGiveUp(_ error: Error) -> Bool {
        locked { gaveUpOnLocks } && (error as? SQLiteError)?.isBusy == true
    }

    /// The event for a stored result.
    private static func event(runID: Int64, _ result: RunResult) -> SweepEvent {
        switch result.status {
        case .finished: return .finished(runID: runID, validationAccuracy: result.finalValidationAccuracy)
        case .diverged: return .diverged(runID: runID, validationAccuracy: result.finalValidationAccuracy)
        case .interrupted: return .interrupted(runIDs: [runID])
        default: return .failed(runID: runID, error: result.error)
        }
    }

    /// Stores the results handed so far, then the runs still in flight `interrupted`, and
    /// checkpoints the database, on the writer queue; results arriving later for them are dropped.
    /// - Returns: the runs stored `interrupted`, and those left `running` because the write
    ///   could not be made (another connection holding the write lock).
    private func interruptRunsInFlight(store: RunStore, events: @Sendable (SweepEvent) -> Void) -> (marked: [Int64], left: [Int64]) {
        writer.sync {
            // Results handed before the stop are runs that ended: stored, not marked interrupted.
            storeWaiting(store: store, events: events)
            let claims = locked { () -> [ClaimedRun] in
                abandoned = true
                stopping = true
                return inFlight.values.sorted { $0.runID < $1.runID }
            }
            do {
                let marked = try store.markInterrupted(claims)
                try? store.checkpoint()
                events(.interrupted(runIDs: marked))
                return (marked, [])
            } catch {
                stop(with: error, store: store, events: events)
                return ([], claims.map(\.runID))
            }
        }
    }

    /// Stops every worker after a store error; the first error is reported. Called on the
    /// writer queue.
    private func stop(with failure: Error, store: RunStore, events: @Sendable (SweepEvent) -> Void) {
        if isGiveUp(failure) {
            locked { stopping = true }
            return
        }
        // In the user's terms where Tracker knows them: a full disk, a damaged file.
        let error = "\(DatabaseFileError(failure, path: store.path).map { $0 as Error } ?? failure)"
        let first = locked { () -> Bool in
            defer { stopping = true }
            guard storeError == nil else { return false }
            storeError = error
            return true
        }
        if first { events(.storeError(error)) }
    }

    /// The matrices of a split, built once per process.
    private func data(for splitID: Int64, sweep: PreparedSweep, store: RunStore) throws -> RunData {
        if let cached = locked({ runData[splitID] }) { return cached }
        let rows = try writer.sync { try store.split(id: splitID) }
        let built = RunData(dataset: sweep.dataset, split: rows)
        locked { runData[splitID] = built }
        return built
    }
}
