import Determinism
import Foundation

/// A labelled data set.
public struct LabeledData: Sendable {
    /// `rows x features`, raw (unscaled) feature units.
    public var features: Matrix
    /// `rows` class indices in `0..<classCount`.
    public var labels: [Int]

    /// Pairs feature rows with labels (checked by ``train(_:on:validation:classNames:featureNames:seed:resumingFrom:onEpoch:)``).
    public init(features: Matrix, labels: [Int]) {
        self.features = features
        self.labels = labels
    }
}

/// Metrics measured at the end of one epoch.
public struct EpochMetrics: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean cost over the whole training set (forward pass with the end-of-epoch
    /// weights; no weight-decay term), in nats for cross-entropy.
    public var trainLoss: Double
    /// Training accuracy in `[0, 1]`.
    public var trainAccuracy: Double
    /// Mean cost over the validation set, `nil` without validation data.
    public var validationLoss: Double?
    /// Validation accuracy in `[0, 1]`, `nil` without validation data.
    public var validationAccuracy: Double?
    /// Learning rate used during this epoch (constant: ``Hyperparameters/learningRate``).
    public var learningRate: Double
    /// Wall-clock seconds since the start of training (cumulative, monotonic clock).
    public var elapsedSeconds: Double

    /// Memberwise initializer (losses in cost units, accuracies in `[0, 1]`, seconds).
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double?,
                validationAccuracy: Double?, learningRate: Double, elapsedSeconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.elapsedSeconds = elapsedSeconds
    }
}

/// What a training run produced.
public struct TrainingResult: Sendable {
    /// The final weights, or the best ones restored when early stopping triggered.
    public var model: Model
    /// The weights at ``bestEpoch``: lowest validation loss, or lowest training
    /// loss when there is no validation data (first epoch wins ties).
    public var bestModel: Model
    /// 1-based epoch of ``bestModel``.
    public var bestEpoch: Int
    /// One entry per completed epoch, in order.
    public var history: [EpochMetrics]
    /// True when early stopping ended the run before ``Hyperparameters/epochs``.
    public var stoppedEarly: Bool
    /// Optimizer, generator and best-epoch state after the last epoch (see ``checkpoint``).
    public var state: TrainingState

    /// Memberwise initializer.
    public init(model: Model, bestModel: Model, bestEpoch: Int, history: [EpochMetrics], stoppedEarly: Bool,
                state: TrainingState) {
        self.model = model
        self.bestModel = bestModel
        self.bestEpoch = bestEpoch
        self.history = history
        self.stoppedEarly = stoppedEarly
        self.state = state
    }
}

/// Checks one data set against the feature and class counts.
private func check(_ data: LabeledData, _ name: String, features: Int, classes: Int) throws {
    let x = data.features
    guard x.rows >= 1 else { throw TrainingError.invalidData("\(name) set has no rows") }
    guard x.columns == features else {
        throw TrainingError.invalidData("\(name) set has \(x.columns) features, expected \(features)")
    }
    guard data.labels.count == x.rows else {
        throw TrainingError.invalidData("\(name) set has \(x.rows) rows but \(data.labels.count) labels")
    }
    if let bad = data.labels.first(where: { $0 < 0 || $0 >= classes }) {
        throw TrainingError.invalidData("\(name) label \(bad) is outside 0..<\(classes)")
    }
    if let i = x.values.firstIndex(where: { !$0.isFinite }) {
        throw TrainingError.invalidData("\(name) feature at row \(i / features), column \(i % features) is not finite")
    }
}

/// Copies `values` into a new buffer that the caller deallocates.
private func buffer<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
    values.withUnsafeBufferPointer { p.initialize(from: $0.baseAddress!, count: $0.count) }
    return p
}

/// How many times its starting value (or the loss of uniform guessing, if larger) the training
/// loss may reach before a run counts as diverged.
public let divergenceFactor = 10.0

/// Trains a multi-layer perceptron by mini-batch gradient descent with
/// backpropagation (Nielsen chs. 1–2).
///
/// Each epoch reshuffles the training rows (Fisher-Yates, from the run's
/// xoshiro256** generator seeded by SplitMix64 from `seed`) and walks them in
/// mini-batches of ``Hyperparameters/batchSize`` rows (the last one may be
/// shorter and is used). Per batch: forward pass, backpropagation of the mean
/// batch cost (each row's cost weighted by its class with ``Hyperparameters/classWeight``),
/// L2 term `λ' W` added to the weight gradients, optimizer step. The losses measured after each
/// epoch are unweighted, so runs with and without class weights compare.
/// After each epoch the loss and accuracy on the whole training set (and
/// validation set) are measured with a forward pass. Buffers are allocated once.
///
/// Same data, hyperparameters and seed give bit-identical results on any thread;
/// there is no global mutable state (OpenBLAS's thread count aside, see ``BLAS``).
///
/// - Parameters:
///   - hp: hyperparameters (validated first).
///   - training: `n x p` raw features and `n` labels in `0..<classNames.count`;
///     the scaler is fitted on these rows only.
///   - validation: optional held-out rows (`m x p`), scaled with the training scaler.
///   - classNames: one name per class (`n_L = classNames.count >= 1`).
///   - featureNames: `p` names, or empty.
///   - seed: the run's random seed.
///   - checkpoint: a ``TrainingCheckpoint`` of this run (same data, hyperparameters but
///     ``Hyperparameters/epochs``, and seed) to continue from: epochs `checkpoint.state.epoch + 1`
///     through `hp.epochs` are trained, and the result equals, bit for bit (wall-clock times
///     aside), one run of `hp.epochs`; ``TrainingResult/history`` then holds the new epochs only.
///   - onEpoch: called after each epoch whose metrics are all finite, on the calling thread.
/// - Returns: final and best models, the per-epoch history, and whether early stopping triggered.
/// - Throws: ``TrainingError/invalidHyperparameters(_:)`` (including early stopping
///   without validation data, or `epochs` not beyond the checkpoint's), ``TrainingError/invalidData(_:)``
///   (also for a checkpoint of another network or scaler), or
///   ``TrainingError/diverged(epoch:)`` when a loss or parameter becomes non-finite, or the
///   training loss exceeds ``divergenceFactor`` times the larger of its value at the initial
///   weights and the loss of uniform guessing (ln k for cross-entropy, k/8 for the quadratic cost).
public func train(_ hp: Hyperparameters, on training: LabeledData, validation: LabeledData?,
                  classNames: [String], featureNames: [String], seed: UInt64,
                  resumingFrom checkpoint: TrainingCheckpoint? = nil,
                  onEpoch: ((EpochMetrics) -> Void)? = nil) throws -> TrainingResult {
    try hp.validate(hasValidationRows: validation != nil)
    let p = training.features.columns, k = classNames.count
    guard p >= 1 else { throw TrainingError.invalidData("training set has no feature columns") }
    guard k >= 1 else { throw TrainingError.invalidData("classNames is empty") }
    guard featureNames.isEmpty || featureNames.count == p else {
        throw TrainingError.invalidData("\(featureNames.count) feature names for \(p) features")
    }
    try check(training, "training", features: p, classes: k)
    if let validation { try check(validation, "validation", features: p, classes: k) }

    let n = training.features.rows
    let nVal = validation?.features.rows ?? 0
    let scaler = FeatureScaler.fit(hp.scaling, on: training.features)
    let sizes = [p] + hp.hiddenLayers + [k]
    let batch = min(hp.batchSize, n)
    let net = Network(sizes: sizes, activation: hp.activation, loss: hp.loss, capacity: max(n, nVal))
    if hp.classWeight != .none { net.classWeights = hp.classWeight.weights(labels: training.labels, classes: k) }
    var rng = Xoshiro256StarStar(seed: seed)
    net.initialize(hp.initialization, rng: &rng)
    let optimizer = Optimizer(kind: hp.optimizer, learningRate: hp.learningRate, momentum: hp.momentum,
                              count: net.parameterCount)

    let xTrain = buffer(scaler.transform(training.features).values)
    let yTrain = buffer(training.labels)
    let xVal = validation.map { buffer(scaler.transform($0.features).values) }
    let yVal = validation.map { buffer($0.labels) }
    let xBatch = UnsafeMutablePointer<Double>.allocate(capacity: batch * p)
    let yBatch = UnsafeMutablePointer<Int>.allocate(capacity: batch)
    let bestParams = UnsafeMutablePointer<Double>.allocate(capacity: net.parameterCount)
    defer {
        xTrain.deallocate(); yTrain.deallocate()
        xVal?.deallocate(); yVal?.deallocate()
        xBatch.deallocate(); yBatch.deallocate()
        bestParams.deallocate()
    }
    bestParams.initialize(from: net.params, count: net.parameterCount)

    // Divergence bound: a training loss this far above both the loss at the initial weights
    // and the loss of uniform guessing means the run has blown up even while every number is
    // still finite (as with a huge learning rate on a bounded-gradient softmax output). A
    // resumed run takes its bound from the checkpoint, so it skips this forward pass.
    var divergenceBound = 0.0
    if checkpoint == nil {
        net.forward(input: xTrain, rows: n)
        let initialLoss = net.lossSum(labels: yTrain, rows: n).0 / Double(n)
        let chanceLoss = hp.loss == .crossEntropy ? log(Double(k)) : 0.125 * Double(k)
        divergenceBound = divergenceFactor * max(initialLoss, chanceLoss)
    }

    var order = Array(0..<n)
    var history: [EpochMetrics] = []
    history.reserveCapacity(min(hp.epochs, 100_000))
    var bestLoss = Double.infinity
    var bestEpoch = 0
    var stoppedEarly = false
    var firstEpoch = 1, elapsedBefore = 0.0
    if let checkpoint {  // continue the run where the checkpoint ended (Checkpoint.swift)
        try checkpoint.restore(epochs: hp.epochs, sizes: sizes, activation: hp.activation, loss: hp.loss,
                               scaler: scaler, net: net, optimizer: optimizer, rng: &rng, bestParams: bestParams,
                               order: &order)
        let s = checkpoint.state
        (firstEpoch, bestLoss, bestEpoch, divergenceBound, elapsedBefore) =
            (s.epoch + 1, s.bestLoss, s.bestEpoch, s.divergenceBound, s.elapsedSeconds)
    }
    let clock = ContinuousClock()
    let start = clock.now

    for epoch in firstEpoch...hp.epochs {
        rng.shuffle(&order, by: .multiplyShift)
        var first = 0
        while first < n {
            let rows = min(batch, n - first)
            for r in 0..<rows {
                let src = order[first + r]
                (xBatch + r * p).update(from: xTrain + src * p, count: p)
                yBatch[r] = yTrain[src]
            }
            net.forward(input: xBatch, rows: rows)
            net.backward(input: xBatch, labels: yBatch, rows: rows)
            net.addWeightDecay(hp.weightDecay)
            optimizer.step(params: net.params, grads: net.grads)
            first += rows
        }

        net.forward(input: xTrain, rows: n)
        let (trainSum, trainCorrect) = net.lossSum(labels: yTrain, rows: n)
        let trainLoss = trainSum / Double(n)
        var valLoss: Double? = nil, valAccuracy: Double? = nil
        if let xVal, let yVal {
            net.forward(input: xVal, rows: nVal)
            let (s, c) = net.lossSum(labels: yVal, rows: nVal)
            valLoss = s / Double(nVal)
            valAccuracy = Double(c) / Double(nVal)
        }
        guard trainLoss.isFinite, trainLoss <= divergenceBound, valLoss?.isFinite ?? true, net.parametersAreFinite() else {
            throw TrainingError.diverged(epoch: epoch)
        }
        let elapsed = clock.now - start
        let seconds = elapsedBefore + Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let metrics = EpochMetrics(epoch: epoch, trainLoss: trainLoss, trainAccuracy: Double(trainCorrect) / Double(n),
                                   validationLoss: valLoss, validationAccuracy: valAccuracy,
                                   learningRate: hp.learningRate, elapsedSeconds: seconds)
        history.append(metrics)
        onEpoch?(metrics)

        let monitored = valLoss ?? trainLoss
        if monitored < bestLoss {
            bestLoss = monitored
            bestEpoch = epoch
            bestParams.update(from: net.params, count: net.parameterCount)
        } else if hp.earlyStoppingPatience > 0 && epoch - bestEpoch >= hp.earlyStoppingPatience {
            stoppedEarly = true
            break
        }
    }

    func model(_ source: UnsafePointer<Double>) -> Model {
        let (w, b) = net.exportParameters(from: source)
        return Model(layerSizes: sizes, activation: hp.activation, loss: hp.loss, weights: w, biases: b,
                     scaler: scaler, classNames: classNames, featureNames: featureNames)
    }
    let best = model(bestParams)
    let final = stoppedEarly ? best : model(net.params)
    let saved = optimizer.saved
    let state = TrainingState(epoch: history.last?.epoch ?? firstEpoch - 1, optimizerSteps: saved.steps,
                              optimizerFirstMoment: saved.first, optimizerSecondMoment: saved.second,
                              generatorState: rng.state, rowOrder: order, bestEpoch: bestEpoch, bestLoss: bestLoss,
                              divergenceBound: divergenceBound,
                              elapsedSeconds: history.last?.elapsedSeconds ?? elapsedBefore)
    return TrainingResult(model: final, bestModel: best, bestEpoch: bestEpoch, history: history,
                          stoppedEarly: stoppedEarly, state: state)
}
