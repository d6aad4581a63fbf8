import Foundation

/// A sweep with its data set's description (not its content), as a report heads it.
public struct SweepOverview: Sendable, Equatable {
    /// `sweeps.sweep_id`.
    public var sweepID: Int64
    /// The sweep's name.
    public var name: String
    /// The evaluation protocol as stored (JSON object text).
    public var protocolJSON: String
    /// When the sweep was created, UTC ISO 8601.
    public var createdAt: String?
    /// `datasets.dataset_id`.
    public var datasetID: Int64
    /// The data set's name.
    public var datasetName: String
    /// The data set's version (1, 2, ...).
    public var datasetVersion: Int
    /// Data rows.
    public var rowCount: Int
    /// Feature columns.
    public var featureCount: Int
    /// Classes.
    public var classCount: Int
    /// The feature columns' names, in order.
    public var featureNames: [String]
    /// Label i is `classNames[i]`.
    public var classNames: [String]
    /// The distinct numbers of test rows over the splits the sweep's runs use, ascending.
    public var testRowCounts: [Int]
    /// The sweep's own benchmark, from its grid (nil: none).
    public var benchmark: Benchmark? = nil
}

/// One hyperparameter of one configuration (from one of its runs' `params` rows).
public struct ConfigurationParam: Sendable, Equatable {
    /// The configuration's hash.
    public var configSHA256: String
    /// The hyperparameter's name.
    public var name: String
    /// Its value as text (`params.value_text`).
    public var text: String
    /// Its value as a number, when it is one (`params.value_real`).
    public var number: Double?
}

/// Mean, minimum and maximum of one metric at one epoch over a configuration's finished runs.
public struct MetricBand: Sendable, Equatable {
    /// The mean.
    public var mean: Double
    /// The minimum.
    public var min: Double
    /// The maximum.
    public var max: Double
}

/// One epoch of a configuration's learning curves over its finished runs.
public struct LearningCurvePoint: Sendable, Equatable {
    /// The configuration's hash.
    public var configSHA256: String
    /// The epoch (1-based).
    public var epoch: Int
    /// Finished runs with a row for this epoch.
    public var runs: Int
    /// Training loss (mean cost per row).
    public var trainLoss: MetricBand?
    /// Validation loss (mean cost per row).
    public var validationLoss: MetricBand?
    /// Training accuracy, fractions.
    public var trainAccuracy: MetricBand?
    /// Validation accuracy, fractions.
    public var validationAccuracy: MetricBand?
}

/// A finished search run, as far as the learning curves of its configuration are concerned.
public struct CurveRun: Sendable, Equatable, Hashable {
    /// The configuration's hash.
    public var configSHA256: String
    /// `runs.run_id`.
    public var runID: Int64
    /// The claims of the run so far: a finished run's epoch rows are written only under a claim,
    /// and each claim adds one (``RunRevision``; `exp merge` never replaces a finished run), so
    /// the same run id and attempt have the same rows.
    public var attempt: Int
    /// Epochs trained (`epochs_run`; 0 when not stored).
    public var epochs: Int
}

/// How many finished runs with one value of a hyperparameter reached one validation accuracy.
public struct AccuracyCount: Sendable, Equatable {
    /// The hyperparameter's name.
    public var name: String
    /// Its value as text.
    public var text: String
    /// Its value as a number, when it is one.
    public var number: Double?
    /// Final validation accuracy rounded to three decimals (a tenth of a percentage point).
    public var accuracy: Double
    /// Finished runs with this value and accuracy.
    public var runs: Int
}

extension RunStore {
    /// The sweep called `name` and its data set.
    /// - Returns: nil when no sweep has this name.
    /// - Throws: ``SQLiteError``.
    public func sweepOverview(named name: String) throws -> SweepOverview? {
        guard var overview = try connection.query("""
            SELECT s.sweep_id, s.name, s.protocol, s.created_at, d.dataset_id, d.name AS dataset_name,
                   d.version, d.row_count, d.feature_count, d.class_count, d.feature_names, d.class_names,
                   s.benchmark_test_accuracy, s.benchmark_source
            FROM sweeps s JOIN datasets d ON d.dataset_id = s.dataset_id WHERE s.name = ?
            """, [.text(name)], { s in
            var overview = SweepOverview(
                sweepID: try s.required(s.id, "sweep_id"), name: try s.required(s.string, "name"),
                protocolJSON: try s.required(s.string, "protocol"), createdAt: try s.string("created_at"),
                datasetID: try s.required(s.id, "dataset_id"), datasetName: try s.required(s.string, "dataset_name"),
                datasetVersion: try s.required(s.int, "version"), rowCount: try s.required(s.int, "row_count"),
                featureCount: try s.required(s.int, "feature_count"), classCount: try s.required(s.int, "class_count"),
                featureNames: try decodeJSON([String].self, try s.string("feature_names")),
                classNames: try decodeJSON([String].self, try s.string("class_names")), testRowCounts: [])
            overview.benchmark = try Benchmark.read(s)
            return overview
        }).first else { return nil }
        overview.testRowCounts = try connection.query("""
            SELECT DISTINCT json_array_length(test_rows) AS test_rows FROM splits
            WHERE split_id IN (SELECT DISTINCT split_id FROM runs WHERE sweep_id = ? AND phase = 'search') ORDER BY 1
            """, [.integer(overview.sweepID)]) { s in try s.int("test_rows") ?? 0 }
        return overview
    }

    /// Every configuration's hyperparameters, read from its first run.
    /// - Throws: ``SQLiteError``.
    public func configurationParams(sweepID: Int64) throws -> [ConfigurationParam] {
        try connection.query("""
            SELECT r.config_sha256, p.name, p.value_text, p.value_real FROM runs r JOIN params p ON p.run_id = r.run_id
            WHERE r.run_id IN (SELECT MIN(run_id) FROM runs WHERE sweep_id = ? GROUP BY config_sha256)
            """, [.integer(sweepID)]) { s in
            ConfigurationParam(configSHA256: try s.required(s.string, "config_sha256"), name: try s.required(s.string, "name"),
                               text: try s.required(s.string, "value_text"), number: try s.double("value_real"))
        }
    }

    /// The finished search runs of the given configurations, by configuration hash then run id:
    /// what their learning curves (``learningCurves(sweepID:configurations:step:)``) are made of.
    /// - Throws: ``SQLiteError``.
    public func curveRuns(sweepID: Int64, configurations: [String]) throws -> [CurveRun] {
        guard !configurations.isEmpty else { return [] }
        return try connection.query("""
            SELECT config_sha256, run_id, attempt, epochs_run FROM runs
            WHERE sweep_id = ? AND status = 'finished' AND phase = 'search'
              AND config_sha256 IN (\(configurations.map { _ in "?" }.joined(separator: ", ")))
            ORDER BY config_sha256, run_id
            """, [.integer(sweepID)] + configurations.map { .text($0) }) { s in
            CurveRun(configSHA256: try s.required(s.string, "config_sha256"), runID: try s.required(s.id, "run_id"),
                     attempt: try s.required(s.int, "attempt"), epochs: try s.int("epochs_run") ?? 0)
        }
    }

    /// The epoch step of learning curves of at most about `maxPoints` points whose longest run
    /// trained `longest` epochs: `ceil(longest / maxPoints)`, at least 1.
    public static func curveStep(longest: Int, maxPoints: Int) -> Int {
        max(1, Int((Double(longest) / Double(max(maxPoints, 1))).rounded(.up)))
    }

    /// Learning curves of the given configurations over their finished search runs, grouped by epoch
    /// in SQL: every `step`-th epoch from the first, and each run's last.
    /// - Returns: points ordered by configuration hash, then epoch.
    /// - Throws: ``SQLiteError``.
    public func learningCurves(sweepID: Int64, configurations: [String], step: Int) throws -> [LearningCurvePoint] {
        guard !configurations.isEmpty else { return [] }
        let placeholders = configurations.map { _ in "?" }.joined(separator: ", ")
        let bindings: [SQLValue] = [.integer(sweepID)] + configurations.map { .text($0) }
        let step = max(1, step)
        func band(_ s: Statement, _ metric: String) throws -> MetricBand? {
            guard let mean = try s.double("\(metric)_mean"), let low = try s.double("\(metric)_min"),
                  let high = try s.double("\(metric)_max") else { return nil }
            return MetricBand(mean: mean, min: low, max: high)
        }
        return try connection.query("""
            SELECT r.config_sha256, m.epoch, COUNT(*) AS runs,
                   AVG(m.train_loss) AS train_loss_mean, MIN(m.train_loss) AS train_loss_min,
                   MAX(m.train_loss) AS train_loss_max,
                   AVG(m.validation_loss) AS validation_loss_mean, MIN(m.validation_loss) AS validation_loss_min,
                   MAX(m.validation_loss) AS validation_loss_max,
                   AVG(m.train_accuracy) AS train_accuracy_mean, MIN(m.train_accuracy) AS train_accuracy_min,
                   MAX(m.train_accuracy) AS train_accuracy_max,
                   AVG(m.validation_accuracy) AS validation_accuracy_mean, MIN(m.validation_accuracy) AS validation_accuracy_min,
                   MAX(m.validation_accuracy) AS validation_accuracy_max
            FROM runs r JOIN epoch_metrics m ON m.run_id = r.run_id
            WHERE r.sweep_id = ? AND r.status = 'finished' AND r.phase = 'search' AND r.config_sha256 IN (\(placeholders))
              AND ((m.epoch - 1) % \(step) = 0 OR m.epoch = r.epochs_run)
            GROUP BY r.config_sha256, m.epoch
            ORDER BY r.config_sha256, m.epoch
            """, bindings) { s in
            LearningCurvePoint(
                configSHA256: try s.required(s.string, "config_sha256"), epoch: try s.required(s.int, "epoch"),
                runs: try s.required(s.int, "runs"), trainLoss: try band(s, "train_loss"),
                validationLoss: try band(s, "validation_loss"), trainAccuracy: try band(s, "train_accuracy"),
                validationAccuracy: try band(s, "validation_accuracy"))
        }
    }

    /// Finished search runs counted per hyperparameter value and final validation accuracy (rounded
    /// to three decimals), ordered by name, value text and accuracy.
    ///
    /// Runs are counted per configuration and accuracy first, then joined with the hyperparameters
    /// of one run of each configuration (a run's `params` follow from its configuration, as in
    /// ``configurationParams(sweepID:)``): the same counts as joining every run's `params`, with a
    /// sixteenth of the rows to group in a sweep of 16 seeds.
    /// - Throws: ``SQLiteError``.
    public func accuracyCounts(sweepID: Int64) throws -> [AccuracyCount] {
        try connection.query("""
            WITH counted AS (
                SELECT MIN(run_id) AS run_id, ROUND(final_validation_accuracy, 3) AS accuracy, COUNT(*) AS runs
                FROM runs
                WHERE sweep_id = ? AND status = 'finished' AND phase = 'search' AND final_validation_accuracy IS NOT NULL
                GROUP BY config_sha256, accuracy
            )
            SELECT p.name, p.value_text, MIN(p.value_real) AS value_real, c.accuracy, SUM(c.runs) AS runs
            FROM counted c JOIN params p ON p.run_id = c.run_id
            GROUP BY p.name, p.value_text, c.accuracy
            ORDER BY p.name, p.value_text, c.accuracy
            """, [.integer(sweepID)]) { s in
            AccuracyCount(name: try s.required(s.string, "name"), text: try s.required(s.string, "value_text"),
                          number: try s.double("value_real"), accuracy: try s.required(s.double, "accuracy"),
                          runs: try s.required(s.int, "runs"))
        }
    }

    /// The test confusion matrices (`[true class][predicted class]` counts) of a configuration's
    /// finished search runs, one per run that stored one.
    /// - Throws: ``SQLiteError``; a `DecodingError` for a stored matrix that is not JSON of integers.
    public func testConfusions(sweepID: Int64, configSHA256: String) throws -> [[[Int]]] {
        try connection.query("""
            SELECT test_confusion FROM runs
            WHERE sweep_id = ? AND config_sha256 = ? AND status = 'finished' AND phase = 'search' AND test_confusion IS NOT NULL
            """, [.integer(sweepID), .text(configSHA256)]) { s in
            try decodeJSON([[Int]].self, try s.string("test_confusion"))
        }
    }

    /// One run's test confusion matrix (`[true class][predicted class]` counts) with its data
    /// set's class names (label i is `classNames[i]`).
    /// - Returns: nil when there is no run `runID`; `counts` is nil when the run stored none
    ///   (not finished, or no test rows).
    /// - Throws: ``SQLiteError``; a `DecodingError` for a stored matrix that is not JSON of integers.
    public func testConfusion(runID: Int64) throws -> (classNames: [String], counts: [[Int]]?)? {
        try connection.query("""
            SELECT r.test_confusion, d.class_names FROM runs r JOIN datasets d ON d.dataset_id = r.dataset_id
            WHERE r.run_id = ?
            """, [.integer(runID)]) { s in
            let matrix = try s.string("test_confusion")
            return (classNames: try decodeJSON([String].self, try s.string("class_names")),
                    counts: try matrix.map { try decodeJSON([[Int]].self, $0) })
        }.first
    }
}
