import Determinism
import Foundation
import Testing
@testable import Datasets

/// The real data sets shipped in the repository's `Data/` folder load with their published shapes.
@Suite struct RealDataTests {
    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        var rows: Int
        var features: Int
        var classes: Int
        var fileSHA256: String
        /// The content hash stored data sets carry: reading rules may never change it.
        var contentSHA256: String
        var description: String { file }
    }

    static let dataSets: [Expected] = [
        Expected(file: "iris.data", rows: 150, features: 4, classes: 3,
                 fileSHA256: "6f608b71a7317216319b4d27b4d9bc84e6abd734eda7872b71a458569e2656c0",
                 contentSHA256: "8bd263797350b38c799c4027784c7c09bc468256a6c28acbfd50338dd530c50b"),
        Expected(file: "bezdekIris.data", rows: 150, features: 4, classes: 3,
                 fileSHA256: "0fed2a99db77ec533a62dc66894d3ec6df3b58b6a8f3cf4a6b47e4086b7f97dc",
                 contentSHA256: "43b05259b19f7014b9e70b1a07dff798250229a45963e25fb5e72033fea364b0"),
        Expected(file: "wine.csv", rows: 178, features: 13, classes: 3,
                 fileSHA256: "a58a82783d9f0df396aaca72d41e547a16b5c77459829bfe31b21930c7722ba6",
                 contentSHA256: "a58a82783d9f0df396aaca72d41e547a16b5c77459829bfe31b21930c7722ba6"),
        Expected(file: "breast_cancer.csv", rows: 569, features: 30, classes: 2,
                 fileSHA256: "88fc719552dad60442ddc9805abcaebe8c8146d522a10ed14b667384b0eb62ef",
                 contentSHA256: "88fc719552dad60442ddc9805abcaebe8c8146d522a10ed14b667384b0eb62ef"),
        Expected(file: "digits.csv", rows: 1797, features: 64, classes: 10,
                 fileSHA256: "bb91ac08ceeb4eb7ddca61f0af46532f91c54eea07aab185ef61474328881e05",
                 contentSHA256: "38992d69e56ad492331c72733857cc2a22ecde587a4246ea76f594acf29e04de"),
    ]

    @Test(arguments: dataSets)
    func loadsWithPublishedShape(_ expected: Expected) throws {
        let url = Fixture.dataFolder.appendingPathComponent(expected.file)
        let bytes = try Data(contentsOf: url)
        #expect(sha256Hex(bytes) == expected.fileSHA256, "the file differs from the published copy")
        let (dataset, notes) = try DataFile.readNoted(url)
        #expect(dataset.contentHash == expected.contentSHA256, "a reading rule changed a shipped data set's content")
        #expect(notes.isEmpty, "\(notes)")
        #expect(dataset.rowCount == expected.rows)
        #expect(dataset.featureCount == expected.features)
        #expect(dataset.classNames.count == expected.classes)
        #expect(dataset.features.count == expected.rows * expected.features)
        #expect(dataset.classCounts.allSatisfy { $0 > 0 })
        #expect(try Dataset.fromCanonicalCSV(name: dataset.name, text: dataset.canonicalCSV) == dataset)
    }

    @Test func irisAsPublished() throws {
        let iris = try DataFile.read(Fixture.dataFolder.appendingPathComponent("iris.data"))
        #expect(iris.name == "iris")
        #expect(iris.classNames == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"])
        #expect(iris.classCounts == [50, 50, 50])
        #expect(iris.featureNames == ["x1", "x2", "x3", "x4"])
        #expect(featureRow(iris, 0) == [5.1, 3.5, 1.4, 0.2])
        #expect(featureRow(iris, 149) == [5.9, 3.0, 5.1, 1.8])
        // SHA-256 of the canonical text, computed independently of this code.
        #expect(iris.contentHash == "8bd263797350b38c799c4027784c7c09bc468256a6c28acbfd50338dd530c50b")
    }

    @Test func bezdekIrisDiffersInTheTwoCorrectedSamples() throws {
        let iris = try DataFile.read(Fixture.dataFolder.appendingPathComponent("iris.data"))
        let bezdek = try DataFile.read(Fixture.dataFolder.appendingPathComponent("bezdekIris.data"))
        let differing = (0..<150).filter { featureRow(iris, $0) != featureRow(bezdek, $0) }
        #expect(differing == [34, 37])
        #expect(featureRow(bezdek, 34) == [4.9, 3.1, 1.5, 0.2])
        #expect(featureRow(bezdek, 37) == [4.9, 3.6, 1.4, 0.1])
        #expect(iris.labels == bezdek.labels)
    }

    @Test func headersNameTheFeatures() throws {
        let wine = try DataFile.read(Fixture.dataFolder.appendingPathComponent("wine.csv"))
        #expect(wine.featureNames.first == "alcohol")
        #expect(wine.featureNames.last == "proline")
        #expect(wine.classNames == ["class_0", "class_1", "class_2"])
        #expect(wine.classCounts == [59, 71, 48])
        let cancer = try DataFile.read(Fixture.dataFolder.appendingPathComponent("breast_cancer.csv"))
        #expect(cancer.classNames == ["benign", "malignant"])
        #expect(cancer.classCounts == [357, 212])
        let digits = try DataFile.read(Fixture.dataFolder.appendingPathComponent("digits.csv"))
        #expect(digits.classNames == (0...9).map(String.init))
        #expect(digits.features.allSatisfy { $0 >= 0 && $0 <= 16 })
        #expect(digits.featureNames.first == "pixel_0_0")
    }
}
