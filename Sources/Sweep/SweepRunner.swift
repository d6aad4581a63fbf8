import Datasets
import Foundation
import NeuralNet
import Tracker

/// How a call to ``SweepRunner/run(_:store:options:)`` ended.
public struct SweepSummary: Sendable {
    /// Runs this process finished, diverged or failed.
    public var trained = 0
    /// The sweep's runs by status once this process stopped.
    public var counts: [RunStatus: Int] = [:]
    /// `SIGINT` or `SIGTERM` when a signal stopped the sweep.
    public var signal: Int32?
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
    public var progress: ProgressReporter.Mode
    /// Written into every run as `tool_version`.
    public var toolVersion: String
    public init(jobs: Int, shard: (index: Int, count: Int)? = nil, progress: ProgressReporter.Mode = .auto, toolVersion: String) {
        self.jobs = max(1, jobs)
        self.shard = shard
        self.progress = progress
        self.toolVersion = toolVersion
    }
}

/// Runs a prepared sweep's queued cells on parallel Dispatch workers.
///
/// One serial queue owns the ``RunStore`` (the process's single writer): workers claim cells
/// through it and hand it their results, so training threads never wait on SQLite while it
/// writes. Claims are atomic in the database, so several processes can share a sweep. Results
/// do not depend on the number of workers: each run's randomness comes from its own seed.
public final class SweepRunner {
    private let writer = DispatchQueue(label: "exp.sweep.writer")
    private let lock = NSLock()
    private var inFlight = Set<Int64>()
    private var stopping = false
    private var runData: [Int64: RunData] = [:]

    public init() {}

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// Trains queued runs until none is left or a signal stops the sweep.
    ///
    /// On the first `SIGINT`/`SIGTERM` workers stop claiming; runs in flight get a few seconds
    /// to finish, then are marked `interrupted` and the process exits with 130 or 143. A second
    /// signal exits at once; every write is a transaction, so the database stays consistent.
    public func run(_ sweep: PreparedSweep, store: RunStore, options: SweepOptions) -> SweepSummary {
        var summary = SweepSummary()
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(getpid())
        let before = (try? store.statusCounts(sweepID: sweep.sweepID)) ?? [:]
        let pending = (before[.queued] ?? 0)
        let progress = ProgressReporter(total: sweep.cellCount, alreadyDone: sweep.cellCount - pending - (before[.running] ?? 0),
                                        pending: pending, mode: options.progress)
        let signals = installSignalHandlers(store: store, progress: progress)
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
                while !locked({ stopping }) {
                    let claimed: Result<ClaimedRun?, Error> = writer.sync {
                        Result { try store.claimNext(sweepID: sweep.sweepID, host: host, pid: pid, shard: options.shard) }
                    }
                    guard case .success(let claimOrNil) = claimed, let claim = claimOrNil else {
                        if case .failure(let error) = claimed { stop(with: "\(error)") }
                        break
                    }
                    locked { _ = inFlight.insert(claim.runID) }
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
                        do {
                            try store.record(runID: claim.runID, result)
                            progress.record(status: result.status, validationAccuracy: result.finalValidationAccuracy)
                        } catch {
                            stop(with: "\(error)")
                        }
                        locked {
                            inFlight.remove(claim.runID)
                            trained += 1
                        }
                    }
                }
            }
        }
        group.wait()
        writer.sync {}
        heartbeat.cancel()
        signals.forEach { $0.cancel() }
        progress.finish()
        summary.counts = (try? store.statusCounts(sweepID: sweep.sweepID)) ?? [:]
        locked {
            summary.signal = receivedSignal
            summary.storeError = storeError
            summary.trained = trained
        }
        return summary
    }

    private var receivedSignal: Int32?
    private var storeError: String?
    private var trained = 0

    /// Stops every worker after a store error; the first error is reported.
    private func stop(with error: String) {
        locked {
            if storeError == nil { storeError = error }
            stopping = true
        }
    }

    /// The matrices of a split, built once per process.
    private func data(for splitID: Int64, sweep: PreparedSweep, store: RunStore) throws -> RunData {
        if let cached = locked({ runData[splitID] }) { return cached }
        let rows = try writer.sync { try store.split(id: splitID) }
        let built = RunData(dataset: sweep.dataset, split: rows)
        locked { runData[splitID] = built }
        return built
    }

    private func installSignalHandlers(store: RunStore, progress: ProgressReporter) -> [DispatchSourceSignal] {
        let queue = DispatchQueue(label: "exp.sweep.signals")
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                let first = locked { () -> Bool in
                    defer { stopping = true; receivedSignal = receivedSignal ?? number }
                    return receivedSignal == nil
                }
                let code = 128 + number
                // Runs in flight are marked and the log checkpointed through the writer queue,
                // then the process ends with _exit: the training threads are abandoned mid-step,
                // and nothing of theirs is written.
                let stop = { [self] in
                    let left = Array(locked { inFlight })
                    writer.sync {
                        try? store.markInterrupted(runIDs: left)
                        try? store.checkpoint()
                    }
                    progress.message("exp: marked \(left.count) unfinished run(s) interrupted; run the same command to resume")
                    _exit(code)
                }
                if !first {
                    progress.message("exp: stopping at once (second signal)")
                    stop()
                }
                progress.message("exp: stopping — finishing the runs in flight (press Ctrl-C again to quit at once)")
                queue.asyncAfter(deadline: .now() + 5) { stop() }
            }
            source.resume()
            return source
        }
    }
}
