import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Tracker

/// The data field cases that need whole commands (training, predicting, the database file),
/// run as a user runs them on the files in `Tests/DatasetsTests/Fixtures`.
@Suite struct DataFieldCaseTests {
    func copyFixture(_ name: String, to dir: URL) throws {
        let source = repositoryRoot.appendingPathComponent("Tests/DatasetsTests/Fixtures/\(name)")
        try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent(name))
    }

    @Test func d15NearConstantColumnIsConstant() throws {
        let dir = temporaryDirectory()
        try copyFixture("d15_near_constant_column_train.csv", to: dir)
        try copyFixture("d15_near_constant_column_score.csv", to: dir)
        let train = try exp(["train", "--data", "d15_near_constant_column_train.csv", "--hidden-layers", "8",
                             "--epochs", "300", "--learning-rate", "0.5", "--batch-size", "4"], in: dir)
        try #require(train.status == 0, "\(train.stderr)")
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        let run = try #require(try store.connection.scalar("SELECT MAX(run_id) FROM runs")?.int)
        let model = try Model(safetensors: try store.weights(runID: Int64(run)))
        #expect(model.featureNames.last == "temp_c")
        #expect(model.scaler.scale.last == 1, "a column of 14.62 is constant")
        #expect(abs(model.scaler.shift.last! - 14.62) < 1e-12)

        let predict = try exp(["predict", "--run", "\(run)", "d15_near_constant_column_score.csv"], in: dir)
        try #require(predict.status == 0, "\(predict.stderr)")
        let classes = predict.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
        #expect(classes == ["Iris-setosa", "Iris-setosa", "Iris-virginica", "Iris-virginica"])
    }

    @Test func d21SingletonClassIsRefusedByNameAndNothingIsStored() throws {
        let dir = temporaryDirectory()
        try copyFixture("d21_singleton_class_last.data", to: dir)
        let train = try exp(["train", "--data", "d21_singleton_class_last.data"], in: dir)
        #expect(train.status == 2)
        #expect(train.stderr.contains("class 'Zeta-one' has 1 row: too few for test_fraction 0.2"), "\(train.stderr)")
        #expect(!train.stderr.contains("class '2'"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))

        try #"{"name": "s", "dataset": "d21_singleton_class_last.data", "seeds": [1], "grid": {"epochs": [2]}}"#
            .write(to: dir.appendingPathComponent("grid.json"), atomically: true, encoding: .utf8)
        let sweep = try exp(["sweep", "grid.json", "--quiet"], in: dir)
        #expect(sweep.status == 2)
        #expect(sweep.stderr.contains("class 'Zeta-one' has 1 row"), "\(sweep.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))

        let imported = try exp(["data", "import", "d21_singleton_class_last.data"], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("21 rows x 4 features, 3 classes"))
        #expect(imported.stderr.contains("note: d21_singleton_class_last.data: class 'Zeta-one' has 1 row"), "\(imported.stderr)")
    }

    @Test func d20UTF16IsNamedWhateverTheDelimiter() throws {
        let dir = temporaryDirectory()
        try copyFixture("d20_utf16le_no_bom.txt", to: dir)
        for extra in [[], ["--delimiter", "tab"]] {
            let result = try exp(["data", "import", "d20_utf16le_no_bom.txt"] + extra, in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("d20_utf16le_no_bom.txt: line 1: UTF-16 text; save the file as UTF-8"), "\(result.stderr)")
            #expect(!result.stderr.contains("delimiter"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))
    }

    @Test func aURLIsNotLookedUpAsAFile() throws {
        let dir = temporaryDirectory()
        let result = try exp(["data", "import", "https://example.org/iris.csv"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("URLs are not read; download the file first"), "\(result.stderr)")
        #expect(!result.stderr.contains("exist"))
    }

    @Test func d18NumericLabelSpellingsAreMergedWithANote() throws {
        let dir = temporaryDirectory()
        try copyFixture("d18_numeric_label_spellings.csv", to: dir)
        let result = try exp(["data", "import", "d18_numeric_label_spellings.csv"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("30 rows x 4 features, 3 classes"))
        #expect(result.stderr.contains("'0.0' as '0', '1.0' as '1', '2.0' as '2'"), "\(result.stderr)")
    }

    @Test func d16DataShowGivesTheTrueStandardDeviation() throws {
        let dir = temporaryDirectory()
        try copyFixture("d16_feature_scaled_1e200.data", to: dir)
        let imported = try exp(["data", "import", "d16_feature_scaled_1e200.data", "--name", "d16"], in: dir)
        try #require(imported.status == 0, "\(imported.stderr)")
        let shown = try exp(["data", "show", "d16"], in: dir)
        #expect(shown.status == 0, "\(shown.stderr)")
        let row = shown.stdout.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("x3 ") }
        let fields = try #require(row).split(separator: " ").map(String.init)
        #expect(fields == ["x3", "1e+200", "6.9e+200", "3.75867e+200", "1.75853e+200"], "\(shown.stdout)")
        #expect(!shown.stdout.contains("inf") && !shown.stdout.contains("nan"))
    }

    /// Labels 1, 2, 10: classes in numeric order in the model, `evaluate` and `predict`.
    @Test func numericClassesAreInNumericOrderFromTrainingToEvaluation() throws {
        let dir = temporaryDirectory()
        var text = "a,b,target\n"
        for i in 0..<10 {
            for label in ["1", "2", "10"] { text += "\(Double(label)! + Double(i) / 10),\(Double(i)),\(label)\n" }
        }
        try text.write(to: dir.appendingPathComponent("numbers.csv"), atomically: true, encoding: .utf8)
        let train = try exp(["train", "--data", "numbers.csv", "--epochs", "5", "--hidden-layers", "4"], in: dir)
        try #require(train.status == 0, "\(train.stderr)")
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        #expect(try store.datasets().map(\.classNames) == [["1", "2", "10"]])
        let run = try #require(try store.connection.scalar("SELECT MAX(run_id) FROM runs")?.int)
        #expect(try Model(safetensors: try store.weights(runID: Int64(run))).classNames == ["1", "2", "10"])
        // Spelled 10.0 and 2.0 in the file scored: the same classes, by value.
        try text.replacingOccurrences(of: ",10\n", with: ",10.0\n").replacingOccurrences(of: ",2\n", with: ",2.0\n")
            .write(to: dir.appendingPathComponent("score.csv"), atomically: true, encoding: .utf8)
        let evaluated = try exp(["evaluate", "--run", "\(run)", "score.csv", "--json"], in: dir)
        try #require(evaluated.status == 0, "\(evaluated.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
        #expect(json["class_names"] as? [String] == ["1", "2", "10"])
        #expect(json["rows"] as? Int == 30)
        let predicted = try exp(["predict", "--run", "\(run)", "score.csv"], in: dir)
        try #require(predicted.status == 0, "\(predicted.stderr)")
        #expect(predicted.stdout.split(separator: "\n").first.map(String.init)?.hasSuffix("p_1,p_2,p_10") == true, "\(predicted.stdout)")
    }
}
