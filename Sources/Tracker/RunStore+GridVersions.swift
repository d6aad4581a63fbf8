import Determinism
import Foundation

/// One grid version a sweep has seen (a row of `sweep_grids`): the grid that created it is
/// version 1, and each grid that changed its canonical form is the next one.
public struct GridVersion: Sendable, Equatable {
    /// 1, 2, 3, ... in the order they were first seen.
    public var version: Int
    /// The parsed grid as canonical JSON (keys sorted); equal for a reformatted file.
    public var canonical: String
    /// SHA-256 of ``canonical``.
    public var canonicalSHA256: String
    /// The file's text exactly as given.
    public var grid: String
    /// The file's path, as given.
    public var gridPath: String?
    /// When it was first seen, UTC ISO 8601.
    public var firstSeenAt: String
    /// The cell index of the first cell it added.
    public var firstCellIndex: Int
    /// Cells it added: `firstCellIndex ..< firstCellIndex + cellsAdded`.
    public var cellsAdded: Int

    /// A grid version with these parts.
    public init(version: Int, canonical: String, grid: String, gridPath: String?, firstSeenAt: String, firstCellIndex: Int,
                cellsAdded: Int) {
        self.version = version
        self.canonical = canonical
        self.canonicalSHA256 = sha256Hex(canonical)
        self.grid = grid
        self.gridPath = gridPath
        self.firstSeenAt = firstSeenAt
        self.firstCellIndex = firstCellIndex
        self.cellsAdded = cellsAdded
    }
}

/// How many of a sweep's search cells are planned and how many are written as runs
/// (`sweeps.planned_cells`, `sweeps.queued_cells`).
public struct CellCounts: Sendable, Equatable {
    /// Search cells of every grid version so far: cell indices `0 ..< planned`.
    public var planned: Int
    /// Cells `0 ..< queued` are written as runs; the rest are queued in batches as workers need them.
    public var queued: Int
    /// Planned cells not written as runs yet.
    public var unqueued: Int { max(0, planned - queued) }
}

extension RunStore {
    /// The sweep's grid versions, oldest first.
    /// - Throws: ``SQLiteError``.
    public func gridVersions(sweepID: Int64) throws -> [GridVersion] {
        try connection.query("""
            SELECT version, canonical, grid, grid_path, first_seen_at, first_cell_index, cells_added
            FROM sweep_grids WHERE sweep_id = ? ORDER BY version
            """, [.integer(sweepID)]) { s in
            GridVersion(version: try s.required(s.int, "version"), canonical: try s.required(s.string, "canonical"),
                        grid: try s.required(s.string, "grid"), gridPath: try s.string("grid_path"),
                        firstSeenAt: try s.required(s.string, "first_seen_at"),
                        firstCellIndex: try s.required(s.int, "first_cell_index"), cellsAdded: try s.required(s.int, "cells_added"))
        }
    }

    /// Stores the sweep's next grid version, numbered one past the last, and plans its cells:
    /// `planned_cells` becomes `firstCellIndex + cellsAdded` when that is more.
    /// - Parameter firstSeenAt: when it was first seen; now when nil.
    /// - Returns: the stored version.
    /// - Throws: ``SQLiteError`` (a `UNIQUE` failure when the sweep has this canonical form already).
    @discardableResult
    public func addGridVersion(sweepID: Int64, canonical: String, grid: String, gridPath: String?, firstSeenAt: String? = nil,
                               firstCellIndex: Int, cellsAdded: Int) throws -> GridVersion {
        try write {
            let last = try connection.scalar("SELECT MAX(version) AS last FROM sweep_grids WHERE sweep_id = ?", [.integer(sweepID)])?.int ?? 0
            let version = GridVersion(version: last + 1, canonical: canonical, grid: grid, gridPath: gridPath,
                                      firstSeenAt: firstSeenAt ?? timestamp(), firstCellIndex: firstCellIndex, cellsAdded: cellsAdded)
            try connection.run("""
                INSERT INTO sweep_grids (sweep_id, version, canonical, canonical_sha256, grid, grid_path, first_seen_at,
                                         first_cell_index, cells_added)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(sweepID), .of(version.version), .text(canonical), .text(version.canonicalSHA256), .text(grid),
                      .of(gridPath), .text(version.firstSeenAt), .of(firstCellIndex), .of(cellsAdded)])
            try connection.run("UPDATE sweeps SET planned_cells = MAX(planned_cells, ?) WHERE sweep_id = ?",
                               [.of(firstCellIndex + cellsAdded), .integer(sweepID)])
            return version
        }
    }

    /// The sweep's planned and queued search cells.
    /// - Throws: ``TrackerError/notFound(_:)`` for an unknown sweep; ``SQLiteError``.
    public func cellCounts(sweepID: Int64) throws -> CellCounts {
        guard let counts = try connection.query("SELECT planned_cells, queued_cells FROM sweeps WHERE sweep_id = ?", [.integer(sweepID)], { s in
            CellCounts(planned: try s.required(s.int, "planned_cells"), queued: try s.required(s.int, "queued_cells"))
        }).first else { throw TrackerError.notFound("sweep \(sweepID)") }
        return counts
    }

    /// The sweeps with planned cells not written as runs yet, by name, with how many.
    /// - Throws: ``SQLiteError``.
    public func unqueuedCells() throws -> [(sweep: String, cells: Int)] {
        try connection.query("""
            SELECT name, planned_cells - queued_cells AS unqueued FROM sweeps WHERE planned_cells > queued_cells ORDER BY sweep_id
            """) { s in (try s.required(s.string, "name"), try s.required(s.int, "unqueued")) }
    }

    /// Writes the next batch of the sweep's planned cells as `queued` runs, in one transaction,
    /// and moves `queued_cells` past them. Processes sharing the database queue each batch
    /// once: the count is read and moved under the write lock, and a cell already stored is
    /// skipped (as by ``enqueue(sweepID:datasetID:cells:)``).
    /// - Parameters:
    ///   - cells: the cells from a first cell index on (called with `queued_cells`, under the
    ///     write lock); they must be that index and the ones after it, in order, and not past
    ///     `planned_cells`.
    /// - Returns: how many cells the batch held (0 when every planned cell is queued).
    /// - Throws: ``SQLiteError``; what `cells` throws; ``TrackerError/notFound(_:)`` for an
    ///   unknown sweep. A precondition failure for cells out of order.
    @discardableResult
    public func queueNextCells(sweepID: Int64, datasetID: Int64, _ cells: (_ from: Int, _ planned: Int) throws -> [Cell]) throws -> Int {
        try write {
            let counts = try cellCounts(sweepID: sweepID)
            guard counts.queued < counts.planned else { return 0 }
            let batch = try cells(counts.queued, counts.planned)
            precondition(batch.enumerated().allSatisfy { $0.element.index == counts.queued + $0.offset }
                         && counts.queued + batch.count <= counts.planned, "cells out of order")
            try enqueue(sweepID: sweepID, datasetID: datasetID, cells: batch)
            try connection.run("UPDATE sweeps SET queued_cells = ? WHERE sweep_id = ?", [.of(counts.queued + batch.count), .integer(sweepID)])
            return batch.count
        }
    }
}
