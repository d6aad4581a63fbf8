import ArgumentParser
import Foundation
import NeuralNet
import Tracker

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a sweep's runs as CSV or JSON, ready for pandas.",
        discussion: """
            One row per run: its identity, every hyperparameter as param_NAME (as scikit-learn's cv_results_ \
            names them) and its summary metrics. --wide gives one row per configuration in ranking order, with \
            each run's validation accuracy as split0_validation_accuracy, split1_..., then mean_, std_ and \
            rank_validation_accuracy. --epochs gives one row per run and epoch. In CSV, numbers stay numbers and \
            text cells never start a spreadsheet formula.

            Example:
              exp export --sweep iris --format csv > iris.csv
              python3 -c "import pandas as pd; print(pd.read_csv('iris.csv').groupby('param_learning_rate').validation_accuracy.mean())"
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "The sweep's name.") var sweep: String
    @Option(name: .long, help: "csv or json (one array).") var format: String = "csv"
    @Flag(name: .long, help: "One row per configuration, its runs side by side (split0_..., mean_, std_, rank_).") var wide = false
    @Flag(name: .long, help: "One row per run and epoch: the per-epoch metrics.") var epochs = false

    static let runColumns = ["run_id", "sweep", "dataset", "config_sha256", "seed", "repeat", "outer_fold", "fold", "phase", "status"]
    static let metricColumns = ["validation_accuracy", "validation_loss", "test_accuracy", "train_accuracy", "best_epoch",
                                "epochs_run", "duration_seconds"]

    func validate() throws {
        if !["csv", "json"].contains(format) { throw ValidationError("--format must be csv or json") }
        if wide && epochs { throw ValidationError("--wide and --epochs cannot go together") }
    }

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        guard let record = try store.sweep(named: sweep), let sweepID = record.id else {
            let names = try store.sweepNames()
            throw ExpError.rejected("no sweep '\(sweep)' in \(database.db)" + (names.isEmpty ? "" : "; sweeps: \(names.joined(separator: ", "))"))
        }
        let records = epochs ? try epochRecords(store) : wide ? try wideRecords(store, sweepID: sweepID) : try runRecords(store)
        if format == "json" { records.print(lines: false) } else { records.printCSV() }
    }

    func runRecords(_ store: RunStore) throws -> RunRecords {
        let fields = try (Self.runColumns + HyperparameterSchema.current.names + Self.metricColumns).map { try RunField($0, option: "export") }
        let runs = try store.runSummaries(RunSelection(sweep: sweep))
        return RunRecords(names: fields.map(\.exportName), rows: RunField.rows(runs, fields))
    }

    func wideRecords(_ store: RunStore, sweepID: Int64) throws -> RunRecords {
        let hyperparameters = try HyperparameterSchema.current.names.map { try RunField($0, option: "export") }
        let runs = try store.runSummaries(RunSelection(
            sweep: sweep, conditions: [.init(field: .column("phase"), comparison: .equal, value: .text("search"))]))
        let byConfiguration = Dictionary(grouping: runs, by: \.configSHA256)
        let entries = try store.leaderboard(sweepID: sweepID)
        let splits = byConfiguration.values.map(\.count).max() ?? 0
        let names = ["config_sha256"] + hyperparameters.map(\.exportName) + (0..<splits).map { "split\($0)_validation_accuracy" }
            + ["mean_validation_accuracy", "std_validation_accuracy", "rank_validation_accuracy", "mean_validation_loss",
               "mean_test_accuracy", "finished_runs", "diverged_runs", "failed_runs"]
        let rows = entries.enumerated().compactMap { rank, entry -> [RunCell]? in
            guard let runs = byConfiguration[entry.configSHA256], let first = runs.first else { return nil }
            let parameters = RunField.rows([first], hyperparameters)[0]
            let splitCells = (0..<splits).map { i in i < runs.count ? RunCell.of(runs[i].validationAccuracy) : .missing }
            return [.text(entry.configSHA256)] + parameters + splitCells
                + [.of(entry.validationAccuracyMean), .of(entry.validationAccuracyStd), .integer(rank + 1), .of(entry.validationLossMean),
                   .of(entry.testAccuracyMean), .integer(entry.finishedRuns), .integer(entry.divergedRuns), .integer(entry.failedRuns)]
        }
        return RunRecords(names: names, rows: rows)
    }

    func epochRecords(_ store: RunStore) throws -> RunRecords {
        let names = ["run_id", "epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy", "learning_rate",
                     "elapsed_seconds"]
        let rows = try store.epochs(sweep: sweep).map { runID, e -> [RunCell] in
            [.integer(Int(runID)), .integer(e.epoch), .of(e.trainLoss), .of(e.trainAccuracy), .of(e.validationLoss),
             .of(e.validationAccuracy), .of(e.learningRate), .of(e.elapsedSeconds)]
        }
        return RunRecords(names: names, rows: rows)
    }
}

extension RunField {
    /// The column's name in an export: hyperparameters as `param_NAME`, as in scikit-learn's `cv_results_`.
    var exportName: String { if case .hyperparameter = self { return "param_" + name } else { return name } }
}
