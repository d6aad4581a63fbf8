import Foundation
import Testing
@testable import Datasets

/// Classes in numeric order when every label is a number; a stored order kept.
@Suite struct ClassOrderTests {
    /// 10 rows of each of the classes `1`, `2` and `10`, with two features.
    static let numbers: String = {
        var text = "a,b,target\n"
        for i in 0..<10 {
            for label in ["1", "2", "10"] { text += "\(Double(label)! + Double(i) / 10),\(Double(i)),\(label)\n" }
        }
        return text
    }()

    @Test func numericLabelsAreInNumericOrder() throws {
        let dataset = try DataFile.parse(Self.numbers, file: "numbers.csv", name: "numbers")
        #expect(dataset.classNames == ["1", "2", "10"])
        #expect(dataset.labels.prefix(3) == [0, 1, 2])
        #expect(dataset.classCounts == [10, 10, 10])
        #expect(try DataFile.parse("1,10\n2,2\n3,2.50\n4,-1\n5,2.5\n", file: "t", name: "t").classNames == ["-1", "2", "2.5", "10"])
        #expect(ClassOrder.sorted(["10", "9", "1e1x"]) == ["10", "1e1x", "9"], "one name that is not a number: text order")
        #expect(ClassOrder.sorted(["b", "a", "b"]) == ["a", "b"])
        #expect(ClassOrder.sorted(["1e1", "9", "0.5"]) == ["0.5", "9", "1e1"])
    }

    @Test func d18MergedSpellingsAreInNumericOrder() throws {
        let (dataset, notes) = try DataFile.readNoted(Fixture.url("d18_numeric_label_spellings.csv"))
        #expect(dataset.classNames == ["0", "1", "2"])
        #expect(notes.count == 1)
        let spelled = try DataFile.parse("x,y\n0,10\n1,2\n2,10.0\n3,2.0\n4,1\n5,1.0\n", file: "t", name: "t")
        #expect(spelled.classNames == ["1", "2", "10"], "10.0, 2.0, 1.0 merged with 10, 2, 1, in numeric order")
        #expect(spelled.labels == [2, 1, 2, 1, 0, 0])
    }

    /// The content hash never depended on the class order (the canonical CSV writes each row's
    /// class by name), so data stored when numeric names were sorted as text keeps its hash.
    @Test func theClassOrderIsNotPartOfTheContentHash() throws {
        let dataset = try DataFile.parse(Self.numbers, file: "numbers.csv", name: "numbers")
        #expect(dataset.contentHash == "9880fc7a252142736480432c5c8e935a08dc6e3634832b153d1bd73767795404")
        let asText = try #require(dataset.withClassOrder(["1", "10", "2"]))
        #expect(asText.classNames == ["1", "10", "2"])
        #expect(asText.labels.prefix(3) == [0, 2, 1])
        #expect(asText.contentHash == dataset.contentHash)
        #expect(asText.canonicalCSV == dataset.canonicalCSV)
        #expect(dataset.withClassOrder(["1", "2"]) == nil)
        #expect(dataset.withClassOrder(["1", "2", "3"]) == nil)
    }

    @Test func storedContentIsReadInItsStoredOrder() throws {
        let dataset = try DataFile.parse(Self.numbers, file: "numbers.csv", name: "numbers")
        let fresh = try Dataset.fromCanonicalCSV(name: "n", text: dataset.canonicalCSV)
        #expect(fresh.classNames == ["1", "2", "10"])
        let stored = try Dataset.fromCanonicalCSV(name: "n", text: dataset.canonicalCSV, classNames: ["1", "10", "2"])
        #expect(stored.classNames == ["1", "10", "2"])
        #expect(stored.labels.prefix(3) == [0, 2, 1])
        #expect(throws: DataImportError.self) {
            try Dataset.fromCanonicalCSV(name: "n", text: dataset.canonicalCSV, classNames: ["1", "2"])
        }
    }

    @Test func scoringLabelNamesFollowTheSameOrder() throws {
        let table = try DataFile.parseTable("a,target\n1,10\n2,2\n3,1\n", file: "t", name: "t")
        #expect(table.labelNames == ["1", "2", "10"])
    }
}
