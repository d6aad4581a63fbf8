import Foundation
import Testing
import TestSupport
import Tracker

/// `exp serve`'s pages in headless Chromium (Tests/browser/check_serve.py) while two sweeps write:
/// a training run's page shows its curve grow, the sweeps page and the running sweep's
/// leaderboard table update without a reload, no page
/// logs an error or loads from another site, every page fits a phone's width, and the
/// leaderboard sorts and filters. Runs when python3 and
/// chromium are installed; with REPORT_CHECKS_REQUIRED=1 a missing tool fails it.
@Test(.tags(.slow), .skippedWhenFast, .enabled(if: browserCheckRuns, "needs python3 and chromium (apt-get install chromium)"))
func servePagesWorkInChromiumWhileSweepsRun() throws {
    let (python3, chromium) = try browserTools()
    let dir = try sweptIrisFolder(name: "grid<b>&", seeds: [1, 2], grid: #"{"epochs": [20], "learning_rate": [0.05, 0.5], "hidden_layers": [[4], [8]]}"#)
    let server = try ServeProcess(database: "runs.db", in: dir)
    let runs = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true).runSummaries(sweep: "grid<b>&")
    let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
    // One run long enough to be training through the curve's check in any build; stopped at the end.
    try #"{"name": "long", "dataset": "\#(data)", "seeds": [1], "grid": {"epochs": [1000000]}}"#
        .write(to: dir.appendingPathComponent("long.json"), atomically: true, encoding: .utf8)
    let long = try LoggedProcess(["sweep", "long.json", "--quiet"], in: dir)
    defer { if long.process.isRunning { long.process.terminate(); long.wait() } }
    var training: Int64?
    #expect(eventually {
        training = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true).runSummaries(sweep: "long")
            .first { $0.status == .running }?.runID
        return training != nil
    }, "\(long.stderr)")
    let growing = try #require(training)
    try #"{"name": "live", "dataset": "\#(data)", "seeds": \#(Array(1...40)), "grid": {"epochs": [400], "learning_rate": [0.05, 0.1, 0.5]}}"#
        .write(to: dir.appendingPathComponent("live.json"), atomically: true, encoding: .utf8)
    let live = try LoggedProcess(["sweep", "live.json", "--jobs", "1", "--quiet"], in: dir)
    defer { if live.process.isRunning { live.process.terminate(); live.wait() } }
    let result = try runProgram(URL(fileURLWithPath: python3), [
        checkServe, "--chromium", chromium, "--growing", "\(growing)", "--live", "live", "http://127.0.0.1:\(server.port)", "grid<b>&",
        "\(runs[0].runID)", "\(runs[1].runID)",
    ])
    let output = result.stdout + result.stderr
    #expect(result.status == 0, "\(output)")
    #expect(output.contains("the curve of run \(growing) grew through"), "\(output)")
    #expect(output.contains("finished runs went from"), "\(output)")
    #expect(output.contains("the leaderboard table of live changed without a reload"), "\(output)")
    #expect(output.contains("4 pages at 2 widths: no errors"), "\(output)")
}

/// The database moved away and back under an open run page, then another database moved over
/// it under the open sweeps page: each page says so without a reload, and the sweeps page lists
/// the new file's sweeps only (Tests/browser/check_serve.py --swap).
@Test(.tags(.slow), .skippedWhenFast, .enabled(if: browserCheckRuns, "needs python3 and chromium (apt-get install chromium)"))
func servePagesSayTheFileIsGoneBackOrReplaced() throws {
    let (python3, chromium) = try browserTools()
    let dir = try sweptIrisFolder(name: "first", seeds: [1, 2], grid: #"{"epochs": [5]}"#)
    let other = try sweptIrisFolder(name: "second", seeds: [1], grid: #"{"epochs": [5]}"#)
    let incoming = dir.appendingPathComponent("incoming.db").path
    try RunStore(path: other.appendingPathComponent("runs.db").path, readOnly: true).snapshot(to: incoming)
    let server = try ServeProcess(database: "runs.db", in: dir)
    let runs = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true).runSummaries(sweep: "first")
    let result = try runProgram(URL(fileURLWithPath: python3), [
        checkServe, "--chromium", chromium, "--swap", dir.appendingPathComponent("runs.db").path, incoming,
        "http://127.0.0.1:\(server.port)", "first", "\(runs[0].runID)", "\(runs[1].runID)",
    ])
    let output = result.stdout + result.stderr
    #expect(result.status == 0, "\(output)")
    #expect(output.contains("the sweeps went from ['first'] to ['second'] without a reload"), "\(output)")
}

/// Whether the browser checks run here: python3 and chromium found, or required.
let browserCheckRuns = (which("python3") != nil && which(ProcessInfo.processInfo.environment["CHROMIUM"] ?? "chromium") != nil)
    || ProcessInfo.processInfo.environment["REPORT_CHECKS_REQUIRED"] == "1"

/// python3 and Chromium, or an error naming the one missing.
func browserTools() throws -> (python3: String, chromium: String) {
    (try #require(which("python3"), "python3 not found"),
     try #require(which(ProcessInfo.processInfo.environment["CHROMIUM"] ?? "chromium"), "chromium not found"))
}

let checkServe = repositoryRoot.appendingPathComponent("Tests/browser/check_serve.py").path
