import Datasets
import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// Storing imported data sets in `runs.db`: by content, with versions per name.
@Suite struct DatasetImportTests {
    func store() throws -> RunStore {
        try RunStore(path: temporaryDirectory().appendingPathComponent("runs.db").path)
    }

    func parse(_ text: String, name: String) throws -> Dataset {
        try DataFile.parse(text, file: "\(name).csv", name: name)
    }

    let first = "a,b,class\n1,2,x\n3,4,y\n5,6,x\n"

    @Test func theSameContentIsStoredOnce() throws {
        let store = try store()
        let one = try DatasetImport.store(parse(first, name: "t"), sourcePath: "t.csv", in: store)
        #expect(one.isNew)
        #expect(one.record.version == 1)
        #expect(one.record.name == "t")
        #expect(one.record.sourcePath == "t.csv")
        #expect(one.record.rowCount == 3)
        #expect(one.record.classNames == ["x", "y"])
        // Written differently (CRLF, quotes, spaces, 2.0 for 2): the same content.
        let again = try DatasetImport.store(parse("\u{FEFF}a,b,label\r\n1, 2.0 ,x\r\n\"3\",4,y\r\n5,6,x\r\n\r\n", name: "t"),
                                            sourcePath: "other.csv", in: store)
        #expect(!again.isNew)
        #expect(again.record == one.record)
        // Under another name too: content identifies a data set, the first name stays.
        let renamed = try DatasetImport.store(parse(first, name: "u"), sourcePath: nil, in: store)
        #expect(!renamed.isNew)
        #expect(renamed.record.name == "t")
        #expect(try store.datasets().count == 1)
    }

    @Test func newContentUnderAStoredNameIsTheNextVersion() throws {
        let store = try store()
        let v1 = try DatasetImport.store(parse(first, name: "t"), sourcePath: "t.csv", in: store).record
        let v2 = try DatasetImport.store(parse(first + "7,8,y\n", name: "t"), sourcePath: "t.csv", in: store)
        #expect(v2.isNew)
        #expect(v2.record.version == 2)
        #expect(v2.record.id != v1.id)
        let other = try DatasetImport.store(parse("a,b,class\n1,2,p\n3,4,q\n", name: "other"), sourcePath: nil, in: store)
        #expect(other.record.version == 1)
        #expect(try store.dataset(named: "t")?.version == 2)
        #expect(try store.dataset(named: "t", version: 1) == v1)
        #expect(try store.dataset(named: "t", version: 3) == nil)
        #expect(try store.datasets().map { "\($0.name)@\($0.version)" } == ["other@1", "t@1", "t@2"])
        // Each version keeps its own content.
        let stored = try #require(try store.dataset(named: "t", version: 1))
        let back = try Dataset.fromCanonicalCSV(name: "t", text: stored.content)
        #expect(back.rowCount == 3)
    }

    /// Runs keep pointing at the version they used when the data file changes.
    @Test func runsKeepTheVersionTheyUsed() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let data = dir.appendingPathComponent("iris.data")
        try FileManager.default.copyItem(at: fixture("data/iris.data"), to: data)
        let text = #"{"name": "NAME", "dataset": "iris.data", "seeds": [1], "grid": {"hidden_layers": [[4]], "epochs": [3]}}"#
        let first = try GridFile.parse(text.replacingOccurrences(of: "NAME", with: "first"), url: dir.appendingPathComponent("g1.json"))
        try runSweep(first, db: db, jobs: 1)
        // The file changes: one row fewer.
        let lines = try String(contentsOf: data, encoding: .utf8).split(separator: "\n")
        try (lines.dropFirst().joined(separator: "\n") + "\n").write(to: data, atomically: true, encoding: .utf8)
        let second = try GridFile.parse(text.replacingOccurrences(of: "NAME", with: "second"), url: dir.appendingPathComponent("g2.json"))
        try runSweep(second, db: db, jobs: 1)
        let store = try RunStore(path: db)
        let used = try store.connection.query("""
            SELECT s.name, d.name, d.version, d.row_count FROM runs r JOIN sweeps s USING (sweep_id)
            JOIN datasets d ON d.dataset_id = r.dataset_id ORDER BY s.name
            """) { "\($0.string(0)!): \($0.string(1)!)@\($0.int(2)!) \($0.int(3)!) rows" }
        #expect(used == ["first: iris@1 150 rows", "second: iris@2 149 rows"])
    }
}
