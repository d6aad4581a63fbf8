import Datasets
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
    /// A store error that stopped the workers, if any.
    public var storeError: String?

    /// True when no run of the sweep is left to do: every run finished or diverged, or is
    /// being trained by another process sharing the database (this process has recorded all of
    /// its own before it returns).
    public var complete: Bool {
        [RunStatus.queued, .failed, .interrupted].allSatisfy { (counts[$0] ?? 0) == 0 }
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
    public init(jobs: Int, shard: (index: Int, count: Int)? = nil, toolVersion: String) {
        self.jobs = max(1, jobs)
        self.shard = shard
        self.toolVersion = toolVersion
    }
}

/// Runs a prepared sweep's queued cells on parallel Dispatch workers.
///
/// One serial queue owns the ``RunStore`` (the process's single writer): workers claim cells
/// through it and hand it their results, so training threads never wait on SQLite while it
/// writes. Claims are atomic in the database, so several processes can share a sweep. Results
/// do not depend on the number of workers: each run's randomness comes from its own seed.
///
/// The runner knows nothing of terminals or signals: it reports ``SweepEvent``s and obeys a
/// ``SweepCancellation`` its caller sets.
public final class SweepRunner {
    private let writer = DispatchQueue(label: "exp.sweep.writer")
    private let lock = NSLock()
    private var inFlight = Set<Int64>()
    private var stopping = false
    /// Set on the writer queue when runs in flight were stored `interrupted`: their results,
    /// should they still arrive, are dropped.
    private var abandoned = false
    private var runData: [Int64: RunData] = [:]
    private var storeError: String?
    private var trained = 0

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
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(getpid())
        let heartbeat = DispatchSource.makeTimerSource(queue: writer)
        heartbeat.schedule(deadline: .now() + 10, repeating: 10)
        heartbeat.setEventHandler { [self] in
            try? store.heartbeat(runIDs: Array(locked { inFlight }))
        }
        heartbeat.resume()

        let group = DispatchGroup()
        for worker in 0..<options.jobs {
            group.enter()
            DispatchQueue(label: "exp.sweep.worker.\(worker)").async { [self] in
                defer { group.leave() }
                while !locked({ stopping }) && !cancellation.isStopping {
                    let claimed: Result<ClaimedRun?, Error> = writer.sync {
                        Result {
                            guard !cancellation.isStopping else { return nil }
                            var claim = try store.claimNext(sweepID: sweep.sweepID, host: host, pid: pid, shard: options.shard)
                            // Cells are queued in batches: the queue is empty, so the next batch is.
                            while claim == nil, try sweep.queueNextBatch(store: store) > 0 {
                                claim = try store.claimNext(sweepID: sweep.sweepID, host: host, pid: pid, shard: options.shard)
                            }
                            // The queue is empty: folds whose search runs are all done choose
                            // their configuration and queue its refit runs (never in a shard).
                            if claim == nil, options.shard == nil, let plan = sweep.refit,
                               try RefitPhase.selectReady(plan, sweepID: sweep.sweepID, store: store) > 0 {
                                claim = try store.claimNext(sweepID: sweep.sweepID, host: host, pid: pid, shard: nil)
                            }
                            if let claim {
                                locked { _ = inFlight.insert(claim.runID) }
                                events(.claimed(runID: claim.runID))
                            }
                            return claim
                        }
                    }
                    guard case .success(let claimOrNil) = claimed, let claim = claimOrNil else {
                        if case .failure(let error) = claimed { writer.sync { stop(with: error, store: store, events: events) } }
                        // Runs still training, here or in a live peer sharing the database, may
                        // complete a fold whose refit runs are then queued: wait for them rather
                        // than exit with work left. A dead peer's runs stop heartbeating (every
                        // 10 s) and no longer hold the wait after 30 s.
                        if case .success = claimed, sweep.refit != nil, options.shard == nil,
                           !locked({ inFlight.isEmpty })
                            || (try? writer.sync { try store.hasLiveRuns(sweepID: sweep.sweepID, heartbeatWithin: 30) }) == true {
                            Thread.sleep(forTimeInterval: 0.05)
                            continue
                        }
                        break
                    }
                    let result: RunResult
                    do {
                        result = execute(claim, dataset: sweep.dataset, data: try data(for: claim.splitID, sweep: sweep, store: store),
                                         toolVersion: options.toolVersion)
                    } catch {
                        var failed = RunResult(status: .failed, startedAt: Date(), endedAt: Date())
                        failed.error = "\(error)"
                        result = failed
                    }
                    writer.async { [self] in
                        guard !locked({ abandoned }) else { return }
                        do {
                            try store.record(runID: claim.runID, result)
                            events(Self.event(runID: claim.runID, result))
                        } catch {
                            stop(with: error, store: store, events: events)
                        }
                        locked {
                            inFlight.remove(claim.runID)
                            trained += 1
                        }
                    }
                }
            }
        }
        while group.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if cancellation.isStoppingNow {
                summary.interrupted = interruptRunsInFlight(store: store, events: events)
                break
            }
        }
        writer.sync {}
        heartbeat.cancel()
        summary.counts = (try? writer.sync { try store.statusCounts(sweepID: sweep.sweepID) }) ?? [:]
        summary.cancelled = cancellation.isStopping
        locked {
            summary.storeError = storeError
            summary.trained = trained
        }
        return summary
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

    /// Stores the runs in flight `interrupted` and checkpoints the database, on the writer
    /// queue; results arriving later for them are dropped.
    private func interruptRunsInFlight(store: RunStore, events: @Sendable (SweepEvent) -> Void) -> [Int64] {
        writer.sync {
            let left = locked { () -> [Int64] in
                abandoned = true
                stopping = true
                return inFlight.sorted()
            }
            do {
                try store.markInterrupted(runIDs: left)
                try store.checkpoint()
                events(.interrupted(runIDs: left))
            } catch {
                stop(with: error, store: store, events: events)
            }
            return left
        }
    }

    /// Stops every worker after a store error; the first error is reported. Called on the
    /// writer queue.
    private func stop(with failure: Error, store: RunStore, events: @Sendable (SweepEvent) -> Void) {
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
