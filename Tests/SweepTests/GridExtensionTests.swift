import Determinism
import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// A grid under a stored sweep's name: compared by its canonical form, it resumes the sweep
/// (reformatted), extends it (more cells, appended with new cell indices), or is refused with
/// what differs (fewer cells, another protocol or data set). Every version is stored.
@Suite struct GridExtensionTests {
    static let g04 = fixture("cases/grids/g04_nested_lists.json")
    static let g14 = fixture("cases/grids/g14_nested_lists_extended.json")

    /// A copy of g04's text, changed by `edit`, as a file beside g04 (so its data set resolves).
    static func variant(_ name: String, _ edit: (String) -> String) throws -> GridFile {
        let text = edit(try String(contentsOf: g04, encoding: .utf8))
        let url = g04.deletingLastPathComponent().appendingPathComponent(name)
        return try GridFile.parse(text, url: url)
    }

    @Test func aReformattedGridHasTheSameCanonicalForm() throws {
        let original = try GridFile.load(Self.g04)
        let reformatted = try Self.variant("g04_reformatted.json") { text in
            text.replacingOccurrences(of: "[1, 2, 3]", with: "[1,2,3]").replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: #""seeds": [1,2,3],"#, with: "")
                .replacingOccurrences(of: #""name": "nested-lists","#, with: #""name": "nested-lists", "seeds": [1,2,3],"#)
        }
        #expect(reformatted.text != original.text)
        #expect(reformatted.canonicalJSON == original.canonicalJSON)
        #expect(original.canonicalJSON.hasPrefix(#"{"dataset":"../../data/iris.data","grid":[{"activation":["relu","sigmoid"],"#))
        let moreSeeds = try Self.variant("g04_seeds.json") { $0.replacingOccurrences(of: "[1, 2, 3]", with: "[1, 2, 3, 4]") }
        #expect(moreSeeds.canonicalJSON != original.canonicalJSON)
    }

    /// A top-level key the cells do not depend on (such as a benchmark line) is kept in the
    /// canonical form as written, and adds no difference and no cell.
    @Test func keysThatDoNotMakeCellsAreKeptAndAddNothing() throws {
        let original = try GridFile.load(Self.g04)
        var annotated = original
        annotated.text = original.text.replacingOccurrences(of: #""seeds""#, with: #""benchmark": {"accuracy": 0.97, "source": "UCI"}, "seeds""#)
        #expect(annotated.canonicalJSON.contains(#""benchmark":{"accuracy":0.97,"source":"UCI"}"#))
        #expect(annotated.canonicalJSON != original.canonicalJSON)
        #expect(GridExtension.differences(from: original, to: annotated).isEmpty)
        #expect(GridExtension.newPairs(from: original, to: annotated).isEmpty)
    }

    @Test func g14ExtendsG04WithNewCellsAppended() throws {
        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        let (first, summary) = try runSweep(GridFile.load(Self.g04), db: db, jobs: 2)
        #expect(first.newCells == 24 && summary.complete)
        let store = try RunStore(path: db)
        let before = try store.connection.query("SELECT cell_index, config_sha256, seed, status, final_validation_accuracy FROM runs ORDER BY cell_index") {
            "\($0.int(0)!) \($0.string(1)!) \($0.int(2)!) \($0.string(3)!) \($0.double(4) ?? -1)"
        }
        let g14 = try GridFile.load(Self.g14)
        let prepared = try SweepPlanner.prepare(grid: g14, dataset: loadDataset(g14), store: store, toolVersion: "test")
        #expect(prepared.newCells == 24 && prepared.cellCount == 48)
        // The stored runs are untouched, with their indices; the new cells are 24-47.
        let after = try store.connection.query("SELECT cell_index, config_sha256, seed, status, final_validation_accuracy FROM runs WHERE cell_index < 24 ORDER BY cell_index") {
            "\($0.int(0)!) \($0.string(1)!) \($0.int(2)!) \($0.string(3)!) \($0.double(4) ?? -1)"
        }
        #expect(after == before)
        #expect(try store.connection.query("SELECT cell_index FROM runs WHERE status = 'queued' ORDER BY cell_index") { $0.int(0)! }
                == Array(24..<48))
        // New: seed 4 of the old configurations, and every seed of learning rate 0.001.
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE cell_index >= 24 AND (seed = 4 OR config LIKE '%\"learning_rate\":0.001%')")?.int == 24)
        #expect(try store.connection.scalar("SELECT COUNT(DISTINCT config_sha256 || '/' || seed) FROM runs")?.int == 48)
        let versions = try store.gridVersions(sweepID: prepared.sweepID)
        #expect(versions.map(\.version) == [1, 2])
        #expect(versions.map(\.firstCellIndex) == [0, 24] && versions.map(\.cellsAdded) == [24, 24])
        #expect(versions[1].canonical == g14.canonicalJSON && versions[1].grid == g14.text)
        #expect(versions[1].canonicalSHA256 == sha256Hex(g14.canonicalJSON))
        // The extended sweep trains its new cells, and running g14 again is a resume.
        let summary14 = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: 2, toolVersion: "test"))
        #expect(summary14.complete && summary14.trained == 24)
        let again = try SweepPlanner.prepare(grid: g14, dataset: loadDataset(g14), store: store, toolVersion: "test")
        #expect(again.newCells == 0 && again.cellCount == 48)
        #expect(try store.gridVersions(sweepID: prepared.sweepID).count == 2)
        // g04 again drops g14's cells: refused.
        let g04 = try GridFile.load(Self.g04)
        let error = try #require(throws: GridChangeError.self) {
            try SweepPlanner.prepare(grid: g04, dataset: loadDataset(g04), store: store, toolVersion: "test")
        }
        #expect(error.differences.map(\.description) == ["seeds: 4 stored, missing now", "grid.learning_rate: 0.001 stored, missing now"])
    }

    @Test func aGridThatAddsNoCellIsAcceptedAndStoredAsAVersion() throws {
        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        let store = try RunStore(path: db)
        let g04 = try GridFile.load(Self.g04)
        let first = try SweepPlanner.prepare(grid: g04, dataset: loadDataset(g04), store: store, toolVersion: "test")
        let reordered = try Self.variant("g04_reordered.json") { $0.replacingOccurrences(of: "[0.1, 0.01]", with: "[0.01, 0.1]") }
        let second = try SweepPlanner.prepare(grid: reordered, dataset: loadDataset(reordered), store: store, toolVersion: "test")
        #expect(second.newCells == 0 && second.cellCount == 24)
        #expect(try store.gridVersions(sweepID: first.sweepID).map(\.cellsAdded) == [24, 0])
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 24)
        // The reordered grid reformatted is a resume; g04 again has version 1's canonical form.
        let reformatted = try Self.variant("g04_spaces.json") {
            $0.replacingOccurrences(of: "[0.1, 0.01]", with: "[0.01, 0.1]").replacingOccurrences(of: ", ", with: " ,  ")
        }
        #expect(try SweepPlanner.prepare(grid: reformatted, dataset: loadDataset(reformatted), store: store, toolVersion: "test").newCells == 0)
        #expect(try SweepPlanner.prepare(grid: g04, dataset: loadDataset(g04), store: store, toolVersion: "test").newCells == 0)
        #expect(try store.gridVersions(sweepID: first.sweepID).map(\.canonicalSHA256)
                == [g04, reordered].map { sha256Hex($0.canonicalJSON) })
    }

    @Test(arguments: [
        (#""split_seed": 0"#, #""split_seed": 1"#, ["protocol.split_seed: stored 0, now 1"]),
        (#""validation_fraction": 0.2, "#, #""folds": 3, "#, ["protocol.folds: stored not given, now 3",
                                                               "protocol.validation_fraction: stored 0.2, now not given"]),
        (#""hidden_layers": [[8], [16, 8]]"#, #""hidden_layers": [[8]]"#, ["grid.hidden_layers: [16,8] stored, missing now"]),
        (#""seeds": [1, 2, 3]"#, #""seeds": [1, 3, 4]"#, ["seeds: 2 stored, missing now"]),
        (#""../../data/iris.data""#, #"{"path": "../../data/iris.data", "delimiter": ";"}"#,
         [#"dataset.delimiter: stored detected, now ";""#]),
    ])
    func aGridThatDropsCellsOrChangesTheProtocolIsRefused(old: String, new: String, expected: [String]) throws {
        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        let store = try RunStore(path: db)
        let g04 = try GridFile.load(Self.g04)
        _ = try SweepPlanner.prepare(grid: g04, dataset: loadDataset(g04), store: store, toolVersion: "test")
        let changed = try Self.variant("g04_changed.json") { $0.replacingOccurrences(of: old, with: new) }
        let error = try #require(throws: GridChangeError.self) {
            try SweepPlanner.prepare(grid: changed, dataset: loadDataset(g04), store: store, toolVersion: "test")
        }
        #expect(error.differences.map(\.description) == expected)
        #expect(error.description.hasPrefix("\(changed.url.path): sweep 'nested-lists' cannot take this grid: \(expected[0])"))
        // Nothing was stored.
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 24)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM sweep_grids")?.int == 1)
    }

    @Test func aSweepThatHasChosenRefusesNewCells() throws {
        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        let refitProtocol = #"{"test_fraction": 0.2, "folds": 2, "refit": true, "split_seed": 0}"#
        let small = try grid(gridText(name: "refit", seeds: [1], grid: #"{"hidden_layers": [[4]], "epochs": [5, 6]}"#,
                                      protocolJSON: refitProtocol))
        let (prepared, summary) = try runSweep(small, db: db, jobs: 1)
        #expect(summary.complete && prepared.cellCount == 4)
        let store = try RunStore(path: db)
        #expect(try store.selections(sweepID: prepared.sweepID).count == 1)
        let more = try grid(gridText(name: "refit", seeds: [1, 2], grid: #"{"hidden_layers": [[4]], "epochs": [5, 6]}"#,
                                     protocolJSON: refitProtocol))
        let error = try #require(throws: GridChangeError.self) {
            try SweepPlanner.prepare(grid: more, dataset: loadDataset(more), store: store, toolVersion: "test")
        }
        #expect(error.differences.map(\.description)
                == ["grid: adds 4 cells, but 1 folds have already chosen their configuration from the stored cells"])
    }

    /// A sweep stored before grid versions were (schema 4) gets its first version from its
    /// stored text when it is opened again, with every stored cell.
    @Test func aSweepWithoutVersionsGetsItsFirstFromItsText() throws {
        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        let store = try RunStore(path: db)
        let g04 = try GridFile.load(Self.g04)
        let first = try SweepPlanner.prepare(grid: g04, dataset: loadDataset(g04), store: store, toolVersion: "test")
        try store.connection.run("DELETE FROM sweep_grids")
        let g14 = try GridFile.load(Self.g14)
        let extended = try SweepPlanner.prepare(grid: g14, dataset: loadDataset(g14), store: store, toolVersion: "test")
        #expect(extended.newCells == 24)
        let versions = try store.gridVersions(sweepID: first.sweepID)
        #expect(versions.map(\.grid) == [g04.text, g14.text])
        #expect(versions[0].canonical == g04.canonicalJSON && versions[0].cellsAdded == 24)
        #expect(versions[0].firstSeenAt == (try store.sweep(named: "nested-lists")?.createdAt))
    }
}
