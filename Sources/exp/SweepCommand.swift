import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Sweep
import Tracker

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train every configuration x seed (x fold) of a grid file, in parallel; run it again to resume.",
        discussion: "The grid format is documented in docs/grid.md."
    )

    @Argument(help: "The grid file (JSON).")
    var grid: String

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Parallel training workers, 1 to 128 (the default is this machine's active cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Run only the cells whose index mod N is I, written as I/N (for job arrays).")
    var shard: String?

    @Flag(name: .long, help: "Print no progress.")
    var quiet = false

    func validate() throws {
        if !(1...maximumJobs).contains(jobs) { throw ValidationError("--jobs must be between 1 and \(maximumJobs)") }
        if let shard, parseShard(shard) == nil { throw ValidationError("--shard must be I/N with 0 <= I < N, e.g. 0/4") }
    }

    func run() throws {
        BLAS.useSingleThread()
        let grid = try GridFile.load(URL(fileURLWithPath: self.grid))
        for remark in grid.notes { note("note: \(remark)") }
        let (store, dataset, prepared) = try prepareSweep(grid, database: database.db)
        let resumed = prepared.newCells < prepared.cellCount ? ", resuming (\(prepared.requeued) requeued)" : ""
        note("sweep '\(grid.name)': \(prepared.cellCount) runs (\(grid.configurations.count) configurations x \(grid.seeds.count) seeds"
            + (grid.evaluation.folds.map { " x \($0) folds" } ?? "") + ") on \(dataset.name) "
            + "(\(dataset.rowCount) rows x \(dataset.featureCount) features, \(dataset.classNames.count) classes), "
            + "\(jobs) jobs -> \(database.db)\(resumed)")
        let summary = try runSweep(prepared, store: store, jobs: jobs, shard: shard.flatMap(parseShard), quiet: quiet) { summary in
            let counts = RunStatus.allCases.compactMap { status in summary.counts[status].map { "\($0) \(status.rawValue)" } }
            note("runs: " + counts.joined(separator: ", "))
        }
        try printBest(store: store, sweepID: prepared.sweepID)
        if shard == nil, !summary.complete {
            let failures = try store.failures(sweepID: prepared.sweepID, limit: 5).map { "\($0.count) failed: \($0.error ?? "unknown error")" }
            failures.forEach(note)
            throw ExpError.incomplete("the sweep is not complete; run the same command again to resume")
        }
    }

    private func printBest(store: RunStore, sweepID: Int64) throws {
        let best = try store.bestConfiguration(sweepID: sweepID).map { s in
            String(format: "best configuration (by mean validation accuracy over %d runs): %@\n  validation accuracy %.2f%% ± %.2f, mean test accuracy %.2f%%",
                   s.finishedRuns, s.config, (s.validationAccuracyMean ?? .nan) * 100, (s.validationAccuracyStd ?? 0) * 100, (s.testAccuracyMean ?? .nan) * 100)
        }
        best.map { print($0) }
    }
}

/// Reads a validated grid's data set, opens the database, and stores and queues the sweep.
/// - Throws: ``ExpError/rejected(_:)`` for a bad data file or an impossible protocol, before
///   anything is stored; ``ExpError/database(_:path:)`` when the database cannot be used, or
///   fails `PRAGMA quick_check` (``DatabaseFileError/damaged(path:)``) before anything is written.
func prepareSweep(_ grid: GridFile, database: String) throws -> (RunStore, Dataset, PreparedSweep) {
    let dataset: Dataset
    do {
        let read = try DatasetImport.readNoted(grid.datasetURL, options: grid.datasetOptions)
        dataset = read.dataset
        for line in read.notes { note("note: \(grid.datasetURL.path): \(line)") }
    } catch {
        throw ExpError.rejected("\(error)")
    }
    return try prepareSweep(grid, dataset: dataset, database: database)
}

/// Checks the protocol on `dataset`, opens the database, and stores and queues the sweep.
/// - Throws: ``ExpError/rejected(_:)`` for an impossible protocol (before the database is
///   opened, so a refused command leaves no database file behind) or a changed grid or data.
func prepareSweep(_ grid: GridFile, dataset: Dataset, database: String) throws -> (RunStore, Dataset, PreparedSweep) {
    do { _ = try SweepPlanner.splits(for: grid.evaluation, dataset: dataset) } catch {
        throw ExpError.rejected("\(grid.url.path): protocol: \(error)")
    }
    let store = try openStore(database)
    do {
        // Once per process, before anything is written: a full scan of the file.
        try store.requireUndamaged()
        return (store, dataset, try SweepPlanner.prepare(grid: grid, dataset: dataset, store: store, toolVersion: toolVersion))
    } catch let error as TrackerError {
        throw ExpError.rejected("\(grid.url.path): \(error)")
    } catch {
        throw ExpError.database(error, path: database)
    }
}

/// The most workers a sweep may start. Each worker is a Dispatch queue that blocks while it
/// trains; past a few hundred the Dispatch thread pool runs out and the sweep would hang, and
/// more workers than cores never helps.
let maximumJobs = 128

/// Parses `I/N` with 0 <= I < N.
func parseShard(_ text: String) -> (index: Int, count: Int)? {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
    return (i, n)
}

/// Databases this process writes, checkpointed when it exits (see ``checkpointOnExit``).
var writableStores: [RunStore] = []

/// Registered once with `atexit`: empties each written database's write-ahead log into the
/// database file, so that `runs.db` alone is complete after `exp` exits, however it exits
/// through the entry point's `exit` (a copy of the file without its `-wal` would otherwise miss recent runs).
let checkpointOnExit: Void = {
    atexit { checkpointWritableStores() }
}()

/// Empties each written database's write-ahead log into the database file, trying for a few
/// seconds while another program reads it; when that does not succeed, says that the `-wal`
/// file belongs with any copy.
func checkpointWritableStores() {
    for store in writableStores {
        let copyHint = "copy that file with it, or take a copy with `exp db snapshot --db \(store.path) COPY.db`"
        do {
            if try !store.checkpointBeforeExit() {
                note("note: another program is using \(store.path), so recent runs are still in \(store.path)-wal; \(copyHint)")
            }
        } catch {
            note("note: \(Termination.describe(error, database: store.path).message); recent runs are still in \(store.path)-wal; \(copyHint)")
        }
    }
    writableStores = []
}

/// Opens the database. Opened `readOnly`, nothing is written or created (see
/// ``RunStore/init(path:readOnly:)``); a file read as immutable is said so on standard error.
/// - Throws: ``ExpError/database(_:path:)`` for a missing (when `readOnly`), refused or unreadable file.
func openStore(_ path: String, readOnly: Bool = false) throws -> RunStore {
    do {
        let store = try RunStore(path: path, readOnly: readOnly)
        openedDatabase = path
        if store.isImmutable { noteImmutable(path) }
        if !readOnly {
            _ = checkpointOnExit
            writableStores.append(store)
        }
        if let backup = store.backupPath { note("upgraded the schema of \(path); a copy of the old file is at \(backup)") }
        return store
    } catch {
        throw ExpError.database(error, path: path)
    }
}

/// Says that the database at `path` is read as immutable, on storage nothing can be written to.
func noteImmutable(_ path: String) {
    note("note: nothing can be written beside \(path) (read-only storage); reading it as a file that does not change")
}
