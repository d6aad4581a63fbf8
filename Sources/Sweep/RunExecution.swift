import Datasets
import Foundation
import NeuralNet
import Scoring
import Tracker

/// The rows a run trains, validates and tests on, as matrices.
struct RunData {
    var training: LabeledData
    /// Rows training watches for early stopping instead of the validation rows; nil: the
    /// validation rows.
    var earlyStopping: LabeledData?
    /// Nil for a split without validation rows (a refit).
    var validation: LabeledData?
    var test: LabeledData?

    init(dataset: Dataset, split: SplitRows) {
        training = dataset.labeled(split.train)
        earlyStopping = split.earlyStopping.isEmpty ? nil : dataset.labeled(split.earlyStopping)
        validation = split.validation.isEmpty ? nil : dataset.labeled(split.validation)
        test = split.test.isEmpty ? nil : dataset.labeled(split.test)
    }
}

/// What a run of a halving search trains: to `epochs`, continuing from `checkpoint` when it
/// was promoted.
struct RungWork {
    var epochs: Int
    var checkpoint: StoredCheckpoint?
}

/// Trains one claimed run and describes its outcome for the store. Never throws: divergence
/// and errors become the run's status. A run of a halving search (`rung`) trains to the rung's
/// budget instead of its configuration's `epochs`, continues from its stored checkpoint, and
/// stores its own checkpoint.
/// - Parameter flushEpochs: given the epoch rows trained since its last call, at most about once
///   a second while the run trains (the live view's growing curves); never for a run under a second.
func execute(_ claim: ClaimedRun, dataset: Dataset, data: RunData, toolVersion: String, rung: RungWork? = nil,
             flushEpochs: (([EpochRow]) -> Void)? = nil) -> RunResult {
    let started = Date()
    var epochs: [EpochRow] = []
    var flushed = 0, lastFlush = started
    func finish(_ status: RunStatus) -> RunResult {
        var result = RunResult(status: status, startedAt: started, endedAt: Date())
        result.epochs = epochs
        result.continuedFromEpoch = rung?.checkpoint?.epoch
        result.toolVersion = toolVersion
        result.gitCommit = buildCommit
        if let last = epochs.last {
            result.finalTrainLoss = last.trainLoss
            result.finalTrainAccuracy = last.trainAccuracy
        }
        return result
    }
    do {
        var hp = try hyperparameters(fromConfig: claim.config)
        if let rung { hp.epochs = rung.epochs }
        let checkpoint = try rung?.checkpoint.map { stored in
            TrainingCheckpoint(model: try Model(safetensors: stored.finalWeights), bestModel: try Model(safetensors: stored.bestWeights),
                               state: try TrainingState(serialized: stored.state))
        }
        // Epoch metrics, the best epoch and early stopping watch the early-stopping rows when the
        // split has them; the validation rows are then only scored, by the final model.
        let outcome = try train(hp, on: data.training, validation: data.earlyStopping ?? data.validation, classNames: dataset.classNames,
                                featureNames: dataset.featureNames, seed: UInt64(claim.seed), resumingFrom: checkpoint) { metrics in
            epochs.append(EpochRow(epoch: metrics.epoch, trainLoss: metrics.trainLoss, trainAccuracy: metrics.trainAccuracy,
                                   validationLoss: metrics.validationLoss, validationAccuracy: metrics.validationAccuracy,
                                   learningRate: metrics.learningRate, elapsedSeconds: metrics.elapsedSeconds))
            if let flushEpochs, epochs.count % 16 == 0, Date().timeIntervalSince(lastFlush) >= 1 {
                flushEpochs(Array(epochs[flushed...]))
                (flushed, lastFlush) = (epochs.count, Date())
            }
        }
        var result = finish(.finished)
        let model = outcome.model
        result.finalValidationAccuracy = data.validation.map(model.evaluate)
        result.validationMetrics = data.validation.map { storedFigures(model.metrics($0)) } ?? [:]
        if data.earlyStopping != nil {
            result.finalValidationLoss = data.validation.map(model.loss)
        } else {
            result.finalValidationLoss = outcome.stoppedEarly
                ? outcome.history.first { $0.epoch == outcome.bestEpoch }?.validationLoss
                : outcome.history.last?.validationLoss
        }
        result.bestEpoch = outcome.bestEpoch
        let best = outcome.history.first { $0.epoch == outcome.bestEpoch }
        result.bestValidationLoss = best?.validationLoss
        result.bestValidationAccuracy = best?.validationAccuracy
        if let test = data.test {
            let confusion = model.confusionMatrix(test)
            result.testConfusion = confusion
            result.testLoss = model.loss(test)
            result.testAccuracy = Double(confusion.indices.map { confusion[$0][$0] }.reduce(0, +)) / Double(test.labels.count)
            result.testMetrics = storedFigures(ClassificationMetrics(
                confusion: confusion, logLoss: ClassificationMetrics.logLoss(probabilities: model.probabilities(test.features), labels: test.labels)))
        }
        result.weights = [("final", model.safetensors()), ("best", outcome.bestModel.safetensors())]
        if rung != nil { result.checkpoint = outcome.checkpoint?.state.serialized() }
        return result
    } catch TrainingError.diverged(let epoch) {
        var result = finish(.diverged)
        result.divergedEpoch = epoch
        result.error = "\(TrainingError.diverged(epoch: epoch))"
        return result
    } catch {
        var result = finish(.failed)
        result.error = "\(error)"
        return result
    }
}

/// The figures of `metrics` stored beside accuracy (``RankingMetric/added``), by metric; one
/// that does not exist (no rows) is left out and stored as NULL.
func storedFigures(_ metrics: ClassificationMetrics) -> [RankingMetric: Double] {
    var figures: [RankingMetric: Double] = [:]
    for metric in RankingMetric.added {
        switch metric {
        case .balancedAccuracy: figures[metric] = metrics.balancedAccuracy
        case .macroF1: figures[metric] = metrics.macroF1
        case .logLoss: figures[metric] = metrics.logLoss
        case .accuracy: figures[metric] = metrics.accuracy
        }
    }
    return figures
}
