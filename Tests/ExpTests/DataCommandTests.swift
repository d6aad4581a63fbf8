import Foundation
import Testing
import TestSupport
import Tracker

/// `exp data import`, `exp data list` and `exp data show`, run as a user runs them.
@Suite struct DataCommandTests {
    /// A folder holding a copy of `Data/iris.data`.
    func folderWithIris() throws -> URL {
        let dir = temporaryDirectory()
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Data/iris.data"),
                                         to: dir.appendingPathComponent("iris.data"))
        return dir
    }

    @Test func importStoresOnceThenVersionsNewContent() throws {
        let dir = try folderWithIris()
        let first = try exp(["data", "import", "iris.data"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("imported iris@1: 150 rows x 4 features, 3 classes, sha256 8bd263797350 -> runs.db"))

        let again = try exp(["data", "import", "iris.data", "--name", "flowers"], in: dir)
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("already stored as iris@1 (not stored again as 'flowers'): 150 rows"), "\(again.stdout)")

        // The same name, new content (the corrected Iris): version 2.
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Data/bezdekIris.data"),
                                         to: dir.appendingPathComponent("bezdek.data"))
        let second = try exp(["data", "import", "bezdek.data", "--name", "iris"], in: dir)
        #expect(second.status == 0)
        #expect(second.stdout.hasPrefix("imported iris@2: 150 rows"), "\(second.stdout)")

        let list = try exp(["data", "list"], in: dir)
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("data set") == true)
        #expect(lines.dropFirst().map { String($0.prefix(6)) } == ["iris@1", "iris@2"])
        #expect(lines[1].contains("iris.data") && lines[2].contains("bezdek.data"))

        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        #expect(try store.datasets().map(\.version) == [1, 2])
    }

    @Test func showDescribesTheNewestOrTheNamedVersion() throws {
        let dir = try folderWithIris()
        #expect(try exp(["data", "import", "iris.data", "--db", "d.db"], in: dir).status == 0)
        let show = try exp(["data", "show", "iris", "--db", "d.db"], in: dir)
        #expect(show.status == 0, "\(show.stderr)")
        let text = show.stdout
        for expected in ["data set: iris@1", "rows: 150", "features: 4", "classes: 3", "duplicate rows: 3 ",
                         "conflicting rows: 0 ", "sweeps: none"] {
            #expect(text.contains(expected), "missing \(expected) in \(text)")
        }
        let setosa = text.split(separator: "\n").first { $0.contains("Iris-setosa") }
        #expect(setosa.map { $0.split(separator: " ").map(String.init) } == ["Iris-setosa", "50", "33.3%"])
        let x1 = text.split(separator: "\n").first { $0.hasPrefix("  x1 ") }
        #expect(x1.map { $0.split(separator: " ").prefix(3).map(String.init) } == ["x1", "4.3", "7.9"])
        #expect(try exp(["data", "show", "iris@1", "--db", "d.db"], in: dir).stdout == text)

        let missing = try exp(["data", "show", "iris@2", "--db", "d.db"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr == "exp: no data set 'iris@2' in d.db (stored: iris@1)\n")
        let noDatabase = try exp(["data", "list", "--db", "none.db"], in: dir)
        #expect(noDatabase.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("none.db").path))
    }

    @Test func badInputIsOneLineExitTwoAndNothingStored() throws {
        let dir = temporaryDirectory()
        try "a,b,class\n1,?,x\n2,3\n4,nan,y\n".write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try exp(["data", "import", "bad.csv"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr == "exp: bad.csv: line 2, column 2: missing value '?'; line 3: 2 fields, 3 expected; line 4, column 2: 'nan' is not a finite number\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))

        // With a database already there, still nothing is stored.
        try "a,b,class\n1,2,x\n3,4,y\n".write(to: dir.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
        #expect(try exp(["data", "import", "good.csv"], in: dir).status == 0)
        try "a;b;class\n1,5;2;x\n3;4;y\n".write(to: dir.appendingPathComponent("semi.csv"), atomically: true, encoding: .utf8)
        let semicolons = try exp(["data", "import", "semi.csv"], in: dir)
        #expect(semicolons.status == 2)
        #expect(semicolons.stderr.hasPrefix("exp: semi.csv: the file looks ';'-separated"))
        #expect(!semicolons.stderr.dropLast().contains("\n"))
        let missingFile = try exp(["data", "import", "nowhere.csv"], in: dir)
        #expect(missingFile.status == 2)
        #expect(missingFile.stderr.hasPrefix("exp: nowhere.csv: cannot read the file"))
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        #expect(try store.datasets().map(\.name) == ["good"])
    }

    @Test func importOptionsReachTheReader() throws {
        let dir = temporaryDirectory()
        try "species;length;width\r\nsmall;1,5;2\r\nlarge;3;4,25\r\nsmall;1;2\r\n"
            .write(to: dir.appendingPathComponent("eu.csv"), atomically: true, encoding: .utf8)
        let imported = try exp(["data", "import", "eu.csv", "--delimiter", ";", "--decimal-comma", "--label-column", "species",
                                "--header", "yes", "--name", "eu"], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported eu@1: 3 rows x 2 features, 2 classes"))
        // The same table, tab-separated with the label first by index: the same content.
        try "x\tlength\twidth\nsmall\t1.5\t2\nlarge\t3\t4.25\nsmall\t1\t2\n"
            .write(to: dir.appendingPathComponent("tabs.tsv"), atomically: true, encoding: .utf8)
        let tabs = try exp(["data", "import", "tabs.tsv", "--delimiter", "\\t", "--label-column", "0"], in: dir)
        #expect(tabs.status == 0, "\(tabs.stderr)")
        #expect(tabs.stdout.hasPrefix("already stored as eu@1 (not stored again as 'tabs')"), "\(tabs.stdout)")

        let badHeader = try exp(["data", "import", "eu.csv", "--header", "maybe"], in: dir)
        #expect(badHeader.status != 0)
        #expect(badHeader.stderr.contains("--header must be auto, yes or no"))
        let badDelimiter = try exp(["data", "import", "eu.csv", "--delimiter", ";;"], in: dir)
        #expect(badDelimiter.status != 0)
        #expect(badDelimiter.stderr.contains("--delimiter must be one character"))
    }

    /// `exp sweep` reads its data set with the grid's options and stores it as `exp data import` does.
    @Test func sweepImportsItsDataSetTheSameWay() throws {
        let dir = try folderWithIris()
        let iris = try String(contentsOf: dir.appendingPathComponent("iris.data"), encoding: .utf8)
        let european = iris.split(separator: "\n").map { line in
            let f = line.split(separator: ",")
            return ([String(f[4])] + f[0..<4].map { $0.replacingOccurrences(of: ".", with: ",") }).joined(separator: ";")
        }.joined(separator: "\n")
        try european.write(to: dir.appendingPathComponent("iris-eu.txt"), atomically: true, encoding: .utf8)
        try """
            {"name": "eu", "dataset": {"path": "iris-eu.txt", "label_column": 0, "header": "no", "delimiter": ";", "decimal_comma": true},
             "seeds": [1], "grid": {"hidden_layers": [[4]], "epochs": [3]}}
            """.write(to: dir.appendingPathComponent("eu.json"), atomically: true, encoding: .utf8)
        let sweep = try exp(["sweep", "eu.json", "--quiet", "--jobs", "1"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let imported = try exp(["data", "import", "iris.data"], in: dir)
        #expect(imported.stdout.hasPrefix("already stored as iris-eu@1 (not stored again as 'iris')"), "\(imported.stdout)")
        let show = try exp(["data", "show", "iris-eu"], in: dir)
        #expect(show.stdout.contains("sweeps: eu (1 runs)"))

        try #"{"name": "bad", "dataset": {"path": "iris-eu.txt", "delimiter": ";", "decimal_comma": "yes"}, "grid": {}}"#
            .write(to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let bad = try exp(["sweep", "bad.json"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("dataset.decimal_comma: expected true or false"))
    }
}
