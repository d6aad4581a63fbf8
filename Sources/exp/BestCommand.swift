import ArgumentParser
import Foundation
import Tracker

struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best", abstract: "Print the best run of a sweep: the best run of its best configuration.",
        discussion: """
            The configuration is ranked by the shared rule (README: the mean of the validation metric over finished \
            runs, accuracy unless --metric names another, then its standard deviation, validation loss, config_sha256); \
            of its finished runs, the one with the best value of the metric (then the lowest validation loss, then the \
            oldest) is printed. A sweep without a finished run is an error (exit 2), and so is a sweep whose runs were \
            all stored before exp stored the chosen metric.

            Examples:
              exp best --sweep iris --json
              exp best --sweep wine --metric balanced_accuracy
              exp predict --run $(exp best --sweep iris) new-flowers.csv
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "The sweep's name.") var sweep: String
    @Option(name: .long, help: RankingMetric.optionHelp) var metric: RankingMetric = .accuracy
    @Flag(name: .long, help: "Print one JSON object: the run, its configuration, its metrics and the configuration's.") var json = false

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        let best = try BestModel(store: store, sweep: sweep, database: database.db, metric: metric)
        guard json else {
            print(best.bestRun.runID)
            return
        }
        let run = best.bestRun, entry = best.configuration
        var configuration: [String: JSONValue] = [
            "finished_runs": .integer(entry.finishedRuns), "run_ids": .array(best.runs.map { .integer(Int($0.runID)) }),
            "validation_accuracy_mean": .of(entry.validationAccuracyMean),
            "validation_accuracy_std": .of(entry.validationAccuracyStd),
            "validation_loss_mean": .of(entry.validationLossMean), "test_accuracy_mean": .of(entry.testAccuracyMean),
        ]
        var record: [String: JSONValue] = [
            "sweep": .text(best.sweep), "run_id": .integer(Int(run.runID)), "seed": .integer(run.seed), "fold": .integer(run.fold),
            "config_sha256": .text(entry.configSHA256),
            "config": try JSONDecoder().decode(JSONValue.self, from: Data(run.config.utf8)),
            "validation_accuracy": .of(run.validationAccuracy), "validation_loss": .of(run.validationLoss),
            "test_accuracy": .of(run.testAccuracy), "ranked_by": .text(best.metric.rawValue),
        ]
        for metric in RankingMetric.added {
            record[metric.validationColumn] = .of(run.validationMetrics[metric])
            record[metric.testColumn] = .of(run.testMetrics[metric])
            configuration[metric.validationColumn + "_mean"] = .of(entry.validationMetrics[metric]?.mean)
            configuration[metric.validationColumn + "_std"] = .of(entry.validationMetrics[metric]?.std)
            configuration[metric.testColumn + "_mean"] = .of(entry.testMetricMeans[metric])
        }
        record["configuration"] = .object(configuration)
        try printEncoded(record)
    }
}
