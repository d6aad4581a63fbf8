import Foundation
import Sweep
import Tracker

/// Runs a prepared sweep in this process: progress on standard error, `SIGINT`, `SIGTERM` and
/// `SIGHUP` handled (see ``SignalTrap``), store errors and signals turned into thrown errors.
///
/// - Parameters:
///   - heartbeatTimeout: seconds without a heartbeat after which peers may take this process's
///     runs over (``Tracker/ClaimOwner``).
///   - report: called with the summary as soon as the workers stopped, however they stopped.
/// - Returns: the summary, when no signal and no store error stopped the sweep.
/// - Throws: ``ExpError/interrupted(signal:_:)`` after a signal (exit 128 + n), saying which runs
///   in flight were marked `interrupted` and which could not be (another program held the write
///   lock); ``ExpError/incomplete(_:)`` after a store error.
func runSweep(_ prepared: PreparedSweep, store: RunStore, jobs: Int, shard: (index: Int, count: Int)? = nil,
              heartbeatTimeout: Double = ClaimOwner.defaultHeartbeatTimeout,
              quiet: Bool, report: (SweepSummary) -> Void = { _ in }) throws -> SweepSummary {
    let before = (try? store.statusCounts(sweepID: prepared.sweepID)) ?? [:]
    let pending = before[.queued] ?? 0
    let best = try? store.bestValidationAccuracy(sweepID: prepared.sweepID)
    let progress: ProgressReporter
    if let plan = prepared.halving {
        // A halving search trains a run once per rung it reaches: the line counts rung trainings.
        let ended = min((try? store.rungTrainingsEnded(sweepID: prepared.sweepID)) ?? 0, plan.plannedTrainings)
        progress = ProgressReporter(total: plan.plannedTrainings, alreadyDone: ended, pending: plan.plannedTrainings - ended, best: best,
                                    unit: "rung trainings", quiet: quiet)
    } else {
        progress = ProgressReporter(total: prepared.cellCount, alreadyDone: prepared.cellCount - pending - (before[.running] ?? 0),
                                    pending: pending, best: best, quiet: quiet)
    }
    let cancellation = SweepCancellation()
    let signals = SignalTrap(cancellation: cancellation) { progress.message($0) }
    let options = SweepOptions(jobs: jobs, shard: shard, toolVersion: toolVersion, heartbeatTimeout: heartbeatTimeout)
    let summary = SweepRunner().run(prepared, store: store, options: options, cancellation: cancellation) { progress.handle($0) }
    signals.remove()
    progress.finish(complete: summary.complete)
    report(summary)
    if let signal = signals.received {
        var marked = summary.interrupted.isEmpty ? "" : "; marked \(summary.interrupted.count) unfinished run(s) interrupted"
        if !summary.leftRunning.isEmpty {
            marked += "; could not mark \(summary.leftRunning.count) run(s) interrupted (runs "
                + summary.leftRunning.map(String.init).joined(separator: ", ")
                + ") while another program holds the write lock on \(store.path): they stay running until a resume finds this process gone"
        }
        throw ExpError.interrupted(signal: signal, "stopped by signal \(signal)\(marked); run the same command to resume")
    }
    if let error = summary.storeError { throw ExpError.incomplete("stopped: \(error)") }
    return summary
}
