import Foundation
import Testing
import TestSupport

/// `exp runs` filters, sorts, limits and prints chosen columns without SQL.
@Suite struct RunsQueryTests {
    /// A sweep of 2 learning rates x 2 hidden layouts x 1 seed on Iris.
    func sweptFolder() throws -> URL {
        try sweptIrisFolder(name: "lr", seeds: [1], grid: #"{"epochs": [5], "hidden_layers": [[3], [6]], "learning_rate": [0.05, 0.5]}"#)
    }

    func records(_ arguments: [String], in dir: URL) throws -> [[String: Any]] {
        let result = try exp(["runs", "--json"] + arguments, in: dir)
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test func whereSortLimitAndColumns() throws {
        let dir = try sweptFolder()
        let slow = try records(["--where", "learning_rate<=0.1", "--columns", "run_id,learning_rate,hidden_layers"], in: dir)
        #expect(slow.count == 2)
        #expect(slow.allSatisfy { $0["learning_rate"] as? Double == 0.05 && $0.count == 3 })
        let both = try records(["--where", "learning_rate = 0.5", "--where", "hidden_layers=[6]", "--columns", "hidden_layers,run_id"], in: dir)
        #expect(both.count == 1)
        #expect(both.first?["hidden_layers"] as? [Int] == [6])

        let all = try records(["--columns", "run_id,validation_accuracy"], in: dir)
        let byAccuracy = try records(["--sort", "-validation_accuracy,run_id", "--columns", "run_id,validation_accuracy"], in: dir)
        let expected = all.sorted {
            let (a, b) = ($0["validation_accuracy"] as! Double, $1["validation_accuracy"] as! Double)
            return a != b ? a > b : ($0["run_id"] as! Int) < ($1["run_id"] as! Int)
        }
        #expect(byAccuracy.map { $0["run_id"] as? Int } == expected.map { $0["run_id"] as? Int })
        let top = try records(["--sort", "-validation_accuracy,run_id", "--limit", "1"], in: dir)
        #expect(top.count == 1 && top.first?["run_id"] as? Int == expected.first?["run_id"] as? Int)
        // The default JSON record keeps its keys, the configuration as an object, and has the run's tags.
        #expect(top.first?["config"] as? [String: Any] != nil)
        #expect(Set(top.first?.keys ?? [:].keys) == ["run_id", "sweep", "seed", "fold", "status", "validation_accuracy",
                                                       "test_accuracy", "duration_seconds", "config", "tags"])
        // A missing metric (queued run) matches only !=, and sorts last both ways.
        let missingLast = try records(["--where", "validation_accuracy != 2", "--sort", "validation_accuracy"], in: dir)
        #expect(missingLast.count == 4)
    }

    @Test func badNamesAndValuesAreUsageErrors() throws {
        let dir = try sweptFolder()
        let unknown = try exp(["runs", "--where", "learning_rat<0.1"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown name 'learning_rat'") && unknown.stderr.contains("learning_rate"), "\(unknown.stderr)")
        let mistyped = try exp(["runs", "--where", "epochs=many"], in: dir)
        #expect(mistyped.status == 2)
        #expect(mistyped.stderr.contains("epochs takes an integer"), "\(mistyped.stderr)")
        let noOperator = try exp(["runs", "--where", "epochs"], in: dir)
        #expect(noOperator.status == 2)
        let ordered = try exp(["runs", "--where", "activation<relu"], in: dir)
        #expect(ordered.status == 2)
        let limit = try exp(["runs", "--limit", "0"], in: dir)
        #expect(limit.status == 2)
        let sortName = try exp(["runs", "--sort", "-nosuch"], in: dir)
        #expect(sortName.status == 2 && sortName.stderr.contains("unknown name 'nosuch'"), "\(sortName.stderr)")
    }

    @Test func tableAndCSV() throws {
        let dir = try sweptFolder()
        let table = try exp(["runs", "--columns", "run_id,learning_rate,validation_accuracy", "--limit", "2"], in: dir)
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first == "run\tlearning_rate\tval_acc")
        #expect(lines.count == 3)
        let csv = try exp(["runs", "--csv", "--columns", "run_id,sweep,learning_rate,hidden_layers", "--sort", "run_id"], in: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.first == "run_id,sweep,learning_rate,hidden_layers")
        #expect(rows.dropFirst().contains { $0.hasSuffix(",lr,0.05,[3]") }, "\(csv.stdout)")
        #expect(rows.dropFirst().contains { $0.hasSuffix(",lr,0.5,[6]") }, "\(csv.stdout)")
        #expect(rows.count == 5)
    }
}
