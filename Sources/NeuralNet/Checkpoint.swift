import Determinism
import Foundation

/// Everything a training run holds besides its weights at the end of an epoch: the optimizer's
/// state, the generator's state and the bookkeeping of the best epoch, so that
/// ``train(_:on:validation:classNames:featureNames:seed:resumingFrom:onEpoch:)`` can continue a
/// run exactly where it stopped. Training 10 epochs, then 20 more from the checkpoint, gives bit
/// for bit the models, history and state of training 30 epochs in one go with the same seed.
public struct TrainingState: Sendable, Equatable {
    /// Epochs completed (1-based number of the last one).
    public var epoch: Int
    /// Optimizer updates done so far: Adam's `t` in `m̂ = m/(1−β1^t)`, `v̂ = v/(1−β2^t)`
    /// (Kingma & Ba 2015, Algorithm 1); counted for every optimizer.
    public var optimizerSteps: Int
    /// `parameterCount` values: the velocity `v` of momentum (`v → μ v − η g`, Nielsen ch. 3) or
    /// Adam's first moment `m`; zeros for plain SGD. Same layout as the network's parameters.
    public var optimizerFirstMoment: [Double]
    /// `parameterCount` values: Adam's second moment `v`; zeros for other optimizers.
    public var optimizerSecondMoment: [Double]
    /// The run's xoshiro256** state after the last epoch's shuffle (``Xoshiro256StarStar/state``).
    public var generatorState: [UInt64]
    /// The order of the training rows after the last epoch's shuffle: a permutation of
    /// `0..<n`. Each epoch's Fisher-Yates shuffle permutes the previous epoch's order, so the
    /// generator alone does not give the next order.
    public var rowOrder: [Int]
    /// 1-based epoch of the lowest monitored loss so far (validation loss, or training loss
    /// without validation rows); 0 before any epoch.
    public var bestEpoch: Int
    /// The monitored loss at ``bestEpoch`` (cost units, nats for cross-entropy).
    public var bestLoss: Double
    /// The training loss above which the run counts as diverged, fixed from the initial weights
    /// (``divergenceFactor`` times the larger of the initial loss and the loss of uniform guessing).
    public var divergenceBound: Double
    /// Wall-clock seconds of training so far (the next epochs' `elapsedSeconds` continue from it).
    public var elapsedSeconds: Double

    /// Memberwise initializer.
    public init(epoch: Int, optimizerSteps: Int, optimizerFirstMoment: [Double], optimizerSecondMoment: [Double],
                generatorState: [UInt64], rowOrder: [Int], bestEpoch: Int, bestLoss: Double, divergenceBound: Double,
                elapsedSeconds: Double) {
        self.epoch = epoch
        self.optimizerSteps = optimizerSteps
        self.optimizerFirstMoment = optimizerFirstMoment
        self.optimizerSecondMoment = optimizerSecondMoment
        self.generatorState = generatorState
        self.rowOrder = rowOrder
        self.bestEpoch = bestEpoch
        self.bestLoss = bestLoss
        self.divergenceBound = divergenceBound
        self.elapsedSeconds = elapsedSeconds
    }

    /// Equal except for ``elapsedSeconds`` (wall-clock time is not reproducible).
    public func sameTrajectory(as other: TrainingState) -> Bool {
        var a = self, b = other
        a.elapsedSeconds = 0; b.elapsedSeconds = 0
        return a == b
    }
}

/// A run's state at the end of an epoch: its current weights (``model``), the best weights so
/// far (``bestModel``) and the rest of its state (``state``). A run stopped early has none
/// (``TrainingResult/checkpoint``): its final weights are the restored best ones.
public struct TrainingCheckpoint: Sendable, Equatable {
    /// The weights after epoch ``TrainingState/epoch`` (with the run's scaler).
    public var model: Model
    /// The weights at ``TrainingState/bestEpoch``.
    public var bestModel: Model
    /// Optimizer, generator and best-epoch state.
    public var state: TrainingState

    /// Memberwise initializer.
    public init(model: Model, bestModel: Model, state: TrainingState) {
        self.model = model
        self.bestModel = bestModel
        self.state = state
    }
}

extension TrainingResult {
    /// The state to continue this run from, or `nil` when it stopped early.
    public var checkpoint: TrainingCheckpoint? {
        stoppedEarly ? nil : TrainingCheckpoint(model: model, bestModel: bestModel, state: state)
    }
}

// MARK: Serialization

extension TrainingState {
    /// The first 8 bytes of ``serialized()``.
    public static let magic = Array("EXPTRST1".utf8)

    /// The state as bytes, every number little-endian, doubles bit for bit:
    ///
    /// | bytes | value |
    /// |---|---|
    /// | 8 | `EXPTRST1` (ASCII; format version 1) |
    /// | 8 each, `UInt64` | `epoch`, `optimizerSteps`, `bestEpoch`, the bit patterns of `bestLoss`, `divergenceBound`, `elapsedSeconds` |
    /// | 4 x 8, `UInt64` | `generatorState` |
    /// | 8 + 8c | `c`, then the `c` bit patterns of `optimizerFirstMoment` |
    /// | 8 + 8c | `c`, then `optimizerSecondMoment` |
    /// | 8 + 8n | `n`, then `rowOrder` |
    public func serialized() -> Data {
        var words: [UInt64] = [UInt64(epoch), UInt64(optimizerSteps), UInt64(bestEpoch),
                               bestLoss.bitPattern, divergenceBound.bitPattern, elapsedSeconds.bitPattern]
        words += generatorState
        words.append(UInt64(optimizerFirstMoment.count))
        words += optimizerFirstMoment.map(\.bitPattern)
        words.append(UInt64(optimizerSecondMoment.count))
        words += optimizerSecondMoment.map(\.bitPattern)
        words.append(UInt64(rowOrder.count))
        words += rowOrder.map { UInt64($0) }
        var data = Data(TrainingState.magic)
        data.reserveCapacity(8 + 8 * words.count)
        for w in words { withUnsafeBytes(of: w.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Reads bytes written by ``serialized()``.
    ///
    /// - Throws: ``TrainingError/invalidData(_:)`` when the bytes are not a version-1 state
    ///   (wrong magic, truncated, trailing bytes, an all-zero generator state).
    public init(serialized data: Data) throws {
        let bytes = [UInt8](data)
        func bad(_ why: String) -> TrainingError { .invalidData("training state: \(why)") }
        guard bytes.count >= 8, Array(bytes[0..<8]) == TrainingState.magic else { throw bad("not an EXPTRST1 state") }
        var offset = 8
        func word() throws -> UInt64 {
            guard offset + 8 <= bytes.count else { throw bad("truncated at byte \(offset)") }
            var w: UInt64 = 0
            for i in 0..<8 { w |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return w
        }
        func words() throws -> [UInt64] {
            let count = try word()
            guard count <= UInt64((bytes.count - offset) / 8) else { throw bad("truncated list of \(count) values") }
            return try (0..<Int(count)).map { _ in try word() }
        }
        func doubles() throws -> [Double] { try words().map(Double.init(bitPattern:)) }
        let epoch = Int(truncatingIfNeeded: try word()), steps = Int(truncatingIfNeeded: try word())
        let bestEpoch = Int(truncatingIfNeeded: try word())
        let bestLoss = Double(bitPattern: try word()), bound = Double(bitPattern: try word())
        let elapsed = Double(bitPattern: try word())
        let generator = try (0..<4).map { _ in try word() }
        guard Xoshiro256StarStar(state: generator) != nil else { throw bad("all-zero generator state") }
        let first = try doubles(), second = try doubles()
        let order = try words().map { Int(truncatingIfNeeded: $0) }
        guard offset == bytes.count else { throw bad("\(bytes.count - offset) trailing bytes") }
        self.init(epoch: epoch, optimizerSteps: steps, optimizerFirstMoment: first, optimizerSecondMoment: second,
                  generatorState: generator, rowOrder: order, bestEpoch: bestEpoch, bestLoss: bestLoss, divergenceBound: bound,
                  elapsedSeconds: elapsed)
    }
}

// MARK: Saving and restoring inside `train`

extension Optimizer {
    /// Copies of the moment buffers and the step count.
    var saved: (steps: Int, first: [Double], second: [Double]) {
        (steps, Array(UnsafeBufferPointer(start: first, count: count)),
         Array(UnsafeBufferPointer(start: second, count: count)))
    }

    /// Overwrites the moment buffers and the step count.
    func restore(steps: Int, first: [Double], second: [Double]) {
        self.steps = steps
        first.withUnsafeBufferPointer { self.first.update(from: $0.baseAddress!, count: count) }
        second.withUnsafeBufferPointer { self.second.update(from: $0.baseAddress!, count: count) }
    }
}

extension TrainingCheckpoint {
    /// Puts the checkpoint into a freshly initialized run: its weights into `net`, its best
    /// weights into `bestParams`, its moments into `optimizer`, its generator state into `rng` and
    /// its row order into `order`.
    ///
    /// - Throws: ``TrainingError/invalidData(_:)`` when the checkpoint was not made by a run of
    ///   these layer sizes, activation, loss and scaler (the same training rows), or
    ///   ``TrainingError/invalidHyperparameters(_:)`` unless `epochs` exceeds its epoch.
    func restore(epochs: Int, sizes: [Int], activation: Activation, loss: LossFunction, scaler: FeatureScaler,
                 net: Network, optimizer: Optimizer, rng: inout Xoshiro256StarStar,
                 bestParams: UnsafeMutablePointer<Double>, order: inout [Int]) throws {
        func bad(_ why: String) -> TrainingError { .invalidData("checkpoint: \(why)") }
        for m in [model, bestModel] {
            guard m.layerSizes == sizes else { throw bad("layer sizes \(m.layerSizes), the run has \(sizes)") }
            guard m.activation == activation, m.loss == loss else { throw bad("another activation or loss") }
            guard m.scaler == scaler else { throw bad("another scaler: not fitted on these training rows") }
        }
        guard state.optimizerFirstMoment.count == net.parameterCount,
              state.optimizerSecondMoment.count == net.parameterCount else {
            throw bad("optimizer state of \(state.optimizerFirstMoment.count) values for \(net.parameterCount) parameters")
        }
        guard let generator = Xoshiro256StarStar(state: state.generatorState) else { throw bad("invalid generator state") }
        guard state.rowOrder.sorted() == Array(0..<order.count) else {
            throw bad("row order of \(state.rowOrder.count) rows is no permutation of the \(order.count) training rows")
        }
        guard state.epoch >= 1, epochs > state.epoch else {
            throw TrainingError.invalidHyperparameters("epochs (\(epochs)) must exceed the checkpoint's epoch (\(state.epoch))")
        }
        net.load(weights: bestModel.weights, biases: bestModel.biases)
        bestParams.update(from: net.params, count: net.parameterCount)
        net.load(weights: model.weights, biases: model.biases)
        optimizer.restore(steps: state.optimizerSteps, first: state.optimizerFirstMoment, second: state.optimizerSecondMoment)
        rng = generator
        order = state.rowOrder
    }
}
