import Foundation
import Testing
import TestSupport

/// The last lines `exp sweep` prints: never "nan%", and a nested sweep's outer estimate.
@Suite struct SweepSummaryTests {
    func writeGrid(_ name: String, protocolJSON: String, layers: String = "[[3], [6]]", in dir: URL) throws -> String {
        let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
        let text = """
            {"name": "\(name)", "dataset": "\(data)", "protocol": \(protocolJSON), "seeds": [1],
             "grid": {"epochs": [6], "hidden_layers": \(layers), "learning_rate": [0.5]}}
            """
        let path = dir.appendingPathComponent("\(name).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aSweepWithoutTestRowsSaysSo() throws {
        let dir = temporaryDirectory()
        let grid = try writeGrid("no-test", protocolJSON: #"{"test_fraction": 0, "folds": 3}"#, in: dir)
        let result = try exp(["sweep", grid, "--jobs", "2", "--quiet"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(", no test rows"))
        #expect(!result.stdout.contains("nan"))
    }

    /// `validation_fraction: 0`: one configuration trains on every non-test row and the sweep
    /// says it had nothing to choose; a grid of two is refused before anything is stored.
    @Test func aSweepWithoutValidationRowsTrainsItsOneConfiguration() throws {
        let dir = temporaryDirectory()
        let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
        try """
            {"name": "final", "dataset": "\(data)", "protocol": {"test_fraction": 0.2, "validation_fraction": 0}, "seeds": [1, 2],
             "grid": {"epochs": [6], "hidden_layers": [[6]], "learning_rate": [0.5]}}
            """.write(to: dir.appendingPathComponent("final.json"), atomically: true, encoding: .utf8)
        let result = try exp(["sweep", "final.json", "--jobs", "2", "--quiet"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("configuration (the only one; no validation rows, validation_fraction 0): {"), "\(result.stdout)")
        #expect(result.stdout.contains("over 2 runs, mean test accuracy "))
        #expect(!result.stdout.contains("nan"))

        let grid = try writeGrid("two", protocolJSON: #"{"validation_fraction": 0}"#, in: dir)
        let refused = try exp(["sweep", grid, "--db", "two.db", "--quiet"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("protocol.validation_fraction: is 0, which leaves no validation rows to choose among the grid's 2 configurations"),
                "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("two.db").path))
    }

    @Test func aNestedSweepPrintsItsOuterEstimateAndEachFoldsChoice() throws {
        let dir = temporaryDirectory()
        let grid = try writeGrid("nested", protocolJSON: #"{"outer_folds": 3, "inner_folds": 2}"#, in: dir)
        let result = try exp(["sweep", grid, "--jobs", "2", "--quiet"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("12 runs (2 configurations x 1 seed x 3 outer x 2 inner folds, then one refit per seed and outer fold)"))
        let estimate = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("outer estimate") })
        #expect(estimate.hasSuffix("pooled over 3 refit runs on 150 distinct test rows"))
        #expect(estimate.contains(" of 150 test rows right ("))
        for fold in 1...3 {
            #expect(result.stdout.contains("  repeat 0 outer fold \(fold): {"))
        }
        #expect(!result.stdout.contains("nan"))
        // Run again: nothing is trained or chosen twice, and the same estimate is printed.
        let again = try exp(["sweep", grid, "--jobs", "2", "--quiet"], in: dir)
        #expect(again.status == 0)
        #expect(again.stdout.split(separator: "\n").first { $0.hasPrefix("outer estimate") } == estimate)
    }

    @Test func oneRunIsCountedInTheSingularAndHasNoSpread() throws {
        let dir = temporaryDirectory()
        let grid = try writeGrid("single", protocolJSON: #"{"test_fraction": 0.2, "validation_fraction": 0.2}"#,
                                 layers: "[[3]]", in: dir)
        let result = try exp(["sweep", grid, "--jobs", "1", "--quiet"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("sweep 'single': 1 run (1 configuration x 1 seed) on iris"), "\(result.stderr)")
        #expect(result.stdout.contains("(by mean validation accuracy over 1 run)"), "\(result.stdout)")
        #expect(result.stdout.contains("% (one run, no spread), mean test accuracy "), "\(result.stdout)")
        #expect(!result.stdout.contains("±"))
        // Two configurations x one seed x three folds: plurals where there are several.
        let folds = try writeGrid("folds", protocolJSON: #"{"test_fraction": 0.2, "folds": 3}"#, in: dir)
        let several = try exp(["sweep", folds, "--jobs", "2", "--quiet"], in: dir)
        #expect(several.stderr.contains("sweep 'folds': 6 runs (2 configurations x 1 seed x 3 folds)"), "\(several.stderr)")
        #expect(several.stdout.contains("over 3 runs)") && several.stdout.contains("% ± "), "\(several.stdout)")
    }
}
