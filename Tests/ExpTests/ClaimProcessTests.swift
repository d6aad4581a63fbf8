import Foundation
import Testing
import TestSupport
import Tracker

/// A started `exp` (or other) process whose standard error goes to a file.
struct LoggedProcess {
    let process: Process
    let log: URL

    /// Starts `executable` (by default `exp`) with `arguments` in `directory`.
    init(_ arguments: [String], in directory: URL, executable: URL? = nil) throws {
        log = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = try executable ?? expExecutable()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits for the process to end; its exit status (or signal number).
    @discardableResult
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// What it wrote on standard error so far.
    var stderr: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
}

/// Waits up to `seconds` for `condition`, polling; whether it became true.
@discardableResult
func eventually(within seconds: Double = 60, _ condition: () throws -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? condition()) == true { return true }
        usleep(10_000)
    }
    return false
}

/// One value from the database at `path` (nil while it does not answer).
func scalar(_ path: String, _ sql: String) -> SQLValue? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try? Connection(path: path).scalar(sql)
}

/// A grid over the shipped Iris file with one configuration of `epochs` epochs and these seeds.
func writeLongGrid(_ dir: URL, name: String = "long", seeds: [Int], epochs: Int) throws -> URL {
    let url = dir.appendingPathComponent("\(name).json")
    try """
        {"name": "\(name)", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": \(seeds),
         "grid": {"hidden_layers": [[32, 32]], "learning_rate": [0.1], "epochs": [\(epochs)]}}
        """.write(to: url, atomically: true, encoding: .utf8)
    return url
}

/// Processes sharing a sweep: claim tokens, liveness by heartbeat (pids only within one PID
/// namespace), a survivor that waits for its peers and takes over a dead one's cell.
@Suite(.serialized, .tags(.slow), .skippedWhenFast) struct ClaimProcessTests {
    /// A process paused (`kill -STOP`) past its heartbeat window loses its cell to a peer; once
    /// resumed, its late result is dropped with one line, and the new owner's result is the one
    /// stored: exactly one finished row, equal to an uninterrupted sweep's.
    @Test func aPausedProcessesLateResultIsDropped() throws {
        let dir = temporaryDirectory()
        let grid = try writeLongGrid(dir, seeds: [1], epochs: 1500)
        #expect(try exp(["sweep", grid.path, "--db", "reference.db", "--quiet"], in: dir).status == 0)
        let db = dir.appendingPathComponent("runs.db").path

        let first = try LoggedProcess(["sweep", grid.path, "--db", db, "--jobs", "1", "--quiet", "--heartbeat-timeout", "2"], in: dir)
        #expect(eventually { scalar(db, "SELECT pid FROM runs WHERE status = 'running'")?.int == Int(first.pid) })
        kill(first.pid, SIGSTOP)
        let peer = try LoggedProcess(["sweep", grid.path, "--db", db, "--jobs", "1", "--quiet", "--heartbeat-timeout", "6"], in: dir)
        let tookOver = eventually { scalar(db, "SELECT pid FROM runs WHERE status IN ('running', 'finished')")?.int == Int(peer.pid) }
        kill(first.pid, SIGCONT)
        #expect(tookOver)
        #expect(first.wait() == 0, "\(first.stderr)")
        #expect(peer.wait() == 0, "\(peer.stderr)")

        #expect(first.stderr.contains("exp: dropped this process's late result of run 1: another process took the run over"), "\(first.stderr)")
        #expect(peer.stderr.contains("exp: took over run 1 (cell 0) from pid \(first.pid)"), "\(peer.stderr)")
        #expect(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 1)
        #expect(scalar(db, "SELECT attempt || ' ' || pid FROM runs")?.string == "2 \(peer.pid)")
        #expect(scalar(db, "SELECT COUNT(*) FROM epoch_metrics")?.int == 1500)
        #expect(try cellOutcomes(db) == cellOutcomes(dir.appendingPathComponent("reference.db").path))
    }

    /// `kill -9` of one of two processes mid-run: the survivor finishes the dead one's cell
    /// (its pid is gone in the same namespace: no need to wait for the heartbeat window) and
    /// exits 0, with no cell left `running`.
    @Test func theSurvivorOfAKilledPeerFinishesItsCell() throws {
        let dir = temporaryDirectory()
        let grid = try writeProcessGrid(dir, epochs: 400)
        let db = dir.appendingPathComponent("runs.db").path
        let survivor = try LoggedProcess(["sweep", grid.path, "--db", db, "--jobs", "1", "--quiet"], in: dir)
        let victim = try LoggedProcess(["sweep", grid.path, "--db", db, "--jobs", "1", "--quiet"], in: dir)
        #expect(eventually {
            (scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int ?? 0) >= 2
                && scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'running' AND pid = \(victim.pid)")?.int == 1
        })
        kill(victim.pid, SIGKILL)
        victim.wait()
        #expect(survivor.wait() == 0, "\(survivor.stderr)")
        #expect(survivor.stderr.contains("from pid \(victim.pid)"), "\(survivor.stderr)")
        #expect(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 24)
        #expect(scalar(db, "SELECT COUNT(*) FROM runs WHERE attempt = 2")?.int == 1)
    }

    /// A peer in another PID namespace (`unshare --pid --fork`, a container's view): its pid
    /// means nothing here, even when no process here has it, so its live cell is waited for,
    /// never taken; killed, its cell is taken over once its heartbeat is older than its window.
    /// True when this process may start a second PID namespace and choose its pids (root, with
    /// the capabilities a privileged container or a machine gives).
    static let canStartPIDNamespaces: Bool = {
        guard getuid() == 0, let unshare = which("unshare") else { return false }
        let probe = try? runProgram(URL(fileURLWithPath: unshare),
                                    ["--pid", "--fork", "--mount-proc", "/bin/sh", "-c", "echo 100 > /proc/sys/kernel/ns_last_pid"])
        return probe?.status == 0
    }()

    @Test(.enabled(if: canStartPIDNamespaces, "needs root and unshare(1) allowed to start a second PID namespace"))
    func aPeerInAnotherPIDNamespaceIsJudgedByItsHeartbeat() throws {
        let dir = temporaryDirectory()
        // Cell 0 trains 4000 epochs, cell 1 only 200: the host process waits for the contained one.
        let grid = dir.appendingPathComponent("namespaces.json")
        try """
            {"name": "namespaces", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1],
             "grid": {"hidden_layers": [[32, 32]], "learning_rate": [0.1], "epochs": [4000, 200]}}
            """.write(to: grid, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("runs.db").path
        func cells(_ path: String, _ columns: String) -> String? {
            scalar(path, "SELECT group_concat(cell, ', ') FROM (SELECT \(columns) AS cell FROM runs ORDER BY cell_index)")?.string
        }
        // In the new namespace, exp gets pid 30000: a pid no process of this namespace has.
        let namespacePID = 30_000
        try #require(kill(pid_t(namespacePID), 0) != 0, "pid \(namespacePID) is in use here; the test needs it free")
        func startInNamespace(db: String, timeout: String) throws -> LoggedProcess {
            try LoggedProcess(["--pid", "--fork", "--mount-proc", "--kill-child", "/bin/sh", "-c",
                               "echo \(namespacePID - 1) > /proc/sys/kernel/ns_last_pid && \"$0\" \"$@\"",
                               try expExecutable().path, "sweep", grid.path, "--db", db, "--jobs", "1", "--quiet",
                               "--heartbeat-timeout", timeout],
                              in: dir, executable: URL(fileURLWithPath: which("unshare")!))
        }

        let contained = try startInNamespace(db: db, timeout: "60")
        #expect(eventually { scalar(db, "SELECT pid FROM runs WHERE status = 'running'")?.int == namespacePID }, "\(contained.stderr)")
        let host = try LoggedProcess(["sweep", grid.path, "--db", db, "--jobs", "1", "--quiet"], in: dir)
        #expect(host.wait() == 0, "\(host.stderr)")
        #expect(contained.wait() == 0, "\(contained.stderr)")
        #expect(!host.stderr.contains("took over"), "\(host.stderr)")
        #expect(cells(db, "status || ' ' || attempt || ' ' || pid || ' ' || epochs_run") == "finished 1 \(namespacePID) 4000, finished 1 \(host.pid) 200")
        #expect(scalar(db, "SELECT COUNT(DISTINCT pid_namespace) FROM runs")?.int == 2)

        let killedDB = dir.appendingPathComponent("killed.db").path
        let killed = try startInNamespace(db: killedDB, timeout: "3")
        #expect(eventually { scalar(killedDB, "SELECT pid FROM runs WHERE status = 'running'")?.int == namespacePID })
        kill(killed.pid, SIGKILL)
        killed.wait()
        let started = Date()
        let survivor = try LoggedProcess(["sweep", grid.path, "--db", killedDB, "--jobs", "1", "--quiet"], in: dir)
        #expect(survivor.wait() == 0, "\(survivor.stderr)")
        #expect(survivor.stderr.contains("exp: took over run 1 (cell 0) from pid \(namespacePID)"), "\(survivor.stderr)")
        #expect(Date().timeIntervalSince(started) >= 2)
        #expect(cells(killedDB, "status || ' ' || attempt") == "finished 2, finished 1")
    }
}
