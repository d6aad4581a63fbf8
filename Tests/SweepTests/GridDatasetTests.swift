import Datasets
import Foundation
import Testing
import TestSupport
@testable import Sweep

/// The grid's `dataset` key: a path, or an object with a path and the options of `exp data import`.
@Suite struct GridDatasetTests {
    /// Grid text with `dataset` as given (raw JSON).
    func gridText(dataset: String) -> String {
        """
        {
          "name": "d",
          "dataset": \(dataset),
          "seeds": [1],
          "grid": {"epochs": [5]}
        }
        """
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try grid(text)
            return []
        } catch let error as GridError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func aPathStaysValidWithDefaultOptions() throws {
        let file = try grid(gridText(dataset: #""data/iris.data""#))
        #expect(file.datasetURL == fixture("data/iris.data").standardizedFileURL)
        #expect(file.datasetOptions == ImportOptions())
    }

    @Test func anObjectCarriesEveryImportOption() throws {
        let file = try grid(gridText(dataset: """
            {"path": "data/iris.data", "label_column": 0, "header": "yes", "delimiter": ";", "decimal_comma": true}
            """))
        #expect(file.datasetURL == fixture("data/iris.data").standardizedFileURL)
        #expect(file.datasetOptions == ImportOptions(header: .yes, labelColumn: .index(0), delimiter: ";", decimalComma: true))
    }

    @Test func anObjectWithOnlyAPathIsThePath() throws {
        let file = try grid(gridText(dataset: #"{"path": "data/iris.data"}"#))
        #expect(file.datasetOptions == ImportOptions())
    }

    @Test func labelColumnByNameAndTabDelimiter() throws {
        let file = try grid(gridText(dataset: #"{"path": "data/iris.data", "label_column": "species", "delimiter": "\t", "decimal_comma": false}"#))
        #expect(file.datasetOptions == ImportOptions(labelColumn: .name("species"), delimiter: "\t"))
    }

    @Test func everyProblemIsReportedWithItsPathAndLine() {
        let found = problems("""
            {
              "name": "d",
              "dataset": {
                "label_column": 1.5,
                "header": "maybe",
                "delimiter": ";;",
                "decimal_comma": "yes",
                "delimeter": ";"
              },
              "seeds": [1],
              "grid": {"epochs": [5]}
            }
            """)
        let expected = [
            "line 3, column 14: dataset: missing key \"path\" (the data file, relative to the grid file)",
            "line 4, column 21: dataset.label_column: expected a column name (string) or a 0-based column index (integer), found the number 1.5",
            "line 5, column 15: dataset.header: unknown value \"maybe\"; valid values: auto, yes, no",
            "line 6, column 18: dataset.delimiter: must be one character other than '\"' or a line end (a tab is \"\\t\"), found the string \";;\"",
            "line 7, column 22: dataset.decimal_comma: expected true or false, found the string \"yes\"",
            "line 8, column 5: dataset.delimeter: unknown key \"delimeter\"; valid keys: path, label_column, header, delimiter, decimal_comma",
        ]
        #expect(Set(found) == Set(expected), "\(found)")
    }

    @Test func decimalCommaNeedsAnotherDelimiter() {
        #expect(problems(gridText(dataset: #"{"path": "x.csv", "decimal_comma": true}"#))
            == [#"line 3, column 49: dataset.decimal_comma: needs a delimiter other than "," (for example "delimiter": ";")"#])
        #expect(problems(gridText(dataset: #"{"path": "x.csv", "delimiter": ",", "decimal_comma": true}"#)).count == 1)
    }

    @Test func wrongShapesAndValues() {
        #expect(problems(gridText(dataset: "[\"a.csv\"]"))
            == [#"line 3, column 14: dataset: expected a file path (string) or an object with "path" and import options, found a list"#])
        #expect(problems(gridText(dataset: "5")) == ["line 3, column 14: dataset: expected a string, found the integer 5"])
        #expect(problems(gridText(dataset: #""""#)) == ["line 3, column 14: dataset: must not be empty"])
        #expect(problems(gridText(dataset: #"{"path": ""}"#)) == ["line 3, column 23: dataset.path: must not be empty"])
        #expect(problems(gridText(dataset: #"{"path": 3}"#)) == ["line 3, column 23: dataset.path: expected a string, found the integer 3"])
        #expect(problems(gridText(dataset: #"{"path": "x.csv", "label_column": -1}"#))
            == ["line 3, column 48: dataset.label_column: a column index must be at least 0 (0 is the first column), found -1"])
        #expect(problems(gridText(dataset: #"{"path": "x.csv", "label_column": ""}"#))
            == ["line 3, column 48: dataset.label_column: must not be empty"])
        #expect(problems(gridText(dataset: #"{"path": "x.csv", "header": true}"#))
            == ["line 3, column 42: dataset.header: expected a string, found true"])
        #expect(problems(gridText(dataset: #"{"path": "x.csv", "delimiter": "\""}"#)).count == 1)
    }

    @Test func aDuplicateKeyInTheObjectIsNamed() {
        let found = problems(gridText(dataset: #"{"path": "x.csv", "header": "yes", "header": "no"}"#))
        #expect(found.count == 1)
        #expect(found.first?.contains(#"dataset: duplicate key "header""#) == true, "\(found)")
    }

    @Test func otherProblemsAreStillReportedNextToTheDataset() {
        let found = problems("""
            {"name": "d", "dataset": {"path": "x.csv", "header": "maybe"}, "seeds": ["1"], "grid": {"epochs": [5]}}
            """)
        #expect(found.count == 2, "\(found)")
    }

    /// A `;`-separated file with decimal commas, a header and the label first: with the grid's
    /// options it is the same content as the comma-separated fixture, so the same stored data set.
    @Test func aSweepReadsItsDataWithTheGridsOptions() throws {
        let dir = temporaryDirectory()
        let iris = try String(contentsOf: fixture("data/iris.data"), encoding: .utf8)
        var european = "species;x1;x2;x3;x4\r\n"
        for line in iris.split(whereSeparator: \.isNewline) where !line.isEmpty {
            let fields = line.split(separator: ",")
            european += ([String(fields[4])] + fields[0..<4].map { $0.replacingOccurrences(of: ".", with: ",") })
                .joined(separator: ";") + "\r\n"
        }
        try european.write(to: dir.appendingPathComponent("iris-eu.csv"), atomically: true, encoding: .utf8)
        let text = """
            {"name": "eu", "dataset": {"path": "iris-eu.csv", "label_column": "species", "delimiter": ";", "decimal_comma": true},
             "seeds": [1], "grid": {"hidden_layers": [[4]], "epochs": [5]}}
            """
        let euGrid = try GridFile.parse(text, url: dir.appendingPathComponent("eu.json"))
        // Without the options the file is refused, pointing at the options to use.
        #expect(throws: DataImportError.self) { try DatasetImport.read(euGrid.datasetURL) }
        let db = dir.appendingPathComponent("runs.db").path
        let (prepared, summary) = try runSweep(euGrid, db: db, jobs: 1)
        #expect(summary.counts == [.finished: 1])
        let plain = try DatasetImport.read(fixture("data/iris.data"))
        #expect(prepared.dataset.contentHash == plain.contentHash)
        #expect(prepared.dataset.name == "iris-eu")
    }
}
