import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The CPU priority of a long-running process beside a sweep.
///
/// `exp serve` watches sweeps that fill every core with training. It runs at nice value
/// ``serve`` (`setpriority(2)`) so that the training threads get the CPU first and the live
/// view gets what is left (docs/benchmarks.md, "Serving while a sweep runs"). Starting it
/// under `nice` is not enough: on Linux, Dispatch gives each worker thread it creates a nice
/// value of its own by quality of service (−4 to 0, whatever the process's), and the server's
/// event loop threads inherit those. So `exp serve` lowers every thread of its own, and again
/// every second for threads created since (``keepLowered(to:)``).
enum ProcessPriority {
    /// The nice value `exp serve` runs at, at least (a higher value the user chose is kept).
    static let serve: Int32 = 10

    /// Raises the nice value of every thread of this process to at least `nice`; never lowers it.
    ///
    /// On Linux a nice value belongs to a thread (`setpriority(PRIO_PROCESS, tid)` with NPTL), so
    /// every thread listed in `/proc/self/task` is changed; a thread created meanwhile is caught by
    /// ``keepLowered(to:)``'s next pass. Failures (a sandbox that forbids it) leave the priority as it was.
    static func lower(to nice: Int32) {
        #if os(Linux)
        for thread in threadIDs() {
            errno = 0
            let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(thread))
            if errno == 0, current < nice {
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(thread), nice)
            }
        }
        #else
        // Elsewhere (macOS) a nice value belongs to the process.
        errno = 0
        let current = getpriority(PRIO_PROCESS, 0)
        if errno == 0, current < nice { _ = setpriority(PRIO_PROCESS, 0, nice) }
        #endif
    }

    /// Lowers every thread now (``lower(to:)``) and then once a second for as long as the
    /// returned timer is kept: threads created meanwhile run at their own priority until then.
    static func keepLowered(to nice: Int32) -> DispatchSourceTimer {
        lower(to: nice)
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + 1, repeating: 1, leeway: .milliseconds(100))
        timer.setEventHandler { lower(to: nice) }
        timer.resume()
        return timer
    }

    #if os(Linux)
    /// This process's thread ids (`/proc/self/task`), or the process id where that is missing.
    private static func threadIDs() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let ids = names.compactMap { Int32($0) }
        return ids.isEmpty ? [getpid()] : ids
    }
    #endif
}
