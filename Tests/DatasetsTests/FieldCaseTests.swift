import Foundation
import Testing
@testable import Datasets

/// The data field cases (shared cases README, section data/): each file and its required reading.
@Suite struct FieldCaseTests {
    let irisClasses = ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    let firstRow: [Double] = [5.0, 3.3, 1.4, 0.2]

    @Test func d01TrailingBlankLinesAreSkipped() throws {
        let dataset = try Fixture.read("d01_iris_trailing_blank_lines.data")
        #expect(dataset.rowCount == 6)
        #expect(dataset.classNames == irisClasses)
        #expect(dataset.classCounts == [2, 2, 2])
        for row in 0..<dataset.rowCount {
            #expect(featureRow(dataset, row).contains { $0 != 0 }, "row \(row) is all zeros")
        }
        #expect(dataset.name == "d01_iris_trailing_blank_lines")
    }

    @Test func d02CRLFLineEnds() throws {
        let dataset = try Fixture.read("d02_iris_crlf.data")
        #expect(dataset.rowCount == 6)
        #expect(dataset.classNames == irisClasses)
        #expect(!dataset.classNames.contains { $0.unicodeScalars.contains("\r") })
        #expect(featureRow(dataset, 5) == [7.0, 3.1, 5.9, 2.2])
    }

    @Test func d14CROnlyLineEnds() throws {
        let dataset = try Fixture.read("d14_iris_cr_only.data")
        #expect(dataset.rowCount == 6)
        #expect(dataset.classNames == irisClasses)
        #expect(featureRow(dataset, 0) == firstRow)
    }

    @Test func lineEndsDoNotChangeTheContentHash() throws {
        let lf = try Fixture.read("d04a_iris_noheader.data")
        let crlf = try Fixture.read("d02_iris_crlf.data")
        let cr = try Fixture.read("d14_iris_cr_only.data")
        let blank = try Fixture.read("d01_iris_trailing_blank_lines.data")
        #expect(crlf.contentHash == lf.contentHash)
        #expect(cr.contentHash == lf.contentHash)
        #expect(blank.contentHash == lf.contentHash)
    }

    @Test func d03ByteOrderMarkIsDropped() throws {
        let dataset = try Fixture.read("d03_iris_bom_header.csv")
        #expect(dataset.featureNames.first == "sepal_length")
        #expect(dataset.featureNames.first?.unicodeScalars.count == "sepal_length".unicodeScalars.count)
        #expect(dataset.rowCount == 6)
        #expect(dataset.contentHash == (try Fixture.read("d04b_iris_header.csv")).contentHash)
    }

    @Test func d04aNoHeaderNamesFeaturesByPosition() throws {
        let dataset = try Fixture.read("d04a_iris_noheader.data")
        #expect(dataset.rowCount == 6)
        #expect(dataset.featureNames == ["x1", "x2", "x3", "x4"])
        #expect(featureRow(dataset, 0) == firstRow)
    }

    @Test func d04bHeaderIsNeverADataRow() throws {
        let dataset = try Fixture.read("d04b_iris_header.csv")
        #expect(dataset.rowCount == 6)
        #expect(dataset.featureNames == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        #expect(dataset.classNames == irisClasses)
        #expect(featureRow(dataset, 0) == firstRow)
    }

    @Test func d04cScikitLearnMetadataLineIsRecognised() throws {
        let dataset = try Fixture.read("d04c_iris_sklearn_style_meta_header.csv")
        #expect(dataset.rowCount == 6)
        #expect(dataset.classNames == ["setosa", "versicolor", "virginica"])
        #expect(labelNames(dataset) == ["setosa", "setosa", "versicolor", "versicolor", "virginica", "virginica"])
        #expect(dataset.featureNames == ["x1", "x2", "x3", "x4"])
        #expect(featureRow(dataset, 0) == firstRow)
        #expect(featureRow(dataset, 5) == [7.0, 3.1, 5.9, 2.2])
    }

    @Test func d05RExportRowNumbersAreNotAFeature() throws {
        let dataset = try Fixture.read("d05_iris_r_export_quoted_rownames.csv")
        #expect(dataset.featureCount == 4)
        #expect(dataset.featureNames == ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"])
        #expect(dataset.classNames == ["setosa", "versicolor", "virginica"])
        #expect(dataset.rowCount == 6)
        #expect(featureRow(dataset, 0) == firstRow)
    }

    @Test func d06aWhitespaceAroundFieldsAndLabelsIsTrimmed() throws {
        let dataset = try Fixture.read("d06a_labels_whitespace_train.data")
        #expect(dataset.classNames == irisClasses)
        #expect(dataset.classCounts == [2, 2, 2])
        #expect(featureRow(dataset, 0) == firstRow)
    }

    @Test func d06bTrailingPeriodLabelsAreReadAsWritten() throws {
        let dataset = try Fixture.read("d06b_labels_trailing_period_test.data")
        #expect(dataset.classNames == ["Iris-setosa.", "Iris-versicolor.", "Iris-virginica."])
        #expect(dataset.rowCount == 3)
    }

    @Test func d07EveryMissingValueIsReported() throws {
        let error = try Fixture.importError("d07_missing_values.data")
        #expect(error.problems == [
            Problem(line: 2, column: 2, message: "missing value '?'"),
            Problem(line: 3, column: 3, message: "missing value (empty field)"),
            Problem(line: 4, column: 4, message: "missing value 'NA'"),
            Problem(line: 5, column: 5, message: "missing label (empty field)"),
        ])
        #expect(error.description == "d07_missing_values.data: line 2, column 2: missing value '?'; "
            + "line 3, column 3: missing value (empty field); line 4, column 4: missing value 'NA'; "
            + "line 5, column 5: missing label (empty field)")
    }

    @Test func d08NonNumbersRaggedRowsAndNonFiniteNumbers() throws {
        let error = try Fixture.importError("d08_nonnumeric_and_ragged.data")
        #expect(error.problems == [
            Problem(line: 2, column: 2, message: "'3.2cm' is not a number"),
            Problem(line: 4, message: "4 fields, 5 expected"),
            Problem(line: 5, message: "6 fields, 5 expected"),
            Problem(line: 7, column: 1, message: "'1e400' is not a finite number"),
            Problem(line: 8, column: 1, message: "'nan' is not a finite number"),
        ])
    }

    @Test func d09SemicolonFileIsRefusedWithAdvice() throws {
        let error = try Fixture.importError("d09_semicolon_decimal_comma.csv")
        #expect(error.problems.count == 1)
        #expect(error.description.contains("looks ';'-separated"))
        #expect(error.description.contains("--delimiter ';' --decimal-comma"))
    }

    @Test func d09ReadsWithSemicolonAndDecimalComma() throws {
        let dataset = try Fixture.read("d09_semicolon_decimal_comma.csv",
                                       options: ImportOptions(delimiter: ";", decimalComma: true))
        #expect(dataset.rowCount == 6)
        #expect(dataset.featureNames == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        #expect(featureRow(dataset, 0) == firstRow)
        #expect(dataset.features.allSatisfy { $0 < 10 }, "a decimal comma was read as a thousands separator")
        #expect(dataset.contentHash == (try Fixture.read("d04b_iris_header.csv")).contentHash)
    }

    @Test(arguments: [UInt64(0), 1, 7, 42, 2024])
    func d11StratifiedSplitKeepsEveryClassEverywhere(seed: UInt64) throws {
        let dataset = try Fixture.read("d11_iris_class_ordered_30.data")
        #expect(dataset.classCounts == [10, 10, 10])
        let split = try Splitter.stratified(labels: dataset.labels, classCount: dataset.classNames.count,
                                            testFraction: 0.2, validationFraction: 0.2, seed: seed)
        for label in 0..<3 {
            #expect(split.test.filter { dataset.labels[$0] == label }.count == 2)
            #expect(split.validation.filter { dataset.labels[$0] == label }.count == 2)
            #expect(split.train.filter { dataset.labels[$0] == label }.count == 6)
        }
        // The row indices can be stored with a run and read back unchanged.
        let stored = try JSONEncoder().encode(split)
        #expect(try JSONDecoder().decode(Split.self, from: stored) == split)
    }
}
