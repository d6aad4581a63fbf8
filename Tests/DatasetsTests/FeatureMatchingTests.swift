import Foundation
import Testing
@testable import Datasets

/// Reading rows for a model's features: the label column inferred from the column count, and
/// columns matched by name.
@Suite struct FeatureMatchingTests {
    let model = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

    func read(_ text: String, features: [String]? = nil, options: ImportOptions = .init(), infer: Bool = true,
              labels: Bool = false) throws -> DataTable {
        try DataFile.parseTable(text, file: "f.csv", forFeatures: features ?? model, options: options,
                                inferLabelColumn: infer, requireLabels: labels)
    }

    func mismatch(_ text: String, features: [String]? = nil, labels: Bool = false) -> FeatureMismatchError.Kind? {
        do {
            _ = try read(text, features: features, labels: labels)
            return nil
        } catch let error as FeatureMismatchError {
            #expect(error.file == "f.csv")
            #expect(error.expected == (features ?? model))
            return error.kind
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func theModelsColumnCountMeansNoLabelColumnAndOneMoreMeansTheLast() throws {
        let features = try read("5.1,3.5,1.4,0.2\n4.9,3.0,1.4,0.2\n", features: ["x1", "x2", "x3", "x4"])
        #expect(features.labels == nil)
        #expect(features.features == [5.1, 3.5, 1.4, 0.2, 4.9, 3.0, 1.4, 0.2])
        let labelled = try read("5.1,3.5,1.4,0.2,a\n4.9,3.0,1.4,0.2,b\n", features: ["x1", "x2", "x3", "x4"], labels: true)
        #expect(labelled.labels == ["a", "b"])
        #expect(mismatch("5.1,3.5,1.4,0.2\n", features: ["x1", "x2", "x3", "x4"], labels: true) == .noLabelColumn(columns: 4))
        #expect(mismatch("1,2,3\n4,5,6\n") == .columnCount(3))
        #expect(mismatch("1,2,3,4,5,6\n") == .columnCount(6))
    }

    @Test func anExplicitLabelColumnIsUsedAsGiven() throws {
        let text = "class,sepal_length,sepal_width,petal_length,petal_width\na,1,2,3,4\n"
        let table = try read(text, options: ImportOptions(labelColumn: .name("class")), infer: false, labels: true)
        #expect(table.labels == ["a"])
        #expect(table.features == [1, 2, 3, 4])
        do {
            _ = try read("a,1,2,3\n", options: ImportOptions(labelColumn: .index(0)), infer: false)
            Issue.record("three features were accepted for four")
        } catch let error as FeatureMismatchError {
            #expect(error.kind == .featureCount(3))
        }
    }

    @Test func namedColumnsAreReorderedToTheModelsOrder() throws {
        let text = "petal_width,petal_length,sepal_width,sepal_length,class\n0.2,1.4,3.5,5.1,a\n"
        let table = try read(text)
        #expect(table.featureNames == model)
        #expect(table.features == [5.1, 3.5, 1.4, 0.2])
        #expect(mismatch("a,b,c,d,class\n1,2,3,4,x\n") == .featureNames(["a", "b", "c", "d"]))
        // A repeated name is refused as the file is read (field case d19).
        #expect(throws: DataImportError.self) {
            try read("sepal_length,sepal_length,petal_length,petal_width,class\n1,2,3,4,x\n")
        }
    }

    @Test func theLabelColumnIsFoundByNameWhereverItIs() throws {
        let text = "species,petal_width,petal_length,sepal_width,sepal_length\na,0.2,1.4,3.5,5.1\n"
        let table = try read(text, labels: true)
        #expect(table.labels == ["a"])
        #expect(table.features == [5.1, 3.5, 1.4, 0.2])
        let unlabelled = try read("petal_width,petal_length,sepal_width,sepal_length\n0.2,1.4,3.5,5.1\n")
        #expect(unlabelled.labels == nil)
        #expect(unlabelled.features == [5.1, 3.5, 1.4, 0.2])
        #expect(mismatch("species,sepal_length,sepal_width,petal_length\na,1,2,3\n") == .missingFeatures(["petal_width"]))
        #expect(mismatch("id,species,sepal_length,sepal_width,petal_length,petal_width\n7,a,1,2,3,4\n")
                == .unknownColumns(["id", "species"]))
    }

    @Test func generatedNamesInAHeaderAreMatchedByName() throws {
        let table = try read("x4,x3,x2,x1,class\n4,3,2,1,a\n", features: ["x1", "x2", "x3", "x4"], labels: true)
        #expect(table.features == [1, 2, 3, 4])
        #expect(table.labels == ["a"])
    }

    @Test func positionalNamesOnEitherSideMatchByPosition() throws {
        // A file without a header against a named model, and a named file against a model
        // trained on a file without one: columns are taken in order.
        let unnamed = try read("1,2,3,4,a\n")
        #expect(unnamed.featureNames == ["x1", "x2", "x3", "x4"] && unnamed.features == [1, 2, 3, 4])
        let named = try read("d,c,b,a,class\n1,2,3,4,x\n", features: ["x1", "x2", "x3", "x4"])
        #expect(named.featureNames == ["d", "c", "b", "a"] && named.features == [1, 2, 3, 4])
    }

    @Test func problemsInTheFileItselfAreImportErrors() throws {
        #expect(throws: DataImportError.self) { try read("1,2,inf,4,a\n") }
    }
}
