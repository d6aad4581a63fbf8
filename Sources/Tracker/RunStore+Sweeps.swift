import Determinism
import Foundation

/// A sweep as stored.
public struct SweepRecord: Sendable, Equatable {
    /// Row id in `sweeps` (nil before it is stored).
    public var id: Int64?
    /// The sweep's name, unique in the file.
    public var name: String
    /// The data set the sweep runs over.
    public var datasetID: Int64
    /// The grid file's text exactly as given.
    public var grid: String
    /// The grid file's path, as given.
    public var gridPath: String?
    /// The evaluation protocol as canonical JSON.
    public var protocolJSON: String
    /// The `exp` version that created the sweep.
    public var toolVersion: String
    /// When the sweep was created, UTC ISO 8601 (nil before it is stored).
    public var createdAt: String?
    /// The test accuracy the sweep's results are compared with, from its grid's `"benchmark"`
    /// (nil: none; every sweep stored before schema version 6).
    public var benchmark: Benchmark?

    /// A sweep to open with ``RunStore/openSweep(_:)``.
    public init(name: String, datasetID: Int64, grid: String, gridPath: String?, protocolJSON: String, toolVersion: String,
                benchmark: Benchmark? = nil) {
        self.name = name
        self.datasetID = datasetID
        self.grid = grid
        self.gridPath = gridPath
        self.protocolJSON = protocolJSON
        self.toolVersion = toolVersion
        self.benchmark = benchmark
    }
}

/// A published test accuracy on a sweep's data set, and where it comes from
/// (`sweeps.benchmark_test_accuracy`, `sweeps.benchmark_source`).
public struct Benchmark: Sendable, Equatable {
    /// A fraction in [0, 1].
    public var testAccuracy: Double
    /// Where the figure comes from, for readers of the report: not empty.
    public var source: String

    public init(testAccuracy: Double, source: String) {
        self.testAccuracy = testAccuracy
        self.source = source
    }

    /// The benchmark stored in these two columns, nil when either is NULL.
    static func read(_ s: Statement) throws -> Benchmark? {
        guard let accuracy = try s.double("benchmark_test_accuracy"), let source = try s.string("benchmark_source") else { return nil }
        return Benchmark(testAccuracy: accuracy, source: source)
    }
}

/// Errors about what is stored, as opposed to SQLite's own.
public enum TrackerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A sweep of this name exists with a different grid file (or over another data set).
    case gridChanged(sweep: String)
    /// A sweep of this name was run on a data set whose content differs from the file's now.
    case dataChanged(sweep: String, file: String, stored: String, now: String)
    /// No run, sweep or data set with this identifier.
    case notFound(String)
    /// A merged database holds a stored data set's content with its classes in another order.
    case classOrderDiffers(dataset: String, stored: [String], merged: [String])

    /// The error as a message for the user.
    public var description: String {
        switch self {
        case .gridChanged(let sweep):
            return "sweep '\(sweep)' already exists with a different grid; to start a new sweep, change \"name\" in the grid file (or use another --db)"
        case let .dataChanged(sweep, file, stored, now):
            return "sweep '\(sweep)' was run on other data: \(file) has changed since (sha256 \(stored.prefix(12))..., now \(now.prefix(12))...); "
                + "restore the file, or change \"name\" in the grid file to start a new sweep"
        case .notFound(let what):
            return "\(what) not found"
        case let .classOrderDiffers(dataset, stored, merged):
            func list(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }
            return "data set \(dataset) is stored with classes in the order \(list(stored)), the merged database has them in the order "
                + "\(list(merged)); their splits and confusion matrices differ, so they are not merged"
        }
    }
}

extension RunStore {
    /// Creates the sweep, or returns the stored one when a sweep of this name exists with the
    /// same grid text (a resume; its stored benchmark is left as it is, see
    /// ``setBenchmark(sweepID:_:)``).
    /// - Returns: the stored sweep, with its id.
    /// - Throws: ``TrackerError/gridChanged(sweep:)`` when the name exists with another grid
    ///   text or data set; ``SQLiteError``.
    public func openSweep(_ record: SweepRecord) throws -> SweepRecord {
        try write {
            if let existing = try sweep(named: record.name) {
                guard existing.grid == record.grid, existing.datasetID == record.datasetID else {
                    throw TrackerError.gridChanged(sweep: record.name)
                }
                return existing
            }
            try connection.run("""
                INSERT INTO sweeps (name, dataset_id, grid, grid_sha256, grid_path, protocol, created_at, tool_version,
                                    benchmark_test_accuracy, benchmark_source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(record.name), .integer(record.datasetID), .text(record.grid), .text(sha256Hex(record.grid)),
                      .of(record.gridPath), .text(record.protocolJSON), .text(timestamp()), .text(record.toolVersion),
                      .of(record.benchmark?.testAccuracy), .of(record.benchmark?.source)])
            return try sweep(named: record.name)!
        }
    }

    /// Sets the sweep's benchmark (nil removes it): what a resumed sweep does when its grid's
    /// `"benchmark"` changed, the rest of the grid being the same.
    /// - Throws: ``SQLiteError`` (a constraint error for an accuracy outside [0, 1] or an empty source).
    public func setBenchmark(sweepID: Int64, _ benchmark: Benchmark?) throws {
        try write {
            try connection.run("UPDATE sweeps SET benchmark_test_accuracy = ?, benchmark_source = ? WHERE sweep_id = ?",
                               [.of(benchmark?.testAccuracy), .of(benchmark?.source), .integer(sweepID)])
        }
    }

    /// The sweep called `name`, if stored.
    /// - Throws: ``SQLiteError``.
    public func sweep(named name: String) throws -> SweepRecord? {
        try connection.query("""
            SELECT sweep_id, name, dataset_id, grid, grid_path, protocol, tool_version, created_at, benchmark_test_accuracy, benchmark_source
            FROM sweeps WHERE name = ?
            """, [.text(name)]) { s in
            var record = SweepRecord(
                name: try s.required(s.string, "name"), datasetID: try s.required(s.id, "dataset_id"),
                grid: try s.required(s.string, "grid"), gridPath: try s.string("grid_path"),
                protocolJSON: try s.required(s.string, "protocol"), toolVersion: try s.required(s.string, "tool_version"))
            record.id = try s.id("sweep_id")
            record.createdAt = try s.string("created_at")
            record.benchmark = try Benchmark.read(s)
            return record
        }.first
    }

    /// The names of every sweep, oldest first.
    /// - Throws: ``SQLiteError``.
    public func sweepNames() throws -> [String] {
        try connection.query("SELECT name FROM sweeps ORDER BY sweep_id") { s in try s.required(s.string, "name") }
    }
}
