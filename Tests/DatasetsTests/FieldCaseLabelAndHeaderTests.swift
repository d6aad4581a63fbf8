import Foundation
import Testing
@testable import Datasets

/// The data field cases d15-d21 (shared cases README, section data/) as far as reading goes;
/// training and the database file are checked in ExpTests and SweepTests.
@Suite struct FieldCaseLabelAndHeaderTests {
    @Test func d15NearConstantColumnIsReadAsWritten() throws {
        let dataset = try Fixture.read("d15_near_constant_column_train.csv")
        #expect(dataset.rowCount == 30)
        #expect(dataset.featureNames.last == "temp_c")
        #expect((0..<30).allSatisfy { featureRow(dataset, $0)[4] == 14.62 })
        let score = try DataFile.readTable(Fixture.url("d15_near_constant_column_score.csv"), options: ImportOptions(labelColumn: .none))
        #expect(score.rowCount == 4)
        #expect(score.featureNames == dataset.featureNames)
    }

    @Test func d16HugeColumnIsReadExactly() throws {
        let dataset = try Fixture.read("d16_feature_scaled_1e200.data")
        #expect(dataset.rowCount == 150)
        #expect(featureRow(dataset, 0) == [5.1, 3.5, 1.4e200, 0.2])
    }

    /// `exp data show`'s standard deviation of a column near 1e200 is finite and true: the
    /// scaler's formula (Determinism's ColumnMoments), not squares that overflow.
    @Test func d16SummaryGivesTheTrueStandardDeviation() throws {
        let dataset = try Fixture.read("d16_feature_scaled_1e200.data")
        let column = (0..<dataset.rowCount).map { featureRow(dataset, $0)[2] / 1e200 }
        let mean = column.reduce(0, +) / Double(column.count)
        let truth = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot() * 1e200
        let range = DatasetSummary(dataset).features[2]
        #expect(range.standardDeviation.isFinite)
        #expect(abs(range.standardDeviation - truth) / truth < 1e-9, "\(range.standardDeviation) versus \(truth)")
        #expect(abs(range.standardDeviation - 1.75853e200) < 1e195, "petal length: 1.75853 cm")
        #expect(abs(range.mean - mean * 1e200) / (mean * 1e200) < 1e-12)
        #expect(range.minimum == 1e200 && range.maximum == 6.9e200)
        // Near 1e-300 the squares would underflow to 0.
        let tiny = try DataFile.parse("a,c\n1e-300,x\n3e-300,y\n", file: "t", name: "t")
        let sd = DatasetSummary(tiny).features[0].standardDeviation
        #expect(abs(sd - 1e-300) / 1e-300 < 1e-12, "\(sd)")
    }

    @Test func d17NoneIsAClassName() throws {
        let (dataset, notes) = try DataFile.readNoted(Fixture.url("d17_class_named_none.csv"))
        #expect(dataset.rowCount == 9)
        #expect(dataset.classNames == ["Mild", "None", "Severe"])
        #expect(dataset.classCounts == [3, 3, 3])
        #expect(notes == ["label 'None' is read as a class name, not as a missing value (only an empty label is missing)"])
    }

    @Test func labelsThatLookMissingAreClassesButFeaturesAreNot() throws {
        let dataset = try DataFile.parse("1,NA\n2,na\n3,?\n4,null\n", file: "t.csv", name: "t")
        #expect(dataset.classNames == ["?", "NA", "na", "null"])
        let error = try importError("NA,a\n2,b\n")
        #expect(error.problems == [Problem(line: 1, column: 1, message: "missing value 'NA'")])
        #expect(try importError("1,a\n2,\n3,b\n").problems == [Problem(line: 2, column: 2, message: "missing label (empty field)")])
    }

    @Test func d18NumericLabelSpellingsAreOneClass() throws {
        let (dataset, notes) = try DataFile.readNoted(Fixture.url("d18_numeric_label_spellings.csv"))
        #expect(dataset.classNames == ["0", "1", "2"])
        #expect(dataset.classCounts == [10, 10, 10])
        #expect(notes == ["labels are numbers written in more than one way, compared as numbers: read '0.0' as '0', '1.0' as '1', '2.0' as '2'"])
        // Text labels are compared as text; numbers written one way are left alone.
        #expect(try DataFile.parse("1,a\n2,A\n", file: "t", name: "t").classNames == ["A", "a"])
        let (plain, none) = try DataFile.readNoted(Fixture.url("d04a_iris_noheader.data"))
        #expect(none.isEmpty)
        #expect(plain.classNames.count == 3)
        #expect(try DataFile.parse("1,10\n2,2\n3,2.50\n4,2.5\n", file: "t", name: "t").classNames == ["2", "2.5", "10"])
        // Stored content is read back verbatim: canonical CSV never merges.
        let stored = try Dataset.fromCanonicalCSV(name: "s", text: "x1,class\n1.0,0\n2.0,0.0\n")
        #expect(stored.classNames == ["0", "0.0"])
    }

    @Test func d18ScoringLabelsNameNumericClassesAsNumbers() throws {
        let table = try DataFile.parseTable("a,target\n1,1.0\n2,0\n3,2.00\n4,x\n", file: "t", name: "t")
        #expect(table.labels(matching: ["0", "1", "2"]) == ["1", "0", "2", "x"])
        #expect(table.labels(matching: ["a", "b"]) == ["1.0", "0", "2.00", "x"])
    }

    @Test func d19DuplicateHeaderNamesAreRefused() throws {
        let error = try Fixture.importError("d19_duplicate_header_names.csv")
        #expect(error.problems == [Problem(line: 1, message: "repeated column names 'length' (columns 1, 3), 'width' (columns 2, 4): "
            + "features are matched by name, so every column needs its own name")])
        // Scoring files are held to the same rule.
        #expect(throws: DataImportError.self) {
            try DataFile.parseTable("a,a\n1,2\n", file: "t", name: "t", options: ImportOptions(header: .yes, labelColumn: .none))
        }
    }

    @Test func d20UTF16IsRecognisedWhateverTheDelimiter() throws {
        for options in [ImportOptions(), ImportOptions(delimiter: "\t")] {
            let error = try Fixture.importError("d20_utf16le_no_bom.txt", options: options)
            #expect(error.problems == [Problem(line: 1, message: "UTF-16 text; save the file as UTF-8")])
        }
        var bigEndianWithMark = Data([0xFE, 0xFF])
        bigEndianWithMark.append(contentsOf: "a,b\n".utf8.flatMap { [0, $0] })
        #expect(throws: DataImportError(file: "t", problems: [Problem(line: 1, message: "UTF-16 text; save the file as UTF-8")])) {
            try DataFile.parse(bigEndianWithMark, file: "t", name: "t")
        }
    }

    @Test func latin1NamesTheLineAndColumnOfTheFirstBadByte() throws {
        var bytes = Data("x,y,label\n1,2,a\n3,4,caf".utf8)
        bytes.append(0xE9)  // é in Latin-1 and cp1252
        bytes.append(contentsOf: "\n".utf8)
        #expect(throws: DataImportError(file: "t", problems: [Problem(line: 3, column: 3, message: "not UTF-8 text (save the file as UTF-8)")])) {
            try DataFile.parse(bytes, file: "t", name: "t")
        }
    }

    @Test func d21SingletonClassIsReadWithANote() throws {
        let (dataset, notes) = try DataFile.readNoted(Fixture.url("d21_singleton_class_last.data"))
        #expect(dataset.classCounts == [10, 10, 1])
        #expect(dataset.classNames.last == "Zeta-one")
        #expect(notes == ["class 'Zeta-one' has 1 row: too few to appear in both the training and the test part of a split"])
    }

    @Test func pandasIndexIsNotAFeatureConsecutiveOrNot() throws {
        let text = ",a,b,label\n17,1.0,2.0,x\n3,1.5,2.5,y\n42,2.0,3.0,x\n"
        let dataset = try DataFile.parse(text, file: "t.csv", name: "t")
        #expect(dataset.featureNames == ["a", "b"])
        #expect(featureRow(dataset, 0) == [1.0, 2.0])
        let table = try DataFile.parseTable(",a,b\n9,1.0,2.0\n4,3.0,4.0\n", file: "t.csv", name: "t",
                                            options: ImportOptions(labelColumn: .none))
        #expect(table.featureNames == ["a", "b"])
        #expect(table.features == [1.0, 2.0, 3.0, 4.0])
        // R's write.table: no header field over the row names.
        let r = try DataFile.parse("a,b,label\n5,1.0,2.0,x\n2,1.5,2.5,y\n", file: "t.csv", name: "t")
        #expect(r.featureNames == ["a", "b"])
    }

    @Test func textFeatureColumnIsOneProblem() throws {
        let text = "size,color,label\n" + (1...30).map { "\($0),\(["red", "blue", "green", "red"][$0 % 4]),c\($0 % 2)" }.joined(separator: "\n")
        let error = try importError(text)
        #expect(error.problems == [Problem(line: 0, message: "column 2 'color' holds text: 'blue', 'green', 'red'; exp trains on numeric features only")])
        // A word in a numeric column is still reported at its line.
        #expect(try importError("a,b\n1,x\n2,y\n3cm,x\n").problems == [Problem(line: 4, column: 1, message: "'3cm' is not a number")])
    }

    @Test func urlsAreNotLookedUp() throws {
        do {
            _ = try DataFile.read(URL(fileURLWithPath: "https://example.org/iris.csv"))
            Issue.record("expected an error")
        } catch let error as DataImportError {
            #expect(error.problems == [Problem(line: 0, message: "URLs are not read; download the file first")])
        }
        #expect(DataFile.isRemote("s3://bucket/x.csv"))
        #expect(!DataFile.isRemote("C:/data/x.csv"))
        #expect(!DataFile.isRemote("data/x:y.csv"))
    }
}
