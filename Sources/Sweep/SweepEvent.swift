import Tracker

/// What a ``SweepRunner`` reports while it works, one event at a time, in the order things
/// happen in this process (events of other processes sharing the database are not seen).
public enum SweepEvent: Sendable, Equatable {
    /// This process claimed the queued run `runID` and starts training it.
    case claimed(runID: Int64)
    /// The run trained to the end and is stored `finished`; `validationAccuracy` is its final
    /// validation accuracy, a fraction in [0, 1].
    case finished(runID: Int64, validationAccuracy: Double?)
    /// The run's loss became non-finite; it is stored `diverged` with the metrics it had.
    case diverged(runID: Int64, validationAccuracy: Double?)
    /// Training refused or failed; the run is stored `failed` with `error`.
    case failed(runID: Int64, error: String?)
    /// The runs in flight when ``SweepCancellation/stopNow()`` was asked, now stored
    /// `interrupted` (a resume requeues them); empty when none was in flight.
    case interrupted(runIDs: [Int64])
    /// A database error: workers claim no further run, and the sweep ends once the runs in
    /// flight end (reported once, for the first error).
    case storeError(String)
    /// This process's result for `runID` came after another process had taken the run over
    /// (this one had looked gone: paused or stalled past its heartbeat timeout); it was dropped,
    /// and the new owner's result stands.
    case resultDropped(runID: Int64)
    /// Runs another process held, whose process is gone, put back in the queue by this one to
    /// train (see ``Tracker/ClaimOwner``).
    case tookOver([LostRun])

    /// The stored status a run event stands for: `running` for ``claimed(runID:)``, the run's
    /// terminal status for the others, `nil` for ``storeError(_:)``, ``resultDropped(runID:)``
    /// and ``tookOver(_:)``.
    public var status: RunStatus? {
        switch self {
        case .claimed: return .running
        case .finished: return .finished
        case .diverged: return .diverged
        case .failed: return .failed
        case .interrupted: return .interrupted
        case .storeError, .resultDropped, .tookOver: return nil
        }
    }
}
