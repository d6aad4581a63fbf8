import Foundation
import Testing
import TestSupport
import Tracker

/// `exp sweep`'s progress on standard error: a live line on a terminal, plain lines otherwise,
/// none with `--quiet`.
@Suite struct ProgressTests {
    @Test func plainLinesWhenNotATerminalAndNoneWhenQuiet() throws {
        let dir = temporaryDirectory()
        let grid = try writeProcessGrid(dir, epochs: 5)
        let plain = try exp(["sweep", grid.path, "--db", "plain.db", "--jobs", "1"], in: dir)
        #expect(plain.status == 0)
        let lines = plain.stderr.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("[24/24] ") && $0.contains("runs/s") && $0.contains("0 failed") })
        #expect(!plain.stderr.contains("\u{1B}") && !plain.stderr.contains("\r"))
        let quiet = try exp(["sweep", grid.path, "--db", "quiet.db", "--jobs", "1", "--quiet"], in: dir)
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("runs/s"))
        #expect(quiet.stderr.contains("runs: 24 finished"))
    }

    /// A successive-halving grid (rungs of 2, 6 and 18 epochs, seeds 1 and 2) on Iris with the
    /// given `grid` object, written to `dir`.
    private func halvingGrid(in dir: URL, _ grid: String) throws -> URL {
        let file = dir.appendingPathComponent("halving.json")
        try """
            {"name": "halving", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1, 2],
             "search": {"method": "successive_halving", "min_epochs": 2, "max_epochs": 18, "reduction_factor": 3},
             "grid": \(grid)}
            """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A halving search trains a run once per rung it reaches: its line counts rung trainings
    /// against the planned ones, never past them, and a resume starts from those stored.
    @Test func aHalvingSearchCountsRungTrainings() throws {
        let dir = temporaryDirectory()
        let grid = try halvingGrid(in: dir, #"{"hidden_layers": [[4], [8], [16]], "learning_rate": [0.05, 0.2, 0.8]}"#)
        // 9 configurations at 2 epochs, 3 at 6, 1 at 18, on 2 seeds each: 26 trainings (18 cells).
        let swept = try exp(["sweep", grid.path, "--db", "runs.db", "--jobs", "2"], in: dir)
        #expect(swept.status == 0, "\(swept.stderr)")
        let lines = swept.stderr.split(separator: "\n")
        #expect(lines.last { $0.hasPrefix("[") }?.hasPrefix("[26/26 rung trainings] ") == true, "\(swept.stderr)")
        #expect(!lines.contains { $0.hasPrefix("[") && !$0.contains("/26 rung trainings] ") })
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        #expect(try store.rungTrainingsEnded(sweepID: 1) == 26)
    }

    /// Configurations that diverge are never promoted, so a halving search can complete with
    /// fewer trainings than planned: the last line then counts what it trained as its total and
    /// says how many planned trainings were not needed, instead of ending short of its total.
    @Test func aHalvingSearchWithDivergedConfigurationsEndsAtItsTotal() throws {
        let dir = temporaryDirectory()
        let grid = try halvingGrid(in: dir, #"""
            {"hidden_layers": [[8]], "activation": ["relu"], "scaling": ["none"], "loss": ["cross_entropy"],
             "learning_rate": [0.05, 1e6, 2e6, 3e6, 4e6, 5e6, 6e6, 7e6, 8e6]}
            """#)
        // 9 configurations at 2 epochs; 8 diverge, so 1 (not 3) reaches 6 epochs and 18: 11
        // trainings of the 13 planned, on 2 seeds each.
        let swept = try exp(["sweep", grid.path, "--db", "runs.db", "--jobs", "2"], in: dir)
        #expect(swept.status == 0, "\(swept.stderr)")
        let last = swept.stderr.split(separator: "\n").last { $0.hasPrefix("[") }
        #expect(last?.hasPrefix("[22/22 rung trainings] ") == true, "\(swept.stderr)")
        #expect(last?.hasSuffix("; 4 planned rung trainings not needed (diverged or failed configurations are not promoted)") == true)
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        #expect(try store.rungTrainingsEnded(sweepID: 1) == 22)
    }

    /// Under a pseudo-terminal (util-linux `script`), the line is rewritten in place.
    @Test(.tags(.slow), .skippedWhenFast, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func oneLiveLineOnATerminal() throws {
        let dir = temporaryDirectory()
        let grid = try writeProcessGrid(dir, epochs: 5)
        let command = "'\(try expExecutable().path)' sweep '\(grid.path)' --db live.db --jobs 1"
        let run = try exp(["-qec", command, "/dev/null"], in: dir, executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("\r\u{1B}[2K[24/24] "))
    }

    /// A resumed sweep's progress line shows the best validation accuracy of the whole sweep,
    /// the runs stored by an earlier process included.
    @Test func aResumeShowsTheSweepsBestValidationAccuracy() throws {
        let dir = temporaryDirectory()
        let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
        // Cell 0 (shard 0/2) learns; cell 1, trained by the resume, barely moves from its start.
        try """
            {"name": "resume-best", "dataset": "\(data)", "seeds": [1],
             "grid": {"epochs": [40], "hidden_layers": [[8]], "learning_rate": [0.5, 0.000001]}}
            """.write(to: dir.appendingPathComponent("grid.json"), atomically: true, encoding: .utf8)
        let first = try exp(["sweep", "grid.json", "--jobs", "1", "--shard", "0/2", "--quiet"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains(#""learning_rate":0.5"#), "shard 0 trains the learning configuration: \(first.stdout)")
        let resumed = try exp(["sweep", "grid.json", "--jobs", "1"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        let runs = try store.runSummaries(sweep: "resume-best")
        try #require(runs.count == 2)
        let learner = try #require(runs.first { $0.config.contains(#""learning_rate":0.5"#) }?.validationAccuracy)
        let other = try #require(runs.first { !$0.config.contains(#""learning_rate":0.5"#) }?.validationAccuracy)
        // The premise: the earlier process's run (cell 0) is the better one.
        #expect(learner > other + 0.1, "\(runs)")
        let line = try #require(resumed.stderr.split(separator: "\n").last { $0.hasPrefix("[2/2] ") }, "\(resumed.stderr)")
        #expect(line.hasSuffix(String(format: "best validation accuracy %.1f%%", learner * 100)), "\(line)")
    }
}
