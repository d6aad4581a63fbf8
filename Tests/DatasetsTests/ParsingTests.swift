import Foundation
import Testing
@testable import Datasets

/// Parsing rules beyond the field cases: quoting, options, layouts and every error message.
@Suite struct ParsingTests {
    func parse(_ text: String, options: ImportOptions = .init()) throws -> Dataset {
        try DataFile.parse(text, file: "t.csv", name: "t", options: options)
    }

    @Test func quotedFieldsKeepEmbeddedDelimitersAndQuotes() throws {
        let dataset = try parse("a,b,label\n1,2,\"x, \"\"quoted\"\"\"\n3,4,y\n")
        #expect(dataset.classNames == ["x, \"quoted\"", "y"])
        #expect(dataset.features == [1, 2, 3, 4])
    }

    @Test func quotedLineEndInsideAFieldKeepsPhysicalLineNumbers() throws {
        let error = try importError("1,2,\"multi\nline\"\n3,4,y\n5,?,y\n")
        #expect(error.problems == [Problem(line: 4, column: 2, message: "missing value '?'")])
        let dataset = try parse("1,2,\"multi\nline\"\n3,4,y\n")
        #expect(dataset.classNames == ["multi\nline", "y"])
    }

    @Test func unterminatedQuoteIsReportedWhereItStarts() throws {
        let error = try importError("1,2,a\n3,4,\"b\n5,6,c\n")
        #expect(error.problems.map(\.line) == [2])
        #expect(error.description.contains("unterminated quoted field"))
    }

    @Test func blankLinesInTheMiddleAreSkippedAndCounted() throws {
        let error = try importError("1,2,a\n\n  \t \n3,x,b\n")
        #expect(error.problems == [Problem(line: 4, column: 2, message: "'x' is not a number")])
    }

    @Test func labelColumnByIndexAndByName() throws {
        let byIndex = try parse("a,1,2\nb,3,4\n", options: ImportOptions(labelColumn: .index(0)))
        #expect(byIndex.classNames == ["a", "b"])
        #expect(byIndex.features == [1, 2, 3, 4])
        let byName = try parse("f1,species,f2\n1,a,2\n3,b,4\n", options: ImportOptions(labelColumn: .name("species")))
        #expect(byName.featureNames == ["f1", "f2"])
        #expect(byName.features == [1, 2, 3, 4])
        let missing = try importError("f1,f2,c\n1,2,a\n3,4,b\n", options: ImportOptions(labelColumn: .name("species")))
        #expect(missing.description.contains("no column named 'species'"))
        let outOfRange = try importError("1,2,a\n3,4,b\n", options: ImportOptions(labelColumn: .index(3)))
        #expect(outOfRange.description.contains("label column index 3 is out of range"))
    }

    @Test func headerOptionOverridesDetection() throws {
        // Numeric column names would be read as data in auto mode.
        let forced = try parse("1,2,class\n5,6,a\n7,8,b\n", options: ImportOptions(header: .yes))
        #expect(forced.featureNames == ["1", "2"])
        #expect(forced.rowCount == 2)
        let auto = try parse("1,2,class\n5,6,a\n7,8,b\n")
        #expect(auto.rowCount == 3, "numeric column names look like data in auto mode")
        let none = try importError("a,b,class\n5,6,a\n7,8,b\n", options: ImportOptions(header: .no))
        #expect(none.problems.first == Problem(line: 1, column: 1, message: "'a' is not a number"))
    }

    @Test func aBadValueInTheFirstRowIsNotTakenForAHeader() throws {
        let error = try importError("5.0,?,a\n1,2,b\n3,4,a\n")
        #expect(error.problems == [Problem(line: 1, column: 2, message: "missing value '?'")])
        let typo = try importError("3.2cm,2,a\n1,2,b\n3,4,a\n")
        #expect(typo.problems == [Problem(line: 1, column: 1, message: "'3.2cm' is not a number")])
    }

    @Test func numericLabelsWithAHeader() throws {
        let dataset = try parse("p0,p1,class\n0,16,3\n1,2,7\n")
        #expect(dataset.classNames == ["3", "7"])
        #expect(dataset.featureNames == ["p0", "p1"])
    }

    @Test func rowNumberColumnsFromRAndPandasAreDropped() throws {
        // R write.table: the header has no field for the row names.
        let writeTable = try parse("\"a\",\"b\",\"y\"\n\"1\",5,6,\"p\"\n\"2\",7,8,\"q\"\n")
        #expect(writeTable.featureNames == ["a", "b"])
        #expect(writeTable.features == [5, 6, 7, 8])
        // pandas to_csv: an empty first header field and a 0-based index.
        let pandas = try parse(",a,b,y\n0,5,6,p\n1,7,8,q\n")
        #expect(pandas.featureNames == ["a", "b"])
        #expect(pandas.features == [5, 6, 7, 8])
        // pandas after a shuffle or a split: the index is any integers, not 0, 1, 2 ...
        let shuffled = try parse(",a,y\n5,6,p\n9,8,q\n")
        #expect(shuffled.featureNames == ["a"])
        #expect(shuffled.features == [6, 8])
        // An unnamed column that is not all integers is a feature named by position.
        let unnamed = try parse(",a,y\n5.5,6,p\n9,8,q\n")
        #expect(unnamed.featureNames == ["x1", "a"])
        #expect(unnamed.features == [5.5, 6, 9, 8])
    }

    @Test func metadataLineThatDoesNotFitIsAnErrorOnLine1() throws {
        let wrongRows = try importError("5,2,a,b\n1,2,0\n3,4,1\n")
        #expect(wrongRows.problems.map(\.line) == [1])
        #expect(wrongRows.description.contains("says 5 rows while the file has 2"))
        let wrongFeatures = try importError("2,3,a,b\n1,2,0\n3,4,1\n")
        #expect(wrongFeatures.problems.map(\.line) == [1])
        let badIndex = try importError("2,2,a,b\n1,2,0\n3,4,2\n")
        #expect(badIndex.problems == [Problem(line: 3, column: 3, message: "label '2' is not a class index 0...1 (line 1 names 2 classes)")])
    }

    @Test func metadataClassNamesAreSortedAndLabelsRemapped() throws {
        let dataset = try parse("3,1,malignant,benign\n1.5,0\n2.5,1\n3.5,0\n")
        #expect(dataset.classNames == ["benign", "malignant"])
        #expect(labelNames(dataset) == ["malignant", "benign", "malignant"])
    }

    @Test(arguments: ["inf", "-inf", "Infinity", "NaN", "1e400", "-1e999"])
    func nonFiniteNumbersAreRefused(_ value: String) throws {
        let error = try importError("1,2,a\n\(value),2,b\n")
        #expect(error.problems == [Problem(line: 2, column: 1, message: "'\(value)' is not a finite number")])
    }

    @Test(arguments: ["3.2cm", "0x10", "1,5", "five", "1e", "--1", "1 2"])
    func nonNumbersAreRefused(_ value: String) throws {
        let error = try importError("1,2,a\n\"\(value)\",2,b\n")
        #expect(error.problems == [Problem(line: 2, column: 1, message: "'\(value)' is not a number")])
    }

    /// In a feature, a missing-value marker is refused; in the label column it is a class name
    /// (field case d17): only an empty label is missing.
    @Test(arguments: ["?", "NA", "N/A", "na", "null", "None"])
    func missingValueMarkersAreRefusedInFeatures(_ marker: String) throws {
        let error = try importError("1,2,a\n1,\(marker),b\n3,4,\(marker)\n")
        #expect(error.problems == [Problem(line: 2, column: 2, message: "missing value '\(marker)'")])
        let (dataset, notes) = try DataFile.readNoted(Fixture.url("d17_class_named_none.csv"))
        #expect(dataset.classNames.contains("None"))
        #expect(notes.count == 1)
        let labelled = try parse("1,2,a\n3,4,\(marker)\n")
        #expect(labelled.classNames == ["a", marker].sorted())
    }

    @Test func acceptedNumberSpellings() throws {
        let dataset = try parse("+1,-2.5,.5,5.,1e3,2E-2,a\n0,0,0,0,0,0,b\n")
        #expect(featureRow(dataset, 0) == [1, -2.5, 0.5, 5, 1000, 0.02])
    }

    @Test func decimalCommaRules() throws {
        let dataset = try parse("1,5;-2;a\n3,25;4;b\n", options: ImportOptions(delimiter: ";", decimalComma: true))
        #expect(dataset.features == [1.5, -2, 3.25, 4])
        let dot = try importError("1.5;2;a\n3;4;b\n5;6;a\n", options: ImportOptions(delimiter: ";", decimalComma: true))
        #expect(dot.problems.first?.message.contains("'.' is not allowed") == true)
        let conflict = try importError("1,2,a\n", options: ImportOptions(decimalComma: true))
        #expect(conflict.description.contains("--decimal-comma needs a delimiter other than ','"))
    }

    @Test func semicolonFileWithoutDecimalCommasGetsPlainAdvice() throws {
        let error = try importError("1;2;a\n3;4;b\n")
        #expect(error.description == "t.csv: the file looks ';'-separated, not ','-separated: read it with --delimiter ';'")
        let dataset = try parse("1;2;a\n3;4;b\n", options: ImportOptions(delimiter: ";"))
        #expect(dataset.features == [1, 2, 3, 4])
    }

    @Test func tabSeparatedFileIsRefusedAndReadableWithTheOption() throws {
        let error = try importError("1\t2\ta\n3\t4\tb\n")
        #expect(error.description.contains("looks tab-separated"))
        let dataset = try parse("1\t2\ta\n3\t 4\t b \n", options: ImportOptions(delimiter: "\t"))
        #expect(dataset.features == [1, 2, 3, 4])
        #expect(dataset.classNames == ["a", "b"])
    }

    @Test func wholeFileProblems() throws {
        #expect(try importError("").description == "t.csv: no data rows: the file is empty")
        #expect(try importError("\n \n\r\n").description == "t.csv: no data rows: the file is empty")
        #expect(try importError("a,b,class\n").description == "t.csv: no data rows")
        #expect(try importError("1,2,a\n3,4,a\n").description
            == "t.csv: only one class ('a') in 2 rows: classification needs at least 2 classes")
        #expect(try importError("1\n2\n").description.contains("only 1 field per line"))
    }

    @Test func moreThanTwentyProblemsAreCappedOnOneLine() throws {
        let text = "1,2,a\n" + (0..<25).map { _ in "?,2,b\n" }.joined()
        let error = try importError(text)
        #expect(error.problems.count == 25)
        #expect(error.description.hasSuffix("; ... and 5 more"))
        #expect(error.description.components(separatedBy: "missing value").count == 21)
        #expect(!error.description.contains("\n"))
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        var bytes = Data("1,2,a\n3,4,b\n5,6,".utf8)
        bytes.append(contentsOf: [0xFF, 0xFE])
        do {
            _ = try DataFile.parse(bytes, file: "bin.csv", name: "bin")
            Issue.record("expected an error")
        } catch let error as DataImportError {
            #expect(error.problems == [Problem(line: 3, column: 3, message: "not UTF-8 text (save the file as UTF-8)")])
        }
    }

    @Test func unreadableFileNamesThePath() throws {
        let url = URL(fileURLWithPath: "/nonexistent/dir/none.csv")
        do {
            _ = try DataFile.read(url)
            Issue.record("expected an error")
        } catch let error as DataImportError {
            #expect(error.file == "/nonexistent/dir/none.csv")
            #expect(error.description.contains("cannot read the file"))
        }
    }

    @Test func readUsesTheGivenName() throws {
        let dataset = try DataFile.read(Fixture.url("d04b_iris_header.csv"), name: "iris-six")
        #expect(dataset.name == "iris-six")
    }
}
