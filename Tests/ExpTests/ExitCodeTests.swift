import Foundation
import Testing
import TestSupport
import Tracker

/// The exit statuses of README.md's table, on the real executable: 0 done (every cell finished
/// or diverged), 1 ran but incomplete or failed, 2 rejected input, 128 + n after signal n.
@Suite struct ExitCodeTests {
    let iris = repositoryRoot.appendingPathComponent("Data/iris.data").path

    /// Exactly one line on standard error, starting `exp: `.
    func isOneLine(_ invocation: ProgramResult) -> Bool {
        invocation.stderr.hasPrefix("exp: ") && invocation.stderr.filter { $0 == "\n" }.count == 1
    }

    @Test func usageErrorsExitTwoWithOneLine() throws {
        let dir = temporaryDirectory()
        let grid = try writeProcessGrid(dir, epochs: 1)
        let jobs = try exp(["sweep", grid.path, "--jobs", "0"], in: dir)
        #expect(jobs.status == 2)
        #expect(jobs.stderr == "exp: --jobs must be between 1 and 128\n")
        let heartbeat = try exp(["sweep", grid.path, "--heartbeat-timeout", "0.5"], in: dir)
        #expect(heartbeat.status == 2)
        #expect(heartbeat.stderr == "exp: --heartbeat-timeout must be at least 1 (seconds)\n")
        let unknown = try exp(["runs", "--frobnicate"], in: dir)
        #expect(unknown.status == 2)
        #expect(isOneLine(unknown), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("--frobnicate"))
        let subcommand = try exp(["frobnicate"], in: dir)
        #expect(subcommand.status == 2)
        #expect(isOneLine(subcommand), "\(subcommand.stderr)")
        let missing = try exp(["sweep"], in: dir)
        #expect(missing.status == 2)
        #expect(isOneLine(missing), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))
    }

    @Test func helpAndVersionExitZero() throws {
        let dir = temporaryDirectory()
        let help = try exp(["sweep", "--help"], in: dir)
        #expect(help.status == 0)
        #expect(help.stdout.contains("--jobs"))
        #expect(help.stderr.isEmpty)
        let version = try exp(["--version"], in: dir)
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)
    }

    @Test func rejectedInputAndUnusableDatabasesExitTwo() throws {
        let dir = temporaryDirectory()
        let noGrid = try exp(["sweep", "nowhere.json"], in: dir)
        #expect(noGrid.status == 2)
        #expect(noGrid.stderr.contains("nowhere.json: cannot read the file"), "\(noGrid.stderr)")
        let noData = try exp(["train", "--data", "nowhere.csv"], in: dir)
        #expect(noData.status == 2)
        #expect(isOneLine(noData), "\(noData.stderr)")
        let noDatabase = try exp(["report", "--db", "none.db"], in: dir)
        #expect(noDatabase.status == 2)
        #expect(noDatabase.stderr == "exp: no database at none.db; run `exp sweep GRID` first\n")
        var damagedFile = Data("SQLite format 3\0".utf8)
        damagedFile.append(Data(repeating: 0xFF, count: 8192 - damagedFile.count))
        try damagedFile.write(to: dir.appendingPathComponent("damaged.db"))
        let damaged = try exp(["runs", "--db", "damaged.db"], in: dir)
        #expect(damaged.status == 2)
        #expect(isOneLine(damaged), "\(damaged.stderr)")
    }

    @Test func aCompleteSweepExitsZeroEvenWhenCellsDiverge() throws {
        let dir = temporaryDirectory()
        let grid = dir.appendingPathComponent("grid.json")
        try """
            {"name": "diverging", "dataset": "\(iris)", "seeds": [1],
             "grid": {"learning_rate": [0.1, 1000.0], "hidden_layers": [[8]], "scaling": ["none"], "loss": ["cross_entropy"],
                      "activation": ["relu"], "epochs": [100]}}
            """.write(to: grid, atomically: true, encoding: .utf8)
        let sweep = try exp(["sweep", grid.path, "--quiet"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stderr.contains("runs: 1 finished, 1 diverged"))
        // `exp train` is a one-cell sweep: a diverged run is a result too (it exited 1 before).
        let train = try exp(["train", "--data", iris, "--hidden-layers", "16", "--activation", "relu", "--loss", "cross_entropy",
                             "--learning-rate", "1e6", "--epochs", "20"], in: dir)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains(": diverged"))
    }

    @Test func aCommandThatRanButFailedExitsOne() throws {
        let dir = temporaryDirectory()
        #expect(try exp(["train", "--data", iris, "--epochs", "5"], in: dir).status == 0)
        try "not a folder\n".write(to: dir.appendingPathComponent("taken"), atomically: true, encoding: .utf8)
        let report = try exp(["report", "--out", "taken/reports"], in: dir)
        #expect(report.status == 1)
        #expect(report.stderr.hasPrefix("exp: cannot write the report to taken/reports"), "\(report.stderr)")
        #expect(isOneLine(report))
    }

    /// SIGTERM exits 143 like SIGINT exits 130; a second signal does not wait for the runs in
    /// flight: they are stored `interrupted` at once.
    @Test(.tags(.slow), .skippedWhenFast) func signalsExit128PlusTheirNumber() throws {
        let dir = temporaryDirectory()
        let grid = try writeProcessGrid(dir, epochs: 200_000)
        let db = dir.appendingPathComponent("runs.db").path
        for (signal, twice) in [(SIGTERM, false), (SIGINT, true)] {
            let process = Process()
            process.executableURL = try expExecutable()
            process.arguments = ["sweep", grid.path, "--db", db, "--quiet", "--jobs", "2"]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, runningRuns(db) < 2 { usleep(10_000) }
            kill(process.processIdentifier, signal)
            if twice {
                usleep(200_000)
                kill(process.processIdentifier, signal)
            }
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 128 + signal, "\(stderr)")
            #expect(stderr.contains("run the same command to resume"))
            #expect(runningRuns(db) == 0)
            let connection = try Connection(path: db)
            #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'interrupted'")?.int == 2)
        }
    }

    /// Runs the database at `path` holds as `running`.
    func runningRuns(_ path: String) -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        return (try? Connection(path: path).scalar("SELECT COUNT(*) FROM runs WHERE status = 'running'")?.int) ?? 0
    }

    @Test func aGridOverTheCellLimitExitsTwoAtOnce() throws {
        let dir = temporaryDirectory()
        let huge = repositoryRoot.appendingPathComponent("Tests/SweepTests/Fixtures/cases/grids/g12_five_billion_cells.json")
        let refused = try exp(["sweep", huge.path], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("g12_five_billion_cells.json: line 1, column "), "\(refused.stderr)")
        #expect(refused.stderr.contains("grid: has 5000000000 cells (up to 1000000000 configurations x 5 seeds), "
                                        + "over the limit of 10000000"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))
        // The limit is the user's to change.
        let grid = try writeProcessGrid(dir, epochs: 1)
        let lowered = try exp(["sweep", grid.path, "--max-cells", "1"], in: dir)
        #expect(lowered.status == 2)
        #expect(lowered.stderr.contains("over the limit of 1;"), "\(lowered.stderr)")
        let zero = try exp(["sweep", grid.path, "--max-cells", "0"], in: dir)
        #expect(zero.stderr == "exp: --max-cells must be at least 1\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))
    }
}
