import Datasets
import Foundation
@testable import Sweep
import Tracker
import TestSupport

/// A fixture file of this test target.
func fixture(_ path: String) -> URL {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(path)
}

/// The problems a grid file is rejected with, or [] when it is accepted.
func gridProblems(_ url: URL) -> [String] {
    do {
        _ = try GridFile.load(url)
        return []
    } catch let error as GridError {
        return error.problems.map(\.description)
    } catch {
        return ["\(error)"]
    }
}

/// Runs a whole sweep of `grid` in-process into the database at `db`.
@discardableResult
func runSweep(_ grid: GridFile, db: String, jobs: Int, flushesEpochs: Bool = true) throws -> (PreparedSweep, SweepSummary) {
    let store = try RunStore(path: db)
    let dataset = try loadDataset(grid)
    let prepared = try SweepPlanner.prepare(grid: grid, dataset: dataset, store: store, toolVersion: "test")
    let summary = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: jobs, toolVersion: "test", flushesEpochs: flushesEpochs))
    return (prepared, summary)
}

/// The grid's data set, read as `exp sweep` reads it.
func loadDataset(_ grid: GridFile) throws -> Datasets.Dataset {
    try DatasetImport.read(grid.datasetURL, options: grid.datasetOptions)
}

/// Grid JSON text with the given `grid` object, over the fixture copy of Iris.
func gridText(name: String, seeds: [Int], grid: String, protocolJSON: String = #"{"test_fraction": 0.2, "validation_fraction": 0.2, "split_seed": 0}"#) -> String {
    """
    {"name": "\(name)", "dataset": "data/iris.data", "protocol": \(protocolJSON), "seeds": \(seeds), "grid": \(grid)}
    """
}

/// Parses grid text as if it were a file in the fixture folder.
func grid(_ text: String) throws -> GridFile {
    try GridFile.parse(text, url: fixture("inline.json"))
}
