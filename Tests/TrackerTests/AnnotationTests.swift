import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Tags and notes on runs and sweeps: set, replace, delete, refuse, select by, and merge.
@Suite struct AnnotationTests {
    /// A store with one sweep `iris-lr` of 2 configurations x 2 seeds, the first 3 runs finished.
    func store(_ scratch: Scratch, _ name: String = "runs.db") throws -> (RunStore, PreparedFixture) {
        let store = try RunStore(path: scratch.path(name))
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: cells(
            [Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.5, hidden: 8)], seeds: [1, 2], splitID: fixture.splitID))
        for accuracy in [0.9, 0.8, 0.7] { try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: accuracy)) }
        return (store, fixture)
    }

    @Test func tagsAreSetReplacedAndDeletedOnRunsAndSweeps() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, _) = try store(scratch)
        try store.setTags([("reviewed", "yes"), ("owner", "ana"), ("empty", "")], on: .run(1))
        let first = try store.tags(of: .run(1))
        #expect(first.map(\.key) == ["empty", "owner", "reviewed"])
        #expect(first.map(\.value) == ["", "ana", "yes"])
        // The same value again leaves updated_at alone; a new value replaces it.
        try store.setTags([("owner", "ana"), ("reviewed", "no")], on: .run(1))
        let second = try store.tags(of: .run(1))
        #expect(second.first { $0.key == "owner" } == first.first { $0.key == "owner" })
        #expect(second.first { $0.key == "reviewed" }?.value == "no")
        try store.deleteTags(["empty"], from: .run(1))
        #expect(try store.tags(of: .run(1)).map(\.key) == ["owner", "reviewed"])
        #expect(try store.tags(of: .run(2)).isEmpty)

        try store.setTags([("stage", "baseline")], on: .sweep("iris-lr"))
        #expect(try store.tags(of: .sweep("iris-lr")).map(\.value) == ["baseline"])
        #expect(try store.tags(of: .run(1)).count == 2)  // sweep tags are not run tags
    }

    @Test func badKeysUnknownTargetsAndMissingTagsStoreNothing() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, _) = try store(scratch)
        for key in ["", "has space", "a=b", "-dash", ".dot", "é", String(repeating: "k", count: 251)] {
            #expect(throws: AnnotationError.self, "\(key)") { try store.setTags([("ok", "1"), (key, "v")], on: .run(1)) }
        }
        #expect(try store.tags(of: .run(1)).isEmpty)
        for key in ["a", "A_9", "paper/figure-3.b", "_x", String(repeating: "k", count: 250)] { try Tag.validate(key: key) }
        #expect(throws: AnnotationError.valueTooLong(key: "k", length: 8001)) {
            try store.setTags([("k", String(repeating: "v", count: 8001))], on: .run(1))
        }
        #expect(throws: AnnotationError.noTarget(.run(99))) { try store.setTags([("k", "v")], on: .run(99)) }
        #expect(throws: AnnotationError.noTarget(.sweep("nosuch"))) { try store.setNote("text", on: .sweep("nosuch")) }
        try store.setTags([("a", "1")], on: .run(1))
        #expect(throws: AnnotationError.noTag(.run(1), key: "b")) { try store.deleteTags(["a", "b"], from: .run(1)) }
        #expect(try store.tags(of: .run(1)).map(\.key) == ["a"])  // "a" was not deleted either
        #expect(throws: AnnotationError.blankNote(.run(1))) { try store.setNote(" \n", on: .run(1)) }
        #expect(throws: AnnotationError.noNote(.run(1))) { try store.deleteNote(from: .run(1)) }
        #expect(AnnotationError.noTag(.run(1), key: "b").description == "run 1 has no tag 'b'")
        #expect(AnnotationError.invalidKey("a b", reason: "x").description == "tag key 'a b' is not valid: x")
    }

    @Test func theTablesRefuseWhatTheValidatorRefuses() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, _) = try store(scratch)
        for key in ["", "has space", "a=b", "-dash", "/slash", "é"] {
            #expect(throws: SQLiteError.self, "\(key)") {
                try store.connection.run("INSERT INTO run_tags (run_id, key, value, updated_at) VALUES (1, ?, 'v', 't')", [.text(key)])
            }
        }
        try store.connection.run("INSERT INTO run_tags (run_id, key, value, updated_at) VALUES (1, 'paper/fig-3.b_', 'v', 't')")
        #expect(throws: SQLiteError.self) {
            try store.connection.run("INSERT INTO run_tags (run_id, key, value, updated_at) VALUES (99, 'k', 'v', 't')")
        }
        #expect(throws: SQLiteError.self) {
            try store.connection.run("INSERT INTO sweep_notes (sweep_id, note, updated_at) VALUES (1, '   ', 't')")
        }
        // Deleting a run deletes its tags and note.
        try store.setNote("gone with its run", on: .run(1))
        try store.connection.run("DELETE FROM runs WHERE run_id = 1")
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM run_tags")?.int == 0)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM run_notes")?.int == 0)
    }

    @Test func notesAreSetReplacedAndDeleted() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, _) = try store(scratch)
        try store.setNote("line one\nline two", on: .sweep("iris-lr"))
        #expect(try store.note(of: .sweep("iris-lr"))?.text == "line one\nline two")
        try store.setNote("replaced", on: .sweep("iris-lr"))
        #expect(try store.note(of: .sweep("iris-lr"))?.text == "replaced")
        try store.setNote("a run's", on: .run(2))
        #expect(try store.runAnnotations(sweep: "iris-lr").notes == [2: "a run's"])
        try store.deleteNote(from: .sweep("iris-lr"))
        #expect(try store.note(of: .sweep("iris-lr")) == nil)
        #expect(try store.note(of: .run(2))?.text == "a run's")
    }

    @Test func aTagConditionMatchesOnlyRunsWithTheTagExceptForNotEqual() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, _) = try store(scratch)
        try store.setTags([("reviewed", "yes")], on: .run(1))
        try store.setTags([("reviewed", "no")], on: .run(2))
        func ids(_ comparison: RunSelection.Comparison, _ value: String, sort: [RunSelection.SortKey] = []) throws -> [Int64] {
            try store.runSummaries(RunSelection(conditions: [.init(field: .tag(key: "reviewed"), comparison: comparison, value: .text(value))],
                                                sort: sort)).map(\.runID)
        }
        #expect(try ids(.equal, "yes") == [1])
        #expect(try ids(.notEqual, "yes") == [2, 3, 4])  // runs 3 and 4 have no such tag
        #expect(try ids(.equal, "maybe") == [])
        let sorted = try store.runSummaries(RunSelection(sort: [.init(field: .tag(key: "reviewed"), descending: false)])).map(\.runID)
        #expect(sorted == [2, 1, 3, 4])  // "no" < "yes", untagged last
        #expect(throws: SQLiteError.self) { try store.runSummaries(RunSelection(sort: [.init(field: .tag(key: "bad key"), descending: false)])) }
    }

    @Test func aVersionFourDatabaseReadOnlyHasNoTags() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("v4.db")
        try loadOldDatabase(into: path, version: 4)
        let reader = try RunStore(path: path, readOnly: true)
        #expect(try Connection(path: path, readOnly: true).userVersion == 4)
        #expect(try reader.tags(of: .run(1)).isEmpty)
        #expect(try reader.note(of: .sweep("fixture-v2")) == nil)
        #expect(try reader.runAnnotations().tags.isEmpty)
        let selection = RunSelection(conditions: [.init(field: .tag(key: "k"), comparison: .notEqual, value: .text("v"))])
        #expect(try reader.runSummaries(selection).map(\.runID) == Array(1...8))
        // Opened to write, it is upgraded and takes tags.
        let writer = try RunStore(path: path)
        try writer.setTags([("k", "v")], on: .run(1))
        #expect(try writer.tags(of: .run(1)).map(\.value) == ["v"])
    }

    @Test func mergeCopiesTagsAndNotesAndTheMostRecentValueWins() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (a, _) = try store(scratch, "a.db")
        let (b, _) = try store(scratch, "b.db")
        try a.setTags([("owner", "ana"), ("only-a", "1")], on: .run(1))
        try a.setNote("from a", on: .sweep("iris-lr"))
        try a.setTags([("stage", "a")], on: .sweep("iris-lr"))
        Thread.sleep(forTimeInterval: 0.01)
        try b.setTags([("owner", "bo"), ("only-b", "2")], on: .run(1))
        try b.setTags([("stage", "b")], on: .sweep("iris-lr"))
        try b.setNote("run 3 in b", on: .run(3))
        // Set later in a, so a's wins this one.
        Thread.sleep(forTimeInterval: 0.01)
        try a.setTags([("stage", "a2")], on: .sweep("iris-lr"))

        for (name, order) in [("ab.db", ["a.db", "b.db"]), ("ba.db", ["b.db", "a.db"])] {
            let merged = try RunStore(path: scratch.path(name))
            let first = try merged.merge(from: scratch.path(order[0]))
            #expect(first.annotationsCopied == 4 && first.annotationConflicts == 0)
            let second = try merged.merge(from: scratch.path(order[1]))
            // owner on run 1 and stage on the sweep differ; one of them is newer in the second file.
            #expect(second.annotationConflicts == 2 && second.annotationsCopied == 3, "\(name)")
            #expect(try merged.tags(of: .run(1)).map { "\($0.key)=\($0.value)" } == ["only-a=1", "only-b=2", "owner=bo"], "\(name)")
            #expect(try merged.tags(of: .sweep("iris-lr")).map(\.value) == ["a2"], "\(name)")
            #expect(try merged.note(of: .sweep("iris-lr"))?.text == "from a")
            #expect(try merged.note(of: .run(3))?.text == "run 3 in b")
            // Merging again changes nothing; the one value the file still disagrees on is counted.
            let again = try merged.merge(from: scratch.path(order[1]))
            #expect(again.annotationsCopied == 0 && again.annotationConflicts == 1)
            #expect(try merged.tags(of: .run(1)).map(\.value) == ["1", "2", "bo"])
        }
    }
}
