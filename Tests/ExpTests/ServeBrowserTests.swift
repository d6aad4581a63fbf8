import Foundation
import Testing
import TestSupport
import Tracker

/// `exp serve`'s pages in headless Chromium (Tests/browser/check_serve.py) while a sweep writes:
/// the sweeps page and the running sweep's leaderboard table update without a reload, no page
/// logs an error or loads from another site, every page fits a phone's width, and the
/// leaderboard sorts and filters. Runs when python3 and
/// chromium are installed; with REPORT_CHECKS_REQUIRED=1 a missing tool fails it.
@Test(.tags(.slow), .skippedWhenFast,
      .enabled(if: (which("python3") != nil && which(ProcessInfo.processInfo.environment["CHROMIUM"] ?? "chromium") != nil)
                   || ProcessInfo.processInfo.environment["REPORT_CHECKS_REQUIRED"] == "1",
               "needs python3 and chromium (apt-get install chromium)"))
func servePagesWorkInChromiumWhileASweepRuns() throws {
    let python3 = try #require(which("python3"), "python3 not found")
    let chromium = try #require(which(ProcessInfo.processInfo.environment["CHROMIUM"] ?? "chromium"), "chromium not found")
    let dir = try sweptIrisFolder(name: "grid<b>&", seeds: [1, 2], grid: #"{"epochs": [20], "learning_rate": [0.05, 0.5], "hidden_layers": [[4], [8]]}"#)
    let server = try ServeProcess(database: "runs.db", in: dir)
    let runs = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true).runSummaries(sweep: "grid<b>&")
    let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
    try #"{"name": "live", "dataset": "\#(data)", "seeds": \#(Array(1...40)), "grid": {"epochs": [400], "learning_rate": [0.05, 0.1, 0.5]}}"#
        .write(to: dir.appendingPathComponent("live.json"), atomically: true, encoding: .utf8)
    let sweep = Process()
    sweep.executableURL = try expExecutable()
    sweep.arguments = ["sweep", "live.json", "--jobs", "1", "--quiet"]
    sweep.currentDirectoryURL = dir
    sweep.standardInput = FileHandle.nullDevice
    sweep.standardOutput = FileHandle.nullDevice
    try sweep.run()
    defer { if sweep.isRunning { sweep.terminate() } }
    let script = repositoryRoot.appendingPathComponent("Tests/browser/check_serve.py").path
    let result = try runProgram(URL(fileURLWithPath: python3), [
        script, "--chromium", chromium, "--live", "live", "http://127.0.0.1:\(server.port)", "grid<b>&",
        "\(runs[0].runID)", "\(runs[1].runID)",
    ])
    let output = result.stdout + result.stderr
    #expect(result.status == 0, "\(output)")
    #expect(output.contains("finished runs went from"), "\(output)")
    #expect(output.contains("the leaderboard table of live changed without a reload"), "\(output)")
    #expect(output.contains("4 pages at 2 widths: no errors"), "\(output)")
}
