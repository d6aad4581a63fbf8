import Foundation
import Testing
import TestSupport
@testable import Tracker

/// `exp predict` and `exp evaluate` on files with and without labels, run as a user runs them.
@Suite struct PredictAndEvaluateTests {
    /// A folder with `iris.data` (no header) and a run trained on it in `runs.db`; returns the
    /// folder and the run's id.
    func folderWithTrainedRun(grid: String = #"{"hidden_layers": [[4]], "epochs": [30]}"#,
                              data: String = "iris.data") throws -> (dir: URL, run: Int) {
        let dir = temporaryDirectory()
        let iris = try String(contentsOf: repositoryRoot.appendingPathComponent("Data/iris.data"), encoding: .utf8)
        try iris.write(to: dir.appendingPathComponent("iris.data"), atomically: true, encoding: .utf8)
        let header = "sepal_length,sepal_width,petal_length,petal_width,species\n"
        try (header + iris).write(to: dir.appendingPathComponent("iris.csv"), atomically: true, encoding: .utf8)
        try #"{"name": "p", "dataset": {"path": "\#(data)"}, "seeds": [1], "grid": \#(grid)}"#
            .write(to: dir.appendingPathComponent("grid.json"), atomically: true, encoding: .utf8)
        let sweep = try exp(["sweep", "grid.json", "--quiet", "--jobs", "1"], in: dir)
        try #require(sweep.status == 0, "\(sweep.stderr)")
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        let run = try #require(try store.connection.scalar("SELECT MAX(run_id) FROM runs")?.int)
        return (dir, run)
    }

    /// The lines of a CSV output, split into fields (no field of exp's output holds a comma here).
    func csvRows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func write(_ text: String, _ name: String, in dir: URL) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// The lines `range` of `iris.data`, with or without the label column.
    func irisLines(_ dir: URL, _ range: Range<Int>, labels: Bool = true) throws -> String {
        let lines = try String(contentsOf: dir.appendingPathComponent("iris.data"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.isEmpty }
        return lines[range].map { line in
            labels ? String(line) : line.split(separator: ",").prefix(4).joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    @Test func predictsAFileWithoutLabelsLikeTheLabelledOne() throws {
        let (dir, run) = try folderWithTrainedRun()
        try write(try irisLines(dir, 0..<150, labels: false), "features.csv", in: dir)

        let labelled = try exp(["predict", "--run", "\(run)", "iris.data"], in: dir)
        #expect(labelled.status == 0, "\(labelled.stderr)")
        let unlabelled = try exp(["predict", "--run", "\(run)", "features.csv"], in: dir)
        #expect(unlabelled.status == 0, "\(unlabelled.stderr)")
        #expect(unlabelled.stderr.isEmpty)

        let rows = csvRows(unlabelled.stdout)
        #expect(rows.first == ["row", "class", "p_Iris-setosa", "p_Iris-versicolor", "p_Iris-virginica"])
        #expect(rows.count == 151)
        #expect(rows.dropFirst().map { $0[0] } == (1...150).map(String.init))
        for row in rows.dropFirst() {
            let sum = row[2...].compactMap(Double.init).reduce(0, +)
            #expect(row.count == 5 && abs(sum - 1) < 1e-9, "\(row)")
        }
        // The label column changes nothing: the same classes and probabilities, row by row.
        #expect(unlabelled.stdout == labelled.stdout)

        // JSON is one document; JSON Lines one row per line.
        let json = try exp(["predict", "--run", "\(run)", "features.csv", "--format", "json"], in: dir)
        #expect(json.status == 0)
        let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(array?.count == 150)
        #expect(array?.first?["row"] as? Int == 1)
        let lines = try exp(["predict", "--run", "\(run)", "features.csv", "--format", "jsonl"], in: dir)
        #expect(lines.status == 0)
        #expect(lines.stdout.split(separator: "\n").count == 150)
        #expect(lines.stdout.split(separator: "\n").allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] })
    }

    @Test func oneClassAndOneRowFilesArePredictedAndEvaluated() throws {
        let (dir, run) = try folderWithTrainedRun()
        try write(try irisLines(dir, 0..<50), "setosa.data", in: dir)
        try write(try irisLines(dir, 100..<101), "one.data", in: dir)
        try write(try irisLines(dir, 100..<101, labels: false), "one-unlabelled.csv", in: dir)

        let predictOneClass = try exp(["predict", "--run", "\(run)", "setosa.data"], in: dir)
        #expect(predictOneClass.status == 0, "\(predictOneClass.stderr)")
        #expect(csvRows(predictOneClass.stdout).count == 51)
        let predictOneRow = try exp(["predict", "--run", "\(run)", "one.data"], in: dir)
        #expect(predictOneRow.status == 0, "\(predictOneRow.stderr)")
        #expect(csvRows(predictOneRow.stdout).count == 2)
        let predictOneUnlabelled = try exp(["predict", "--run", "\(run)", "one-unlabelled.csv"], in: dir)
        #expect(predictOneUnlabelled.stdout == predictOneRow.stdout)

        let evaluateOneClass = try exp(["evaluate", "--run", "\(run)", "setosa.data"], in: dir)
        #expect(evaluateOneClass.status == 0, "\(evaluateOneClass.stderr)")
        let lines = evaluateOneClass.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("accuracy: ") == true)
        #expect(lines.first?.hasSuffix(" of 50 rows)") == true)
        #expect(lines.first { $0.hasPrefix("Iris-setosa\t") }?.hasSuffix("\t50") == true)
        #expect(lines.first { $0.hasPrefix("Iris-virginica\t") }?.hasSuffix("\t-\t0") == true)

        let evaluateOneRow = try exp(["evaluate", "--run", "\(run)", "one.data"], in: dir)
        #expect(evaluateOneRow.status == 0, "\(evaluateOneRow.stderr)")
        #expect(evaluateOneRow.stdout.split(separator: "\n").first?.hasSuffix(" of 1 rows)") == true)
        #expect(evaluateOneRow.stdout.split(separator: "\n").contains { $0.hasPrefix("Iris-virginica\t") && $0.hasSuffix("\t1") })
    }

    @Test func evaluateNeedsLabelsTheModelKnows() throws {
        let (dir, run) = try folderWithTrainedRun()
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("Tests/DatasetsTests/Fixtures/d06b_labels_trailing_period_test.data"),
            to: dir.appendingPathComponent("d06b.data"))
        let unseen = try exp(["evaluate", "--run", "\(run)", "d06b.data"], in: dir)
        #expect(unseen.status == 2)
        #expect(unseen.stderr == "exp: d06b.data: labels the model never saw: 'Iris-setosa.', 'Iris-versicolor.', 'Iris-virginica.'; "
                + "the model's classes are 'Iris-setosa', 'Iris-versicolor', 'Iris-virginica'\n")
        // predict does not use the labels.
        let predicted = try exp(["predict", "--run", "\(run)", "d06b.data"], in: dir)
        #expect(predicted.status == 0, "\(predicted.stderr)")
        #expect(csvRows(predicted.stdout).count == 4)

        try write(try irisLines(dir, 0..<3, labels: false), "features.csv", in: dir)
        let noLabels = try exp(["evaluate", "--run", "\(run)", "features.csv"], in: dir)
        #expect(noLabels.status == 2)
        #expect(noLabels.stderr.hasPrefix("exp: features.csv: no label column"))

        try write("5.1,3.5,1.4\n4.9,3.0,1.4\n", "three.csv", in: dir)
        let tooFew = try exp(["predict", "--run", "\(run)", "three.csv"], in: dir)
        #expect(tooFew.status == 2)
        #expect(tooFew.stderr == "exp: three.csv: 3 columns, but run \(run)'s model takes 4 features (x1, x2, x3, x4), "
                + "with or without a label column after them\n")

        // The same parsing rules as exp data import: a non-finite number is named with its place.
        try write("\u{FEFF}5.1,3.5,1.4,0.2\r\n\r\n4.9,inf,1.4,0.2\r\n", "bad.csv", in: dir)
        let bad = try exp(["predict", "--run", "\(run)", "bad.csv"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr == "exp: bad.csv: line 3, column 2: 'inf' is not a finite number\n")
    }

    @Test func headerNamesAreMatchedInAnyOrder() throws {
        let (dir, run) = try folderWithTrainedRun(data: "iris.csv")
        let rows = try irisLines(dir, 0..<5, labels: false).split(separator: "\n")
        try write("sepal_length,sepal_width,petal_length,petal_width\n" + rows.joined(separator: "\n") + "\n", "ordered.csv", in: dir)
        let swapped = rows.map { line -> String in
            let f = line.split(separator: ",")
            return [f[3], f[2], f[1], f[0]].joined(separator: ",")
        }
        try write("petal_width,petal_length,sepal_width,sepal_length\n" + swapped.joined(separator: "\n") + "\n", "swapped.csv", in: dir)
        let ordered = try exp(["predict", "--run", "\(run)", "ordered.csv"], in: dir)
        #expect(ordered.status == 0, "\(ordered.stderr)")
        let reordered = try exp(["predict", "--run", "\(run)", "swapped.csv"], in: dir)
        #expect(reordered.status == 0, "\(reordered.stderr)")
        #expect(reordered.stdout == ordered.stdout)
        #expect(csvRows(ordered.stdout).count == 6)

        try write("a,b,c,d\n" + rows.joined(separator: "\n") + "\n", "other.csv", in: dir)
        let other = try exp(["predict", "--run", "\(run)", "other.csv"], in: dir)
        #expect(other.status == 2)
        #expect(other.stderr == "exp: other.csv: columns a, b, c, d do not match the model's features "
                + "sepal_length, sepal_width, petal_length, petal_width\n")
    }

    @Test func missingAndUntrainedRunsSayWhy() throws {
        let (dir, _) = try folderWithTrainedRun(
            grid: #"{"hidden_layers": [[16]], "activation": ["relu"], "loss": ["cross_entropy"], "learning_rate": [1e6], "epochs": [20]}"#)
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        let diverged = try #require(try store.connection.scalar("SELECT run_id FROM runs WHERE status = 'diverged'")?.int)

        let missing = try exp(["predict", "--run", "99999", "iris.data"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr == "exp: no run 99999 in runs.db\n")
        let named = try exp(["evaluate", "--run", "99999", "iris.data", "--db", "./runs.db"], in: dir)
        #expect(named.status == 2)
        #expect(named.stderr == "exp: no run 99999 in ./runs.db\n")

        for command in ["predict", "evaluate"] {
            let result = try exp([command, "--run", "\(diverged)", "iris.data"], in: dir)
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "exp: run \(diverged) diverged: it has no trained weights\n")
        }
    }
}
