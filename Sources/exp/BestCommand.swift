import ArgumentParser
import Foundation
import Tracker

struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best", abstract: "Print the best run of a sweep: the best run of its best configuration.",
        discussion: """
            The configuration is ranked by the shared rule (README: mean validation accuracy over finished runs, \
            then its standard deviation, validation loss, config_sha256); of its finished runs, the one with the \
            highest validation accuracy (then the lowest validation loss, then the oldest) is printed. A sweep \
            without a finished run is an error (exit 2).

            Examples:
              exp best --sweep iris --json
              exp predict --run $(exp best --sweep iris) new-flowers.csv
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "The sweep's name.") var sweep: String
    @Flag(name: .long, help: "Print one JSON object: the run, its configuration, its metrics and the configuration's.") var json = false

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        let best = try BestModel(store: store, sweep: sweep, database: database.db)
        guard json else {
            print(best.bestRun.runID)
            return
        }
        let run = best.bestRun, entry = best.configuration
        let record: [String: JSONValue] = [
            "sweep": .text(best.sweep), "run_id": .integer(Int(run.runID)), "seed": .integer(run.seed), "fold": .integer(run.fold),
            "config_sha256": .text(entry.configSHA256),
            "config": try JSONDecoder().decode(JSONValue.self, from: Data(run.config.utf8)),
            "validation_accuracy": .of(run.validationAccuracy), "validation_loss": .of(run.validationLoss),
            "test_accuracy": .of(run.testAccuracy),
            "configuration": .object([
                "finished_runs": .integer(entry.finishedRuns), "run_ids": .array(best.runs.map { .integer(Int($0.runID)) }),
                "validation_accuracy_mean": .of(entry.validationAccuracyMean),
                "validation_accuracy_std": .of(entry.validationAccuracyStd),
                "validation_loss_mean": .of(entry.validationLossMean), "test_accuracy_mean": .of(entry.testAccuracyMean),
            ]),
        ]
        try printEncoded(record)
    }
}
