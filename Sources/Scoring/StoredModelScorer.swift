import Datasets
import Foundation
import NeuralNet
import Tracker

/// Which rows of each run's split to score.
public enum ScoredRows: String, Sendable {
    case validation, test
}

/// Scores the stored `final` models of a sweep's runs again on the rows of their own splits,
/// from `runs.db` alone (the data set's stored content, the split's row indices and the run's
/// safetensors weights), and combines them per configuration into ``RowEnsemble``s.
///
/// Nothing is trained and nothing is written: a stored model predicts exactly what it predicted
/// when its run recorded its accuracy, so a one-model ensemble reproduces the run's accuracy.
public struct StoredModelScorer {
    let store: RunStore
    /// Where a model's probabilities on rows it was scored on before are found again; nil: none kept.
    let cache: ScoreCache?
    private var datasets: [Int64: Dataset] = [:]
    private var splits: [Int64: SplitRows] = [:]

    public init(store: RunStore, cache: ScoreCache? = nil) {
        self.store = store
        self.cache = cache
    }

    /// One ensemble per configuration hash in `configSHA256s` that has finished runs in the
    /// sweep, on each run's `rows` (validation or test rows of its split).
    ///
    /// - Throws: ``SQLiteError``, ``TrackerError`` for missing weights or splits,
    ///   `SafetensorsError` for unreadable weights, ``DataImportError`` for unreadable content.
    public mutating func ensembles(sweepID: Int64, configSHA256s: [String], rows: ScoredRows) throws -> [String: RowEnsemble] {
        var result: [String: RowEnsemble] = [:]
        for run in try store.scorableRuns(sweepID: sweepID, configSHA256s: configSHA256s) {
            let split = try self.split(run.splitID)
            let indices = rows == .test ? split.test : split.validation
            guard !indices.isEmpty else { continue }
            var ensemble = result[run.configSHA256] ?? RowEnsemble()
            if try score(run, on: indices, into: &ensemble) { result[run.configSHA256] = ensemble }
        }
        return result
    }

    /// The reference classifier, linear discriminant analysis (``LinearDiscriminant``), fitted on
    /// the training rows of every split the sweep's finished runs trained on and scored on the
    /// same `rows` of that split as the runs: its comparison with any configuration is paired.
    /// Nil when the sweep has no finished run or no such rows.
    ///
    /// - Throws: ``SQLiteError``, ``TrackerError``, ``DataImportError``, or
    ///   `TrainingError.invalidData` when a split cannot be fitted.
    public mutating func referenceEnsemble(sweepID: Int64, rows: ScoredRows) throws -> RowEnsemble? {
        var ensemble = RowEnsemble()
        for (splitID, datasetID) in try store.scoredSplits(sweepID: sweepID) {
            let dataset = try self.dataset(datasetID)
            let split = try self.split(splitID)
            let indices = rows == .test ? split.test : split.validation
            guard !indices.isEmpty else { continue }
            try Self.scoreReference(dataset, trainedOn: split.train, on: indices, into: &ensemble)
        }
        return ensemble.rowCount > 0 ? ensemble : nil
    }

    /// Fits ``LinearDiscriminant`` on rows `training` of `dataset` and adds its probabilities on
    /// rows `indices` to `ensemble`.
    /// - Throws: `TrainingError.invalidData` when the rows cannot be fitted.
    static func scoreReference(_ dataset: Dataset, trainedOn training: [Int], on indices: [Int],
                               into ensemble: inout RowEnsemble) throws {
        let model = try LinearDiscriminant(fitting: dataset.labeled(training), classes: dataset.classNames.count)
        let scored = dataset.labeled(indices)
        let probabilities = model.probabilities(scored.features)
        ensemble.add(indices: indices, labels: scored.labels, probabilities: probabilities.values, classes: probabilities.columns)
    }

    mutating func dataset(_ id: Int64) throws -> Dataset {
        if let cached = datasets[id] { return cached }
        guard let record = try store.dataset(id: id) else { throw TrackerError.notFound("data set \(id)") }
        let dataset = try Dataset.fromCanonicalCSV(name: record.name, text: record.content, classNames: record.classNames)
        datasets[id] = dataset
        return dataset
    }

    mutating func split(_ id: Int64) throws -> SplitRows {
        if let cached = splits[id] { return cached }
        let split = try store.split(id: id)
        splits[id] = split
        return split
    }
}
