import Foundation
import Testing
import TestSupport

/// `exp train` reads data as `exp data import` does (same options, or a stored data set), and
/// JSON output is one document.
@Suite struct TrainDataAndJSONTests {
    func folder() throws -> URL {
        let dir = temporaryDirectory()
        let iris = try String(contentsOf: repositoryRoot.appendingPathComponent("Data/iris.data"), encoding: .utf8)
        let lines = iris.split(separator: "\n").filter { !$0.isEmpty }
        // Semicolons, decimal commas and the label first.
        let european = lines.map { line -> String in
            let fields = line.split(separator: ",").map(String.init)
            return ([fields[4]] + fields[0..<4].map { $0.replacingOccurrences(of: ".", with: ",") }).joined(separator: ";")
        }
        try (["species;sl;sw;pl;pw"] + european).joined(separator: "\n")
            .write(to: dir.appendingPathComponent("eu.csv"), atomically: true, encoding: .utf8)
        try iris.write(to: dir.appendingPathComponent("iris.data"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func trainTakesTheImportOptions() throws {
        let dir = try folder()
        let refused = try exp(["train", "--data", "eu.csv", "--epochs", "2"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--delimiter ';' --decimal-comma"))
        let trained = try exp(["train", "--data", "eu.csv", "--delimiter", ";", "--decimal-comma", "--label-column", "species",
                               "--epochs", "2"], in: dir)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("finished"))
        // The same data read from the plain file trains the same run only when its options are the same: another sweep.
        let again = try exp(["train", "--data", "eu.csv", "--delimiter", ";", "--decimal-comma", "--label-column", "species",
                             "--epochs", "2"], in: dir)
        #expect(again.stdout.split(separator: "\n").first == trained.stdout.split(separator: "\n").first)
    }

    @Test func trainTakesAStoredDataset() throws {
        let dir = try folder()
        let imported = try exp(["data", "import", "iris.data", "--name", "flowers"], in: dir)
        try #require(imported.status == 0, "\(imported.stderr)")
        let trained = try exp(["train", "--dataset", "flowers@1", "--epochs", "2"], in: dir)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("sweep 'train-flowers-"))
        let latest = try exp(["train", "--dataset", "flowers", "--epochs", "2"], in: dir)
        #expect(latest.status == 0)
        let missing = try exp(["train", "--dataset", "roses", "--epochs", "2"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no data set 'roses'") && missing.stderr.contains("flowers@1"))
        let both = try exp(["train", "--dataset", "flowers", "--data", "iris.data"], in: dir)
        #expect(both.status == 2)
        let options = try exp(["train", "--dataset", "flowers", "--delimiter", ";"], in: dir)
        #expect(options.status == 2)
    }

    @Test func evaluateAndRunsPrintOneJSONDocument() throws {
        let dir = try folder()
        let trained = try exp(["train", "--data", "iris.data", "--epochs", "30"], in: dir)
        try #require(trained.status == 0, "\(trained.stderr)")
        let evaluated = try exp(["evaluate", "--run", "1", "iris.data", "--json"], in: dir)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
        #expect(object["rows"] as? Int == 150)
        #expect((object["confusion_matrix"] as? [[Int]])?.joined().reduce(0, +) == 150)
        #expect((object["classes"] as? [[String: Any]])?.count == 3)
        #expect(object["class_names"] as? [String] == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"])
        let accuracy = try #require(object["accuracy"] as? Double)
        #expect(abs(accuracy - Double(object["correct"] as! Int) / 150) < 1e-12)

        let runs = try exp(["runs", "--json"], in: dir)
        let array = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]]
        #expect(array?.count == 1)
        #expect(array?.first?["status"] as? String == "finished")
        let lines = try exp(["runs", "--format", "jsonl"], in: dir)
        #expect(lines.stdout.split(separator: "\n").count == 1)
    }

    @Test func predictMatchesFeaturesAndTheLabelByName() throws {
        let dir = temporaryDirectory()
        let iris = try String(contentsOf: repositoryRoot.appendingPathComponent("Data/iris.data"), encoding: .utf8)
        try ("sepal_length,sepal_width,petal_length,petal_width,species\n" + iris)
            .write(to: dir.appendingPathComponent("iris.csv"), atomically: true, encoding: .utf8)
        let trained = try exp(["train", "--data", "iris.csv", "--epochs", "30"], in: dir)
        try #require(trained.status == 0, "\(trained.stderr)")
        let rows = iris.split(separator: "\n").filter { !$0.isEmpty }.map { $0.split(separator: ",").map(String.init) }
        // The label first and the features reordered.
        let reordered = "species,petal_width,sepal_length,petal_length,sepal_width\n"
            + rows.map { [$0[4], $0[3], $0[0], $0[2], $0[1]].joined(separator: ",") }.joined(separator: "\n")
        try reordered.write(to: dir.appendingPathComponent("reordered.csv"), atomically: true, encoding: .utf8)
        let plain = try exp(["evaluate", "--run", "1", "iris.csv"], in: dir)
        let moved = try exp(["evaluate", "--run", "1", "reordered.csv"], in: dir)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout == plain.stdout)
        // A missing feature is named.
        let short = "sepal_length,sepal_width,petal_length,species\n" + rows.map { [$0[0], $0[1], $0[2], $0[4]].joined(separator: ",") }.joined(separator: "\n")
        try short.write(to: dir.appendingPathComponent("short.csv"), atomically: true, encoding: .utf8)
        let refused = try exp(["predict", "--run", "1", "short.csv"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("missing feature 'petal_width'"), "\(refused.stderr)")
    }
}
