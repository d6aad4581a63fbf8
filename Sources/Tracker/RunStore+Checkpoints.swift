import Foundation

/// What a run continues from: its training state and its weights after epoch ``epoch``
/// (a row of `checkpoints` and the run's `final` and `best` rows of `weights`).
public struct StoredCheckpoint: Sendable, Equatable {
    /// The run's last stored epoch (1-based), the one the state was saved after.
    public var epoch: Int
    /// NeuralNet's `TrainingState.serialized()` bytes.
    public var state: Data
    /// The `final` weights (safetensors): the weights after ``epoch``.
    public var finalWeights: Data
    /// The `best` weights (safetensors).
    public var bestWeights: Data

    /// A checkpoint with these parts.
    public init(epoch: Int, state: Data, finalWeights: Data, bestWeights: Data) {
        self.epoch = epoch
        self.state = state
        self.finalWeights = finalWeights
        self.bestWeights = bestWeights
    }
}

extension RunStore {
    /// The run's stored checkpoint, or nil when it has none (a run of a grid sweep, stopped
    /// early, diverged, or not trained yet).
    /// - Throws: ``TrackerError/notFound(_:)`` when the checkpoint's weights are missing;
    ///   ``SQLiteError``.
    public func checkpoint(runID: Int64) throws -> StoredCheckpoint? {
        guard let (epoch, bytes) = try connection.query("SELECT epoch, data FROM checkpoints WHERE run_id = ?",
                                                        [.integer(runID)], { s in
            (try s.required(s.int, "epoch"), try s.required(s.bytes, "data"))
        }).first else { return nil }
        return StoredCheckpoint(epoch: epoch, state: Data(bytes), finalWeights: try weights(runID: runID, kind: "final"),
                                bestWeights: try weights(runID: runID, kind: "best"))
    }
}
