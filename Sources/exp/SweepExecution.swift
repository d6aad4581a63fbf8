import Foundation
import Sweep
import Tracker

/// Runs a prepared sweep in this process: progress on standard error, `SIGINT`/`SIGTERM`
/// handled (see ``SignalTrap``), store errors and signals turned into thrown errors.
///
/// - Parameter report: called with the summary as soon as the workers stopped, however they stopped.
/// - Returns: the summary, when no signal and no store error stopped the sweep.
/// - Throws: ``ExpError/interrupted(signal:_:)`` after a signal (exit 128 + n), once the runs
///   in flight are stored or marked `interrupted`; ``ExpError/incomplete(_:)`` after a store error.
func runSweep(_ prepared: PreparedSweep, store: RunStore, jobs: Int, shard: (index: Int, count: Int)? = nil,
              quiet: Bool, report: (SweepSummary) -> Void = { _ in }) throws -> SweepSummary {
    let before = (try? store.statusCounts(sweepID: prepared.sweepID)) ?? [:]
    let pending = before[.queued] ?? 0
    let progress = ProgressReporter(total: prepared.cellCount, alreadyDone: prepared.cellCount - pending - (before[.running] ?? 0),
                                    pending: pending, best: try? store.bestValidationAccuracy(sweepID: prepared.sweepID), quiet: quiet)
    let cancellation = SweepCancellation()
    let signals = SignalTrap(cancellation: cancellation) { progress.message($0) }
    let summary = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: jobs, shard: shard, toolVersion: toolVersion),
                                    cancellation: cancellation) { progress.handle($0) }
    signals.remove()
    progress.finish()
    report(summary)
    if let signal = signals.received {
        let marked = summary.interrupted.isEmpty ? "" : "; marked \(summary.interrupted.count) unfinished run(s) interrupted"
        throw ExpError.interrupted(signal: signal, "stopped by signal \(signal)\(marked); run the same command to resume")
    }
    if let error = summary.storeError { throw ExpError.incomplete("stopped: \(error)") }
    return summary
}
