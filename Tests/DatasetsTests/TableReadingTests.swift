import Foundation
import Testing
@testable import Datasets

/// `DataFile.readTable` and `parseTable` (rows to score with a model: features only, or labels
/// without the class minimum) and `DataFile.columnCount`.
@Suite struct TableReadingTests {
    let noLabel = ImportOptions(labelColumn: .none)

    func table(_ text: String, options: ImportOptions = .init()) throws -> DataTable {
        try DataFile.parseTable(text, file: "t.csv", name: "t", options: options)
    }

    func tableError(_ text: String, options: ImportOptions = .init()) throws -> DataImportError {
        do {
            let table = try table(text, options: options)
            Issue.record("expected an import error, read \(table.rowCount) rows")
            throw Fixture.FixtureFailure.noError
        } catch let error as DataImportError {
            return error
        }
    }

    @Test func featuresOnlyWithoutHeader() throws {
        let read = try table("5.1,3.5,1.4,0.2\n4.9,3.0,1.4,0.2\n", options: noLabel)
        #expect(read.featureNames == ["x1", "x2", "x3", "x4"])
        #expect(read.rowCount == 2)
        #expect(read.features == [5.1, 3.5, 1.4, 0.2, 4.9, 3.0, 1.4, 0.2])
        #expect(read.labels == nil)
        #expect(read.labelNames.isEmpty)
    }

    @Test func featuresOnlyWithHeaderBOMAndCRLF() throws {
        let read = try table("\u{FEFF}a, b\r\n\r\n 1 ,2\r\n3,4\r\n\r\n", options: noLabel)
        #expect(read.featureNames == ["a", "b"])
        #expect(read.features == [1, 2, 3, 4])
        #expect(read.labels == nil)
        // CR-only line ends, and a single feature column.
        let single = try table("x\r1.5\r2.5\r", options: noLabel)
        #expect(single.featureNames == ["x"])
        #expect(single.features == [1.5, 2.5])
    }

    @Test func featuresOnlyDropsRowNumbers() throws {
        let read = try table("\"\",\"a\",\"b\"\n\"1\",5,6\n\"2\",7,8\n", options: noLabel)
        #expect(read.featureNames == ["a", "b"])
        #expect(read.features == [5, 6, 7, 8])
    }

    @Test func featuresOnlyRefusesWhatADatasetRefuses() throws {
        let error = try tableError("a,b\n1,?\nnan,2\n3\n", options: noLabel)
        #expect(error.problems == [
            Problem(line: 2, column: 2, message: "missing value '?'"),
            Problem(line: 3, column: 1, message: "'nan' is not a finite number"),
            Problem(line: 4, message: "1 field, 2 expected"),
        ])
        // A text label column read as a feature is one problem for the column.
        let labelled = try tableError("1,2,setosa\n3,4,setosa\n", options: noLabel)
        #expect(labelled.problems == [Problem(line: 0, message: "column 3 'x3' holds text: 'setosa'; exp trains on numeric features only")])
        #expect(try tableError("", options: noLabel).description == "t.csv: no data rows: the file is empty")
        #expect(try tableError("a,b\n", options: noLabel).description == "t.csv: no data rows")
        let meta = try tableError("2,1,a,b\n1,0\n2,1\n", options: noLabel)
        #expect(meta.problems.map(\.line) == [1])
        #expect(meta.description.contains("scikit-learn metadata"))
    }

    @Test func labelledRowsAllowOneClassAndOneRow() throws {
        let one = try table("1,2,a\n3,4,a\n")
        #expect(one.labels == ["a", "a"])
        #expect(one.labelNames == ["a"])
        #expect(one.features == [1, 2, 3, 4])
        let row = try table("a,b,species\n1,2, setosa \n")
        #expect(row.rowCount == 1)
        #expect(row.featureNames == ["a", "b"])
        #expect(row.labels == ["setosa"])
        // The label column by name or index, as for a data set.
        let first = try table("species,a\nx,1\nx,2\n", options: ImportOptions(labelColumn: .name("species")))
        #expect(first.labels == ["x", "x"])
        #expect(first.features == [1, 2])
        #expect(try table("x;1,5\n", options: ImportOptions(labelColumn: .index(0), delimiter: ";", decimalComma: true)).features == [1.5])
    }

    @Test func labelledRowsRefuseMissingLabelsWithTheirPlace() throws {
        let error = try tableError("1,2,a\n3,4,\n5,inf,a\n")
        #expect(error.problems == [
            Problem(line: 2, column: 3, message: "missing label (empty field)"),
            Problem(line: 3, column: 2, message: "'inf' is not a finite number"),
        ])
        // A label that looks like a missing-value marker is a class name.
        #expect(try table("1,2,a\n3,4,NA\n").labels == ["a", "NA"])
    }

    @Test func labelledRowsMatchTheDatasetReading() throws {
        for file in ["d02_iris_crlf.data", "d03_iris_bom_header.csv", "d04c_iris_sklearn_style_meta_header.csv",
                     "d05_iris_r_export_quoted_rownames.csv", "d14_iris_cr_only.data"] {
            let dataset = try Fixture.read(file)
            let read = try DataFile.readTable(Fixture.url(file))
            #expect(read.name == dataset.name)
            #expect(read.featureNames == dataset.featureNames, "\(file)")
            #expect(read.features == dataset.features, "\(file)")
            #expect(read.labels == labelNames(dataset), "\(file)")
            #expect(read.labelNames == dataset.classNames, "\(file)")
        }
    }

    @Test func datasetsStillNeedTwoClassesAndALabelColumn() throws {
        #expect(try importError("1,2,a\n3,4,a\n").description
            == "t.csv: only one class ('a') in 2 rows: classification needs at least 2 classes")
        let none = try importError("1,2\n3,4\n", options: noLabel)
        #expect(none.problems.map(\.line) == [0])
        #expect(none.description.hasPrefix("t.csv: no label column: a data set needs one"))
    }

    @Test func columnCountTellsWhetherThereIsALabel() throws {
        #expect(try DataFile.columnCount("1,2,3,4,a\n5,6,7,8,b\n", file: "t.csv") == 5)
        #expect(try DataFile.columnCount("a,b,c,d\n1,2,3,4\n", file: "t.csv") == 4)
        #expect(try DataFile.columnCount("\"\",\"a\",\"b\"\n\"1\",5,6\n\"2\",7,8\n", file: "t.csv") == 2)
        #expect(try DataFile.columnCount("2,1,a,b\n1,0\n2,1\n", file: "t.csv") == 2)
        #expect(try DataFile.columnCount("1\n2\n", file: "t.csv") == 1)
        #expect(try DataFile.columnCount(Fixture.url("d04b_iris_header.csv")) == 5)
        #expect(throws: DataImportError.self) { try DataFile.columnCount("1;2;a\n3;4;b\n", file: "t.csv") }
        #expect(throws: DataImportError.self) {
            try DataFile.columnCount("a,b\n1,2\n", file: "t.csv", options: ImportOptions(labelColumn: .name("species")))
        }
    }

    @Test func selectingFeaturesReordersColumns() throws {
        let read = try table("a,b,c\n1,2,3\n4,5,6\n", options: noLabel)
        let reordered = read.selectingFeatures([2, 0])
        #expect(reordered.featureNames == ["c", "a"])
        #expect(reordered.features == [3, 1, 6, 4])
        #expect(reordered.rowCount == 2)
    }
}
