import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Reads the database the way users do from Python: the standard `sqlite3` module.
private let pythonScript = """
import math, sqlite3, sys
con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for row in con.execute("SELECT sweep, config_sha256, runs, finished_runs, diverged_runs, "
                       "validation_accuracy_mean, validation_accuracy_std FROM leaderboard"):
    sweep, sha, runs, finished, diverged, mean, std = row
    print("board|%s|%s|%d|%d|%d|%s|%s" % (sweep, sha, runs, finished, diverged,
          "none" if mean is None else "%.6f" % mean, "none" if std is None else "%.6f" % std))
loss, = con.execute("SELECT final_train_loss FROM runs WHERE status = 'diverged' ORDER BY run_id LIMIT 1").fetchone()
nan, = con.execute("SELECT final_validation_loss FROM runs WHERE status = 'diverged' ORDER BY run_id LIMIT 1").fetchone()
print("inf|%s|%s" % (math.isinf(loss) and loss > 0, nan is None))
"""

@Suite struct PythonTests {
    @Test(.enabled(if: which("python3") != nil, "needs python3"))
    func pythonReadsTheLeaderboard() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        let store = try ExampleDatabase.build(at: path)
        // What the view says through this library, to compare with Python's reading.
        let expected = try store.connection.query("""
            SELECT sweep, config_sha256, runs, finished_runs, diverged_runs, validation_accuracy_mean, validation_accuracy_std
            FROM leaderboard
            """) { s -> String in
            let mean = s.double(5).map { String(format: "%.6f", $0) } ?? "none"
            let std = s.double(6).map { String(format: "%.6f", $0) } ?? "none"
            return "board|\(s.string(0)!)|\(s.string(1)!)|\(s.int(2)!)|\(s.int(3)!)|\(s.int(4)!)|\(mean)|\(std)"
        }
        #expect(expected.count == 17)  // iris 8, iris-width 3, iris-nested 2, iris-halving 4

        let result = try runProgram(URL(fileURLWithPath: try #require(which("python3"))), ["-c", pythonScript, path])
        let (status, output, error) = (result.status, result.stdout, result.stderr)
        #expect(status == 0, "python3 failed: \(error)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("board|") } == expected)
        #expect(lines.contains("inf|True|True"))
        // Spot-check one configuration by hand: iris-width, hidden [3], 3 finished seeds (28, 29 and 27 of 30 rows).
        let wide = Config(learningRate: 0.1, hidden: [3])
        let accuracies = (1...3).map { (ExampleDatabase.accuracy(wide, seed: $0) * 30).rounded() / 30 }
        let mean = accuracies.reduce(0, +) / 3
        let std = (accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        let line = "board|iris-width|\(sha256Hex(wide.json))|3|3|0|\(String(format: "%.6f", mean))|\(String(format: "%.6f", std))"
        #expect(lines.contains(line), "missing \(line) in:\n\(output)")
    }
}
