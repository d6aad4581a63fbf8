import Foundation
import Sweep
import Tracker

/// Prints a sweep's progress to standard error from its ``SweepEvent``s: one live line
/// (rewritten in place with ANSI escapes) on a terminal, a plain line every few seconds
/// otherwise, nothing when quiet. Messages are printed on their own line in every mode.
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private var total: Int
    private var done: Int
    private let pendingAtStart: Int
    private var trained = 0
    private var failed = 0
    private var diverged = 0
    private var best: Double?
    private let start = Date()
    private var lastPrint = Date.distantPast
    private let live: Bool
    private let quiet: Bool
    /// What is counted, after the total: nil for cells (`[12/405] 3.1 runs/s`), else e.g.
    /// `rung trainings` (`[12/260 rung trainings] 3.1 trainings/s`).
    private let unit: String?

    /// - Parameters:
    ///   - total: the sweep's cells (in this shard or not: the count shown after the slash), or
    ///     a halving search's planned rung trainings (``Sweep/HalvingPlan/plannedTrainings``).
    ///   - alreadyDone: cells stored finished, diverged or failed before this process started.
    ///   - pending: cells queued when this process started (for the ETA).
    ///   - best: the best validation accuracy of the sweep's runs stored before this process
    ///     started (a resume's line shows the sweep's best, not only this process's).
    ///   - unit: what `total` counts when not cells (`rung trainings`).
    ///   - quiet: print no progress lines, only ``message(_:)``s.
    ///   - live: rewrite one line in place; by default when standard error is a terminal.
    init(total: Int, alreadyDone: Int, pending: Int, best: Double? = nil, unit: String? = nil, quiet: Bool,
         live: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.unit = unit
        self.best = best
        self.done = alreadyDone
        self.pendingAtStart = pending
        self.quiet = quiet
        self.live = live
    }

    /// Counts a run that ended, and says so when a result was dropped or runs were taken over;
    /// other events print nothing.
    func handle(_ event: SweepEvent) {
        switch event {
        case .finished(_, let accuracy), .diverged(_, let accuracy):
            record(status: event.status!, validationAccuracy: accuracy)
        case .failed:
            record(status: .failed, validationAccuracy: nil)
        case .resultDropped(let runID):
            message("exp: dropped this process's late result of run \(runID): another process took the run over "
                    + "while this one sent no heartbeat (paused or stalled); its result is kept")
        case .tookOver(let runs):
            for run in runs {
                let owner = run.pid.map { "pid \($0)" + (run.host.map { " on \($0)" } ?? "") } ?? "a process"
                message("exp: took over run \(run.runID) (cell \(run.cellIndex)) from \(owner), which is gone")
            }
        case .claimed, .interrupted, .storeError:
            break
        }
    }

    private func record(status: RunStatus, validationAccuracy: Double?) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        trained += 1
        if status == .failed { failed += 1 }
        if status == .diverged { diverged += 1 }
        if let v = validationAccuracy, v > (best ?? -1) { best = v }
        let now = Date()
        if now.timeIntervalSince(lastPrint) >= (live ? 0.2 : 5) {
            lastPrint = now
            emit(line(now))
        }
    }

    private func line(_ now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(start), 1e-3)
        let rate = Double(trained) / elapsed
        let remaining = max(0, pendingAtStart - trained)
        let eta = rate > 0 ? Int((Double(remaining) / rate).rounded()) : 0
        let bestText = best.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
        // Never past the total, whatever a retried run adds.
        let count = unit.map { "[\(min(done, total))/\(total) \($0)] " + String(format: "%.1f trainings/s", rate) }
            ?? String(format: "[%d/%d] %.1f runs/s", min(done, total), total, rate)
        return count + String(format: ", ETA %ds, %d diverged, %d failed, best validation accuracy %@", eta, diverged, failed, bestText)
    }

    private func emit(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data(((live ? "\r\u{1B}[2K" : "") + text + (live ? "" : "\n")).utf8))
    }

    /// Prints the last progress line and ends it.
    /// - Parameter complete: the sweep has nothing left to train. A halving search's planned
    ///   trainings are then what it trained: configurations that diverged or failed at a rung are
    ///   never promoted, so fewer trainings than planned can complete it, and the last line says
    ///   how many planned trainings were not needed instead of stopping short of its total.
    func finish(complete: Bool = false) {
        lock.lock()
        defer { lock.unlock() }
        guard trained > 0 else { return }
        var note = ""
        if complete, unit != nil, done < total {
            note = "; \(total - done) planned rung trainings not needed (diverged or failed configurations are not promoted)"
            total = done
        }
        emit(line(Date()) + note)
        if live && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Prints a message on its own line (shown even when quiet).
    func message(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(((live ? "\r\u{1B}[2K" : "") + text + "\n").utf8))
    }
}
