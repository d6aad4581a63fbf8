import Foundation
import Sweep

/// Turns `SIGINT`, `SIGTERM` and `SIGHUP` (a closed terminal or SSH session) into a sweep's
/// cancellation while it runs.
///
/// The first signal stops claiming and gives runs in flight `grace` seconds to finish; then
/// (or at once, on a second signal) it asks the runner to stop now, which stops waiting for
/// any other program's write lock, stores the runs still in flight `interrupted` when it can,
/// and checkpoints the database. The process then exits with 128 + the first signal's number
/// (see ``ExitStatus``).
final class SignalTrap: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Int32?
    private let queue = DispatchQueue(label: "exp.signals")
    private var sources: [DispatchSourceSignal] = []
    private static let numbers = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers; they stay until ``remove()``.
    /// - Parameters:
    ///   - cancellation: the flag the runner obeys.
    ///   - grace: seconds runs in flight may take after the first signal.
    ///   - message: prints one line for the user.
    init(cancellation: SweepCancellation, grace: TimeInterval = 5, message: @escaping @Sendable (String) -> Void) {
        sources = Self.numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                let isFirst = lock.withLock { () -> Bool in
                    defer { first = first ?? number }
                    return first == nil
                }
                if isFirst {
                    message("exp: stopping — finishing the runs in flight (press Ctrl-C again to quit at once)")
                    cancellation.stopClaiming()
                    queue.asyncAfter(deadline: .now() + grace) { cancellation.stopNow() }
                } else {
                    message("exp: stopping at once (second signal)")
                    cancellation.stopNow()
                }
            }
            source.resume()
            return source
        }
    }

    /// The first signal received, if any.
    var received: Int32? { lock.withLock { first } }

    /// Removes the handlers and restores the default action of each signal.
    func remove() {
        sources.forEach { $0.cancel() }
        Self.numbers.forEach { signal($0, SIG_DFL) }
    }
}
