import Foundation
import Testing
import TestSupport
import Tracker

/// Mounting a read-only bind mount or a small tmpfs: needs root and a system that allows it
/// (CI runs as root); the tests that need it are skipped otherwise.
enum Mounts {
    static let available: Bool = {
        guard getuid() == 0 else { return false }
        let probe = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: probe) }
        guard tool("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.path]) == 0 else { return false }
        return tool("umount", [probe.path]) == 0
    }()

    /// Shows `source` read-only at `target` (`mount --bind`, then `remount,ro,bind`).
    static func readOnlyBind(_ source: URL, at target: URL) throws {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try #require(tool("mount", ["--bind", source.path, target.path]) == 0)
        try #require(tool("mount", ["-o", "remount,ro,bind", target.path]) == 0)
    }

    /// A tmpfs of `bytes` at `target`.
    static func tmpfs(bytes: Int, at target: URL) throws {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try #require(tool("mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", target.path]) == 0)
    }

    static func unmount(_ target: URL) { _ = tool("umount", [target.path]) }
}

/// Runs a program found on the `PATH` and returns its exit status (-1 when it cannot start).
@discardableResult
func tool(_ name: String, _ arguments: [String], in directory: URL? = nil, output: UnsafeMutablePointer<String>? = nil) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [name] + arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return -1 }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    output?.pointee = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return process.terminationStatus
}

/// True when `name` runs from the `PATH`.
func hasTool(_ name: String) -> Bool { tool("which", [name]) == 0 }

@Suite struct DatabaseFileTests {
    let iris = repositoryRoot.appendingPathComponent("Data/iris.data").path

    /// Exactly one line on standard error, starting `exp: `.
    func isOneLine(_ invocation: ProgramResult) -> Bool {
        invocation.stderr.hasPrefix("exp: ") && invocation.stderr.filter { $0 == "\n" }.count == 1
    }

    /// A folder with `runs.db` holding one finished run (exp has exited: the file alone is complete).
    func trainedFolder(epochs: Int = 5) throws -> URL {
        let dir = temporaryDirectory()
        let train = try exp(["train", "--data", iris, "--epochs", "\(epochs)"], in: dir)
        try #require(train.status == 0, "\(train.stderr)")
        return dir
    }

    /// Every command that only reads, with the database at `db`.
    func readCommands(_ db: String) -> [[String]] {
        [["runs", "--db", db], ["show", "1", "--db", db], ["report", "--db", db, "--out", "reports"], ["db", "check", "--db", db],
         ["predict", "--run", "1", iris, "--db", db], ["evaluate", "--run", "1", iris, "--db", db],
         ["data", "list", "--db", db], ["data", "show", "iris", "--db", db], ["merge", "merged.db", db]]
    }

    @Test(.tags(.slow), .skippedWhenFast, .enabled(if: Mounts.available, "needs root and permission to mount"))
    func readCommandsAndTheDocumentedRecipesWorkOnAReadOnlyMount() throws {
        let dir = try trainedFolder()
        let shelf = dir.appendingPathComponent("shelf"), mounted = dir.appendingPathComponent("mounted")
        try FileManager.default.createDirectory(at: shelf, withIntermediateDirectories: false)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("runs.db"), to: shelf.appendingPathComponent("runs.db"))
        #expect(try exp(["db", "snapshot", "--db", "runs.db", "shelf/snapshot.db"], in: dir).status == 0)
        try Mounts.readOnlyBind(shelf, at: mounted)
        defer { Mounts.unmount(mounted) }
        for arguments in readCommands("mounted/runs.db") {
            let run = try exp(arguments, in: dir)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("note: nothing can be written beside mounted/runs.db (read-only storage)"), "\(arguments): \(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: shelf.path).sorted() == ["runs.db", "snapshot.db"])
        // docs/schema.md's recipes: a snapshot opens as it is; a WAL file copied alone with immutable=1.
        guard hasTool("sqlite3"), hasTool("python3") else { return }
        var count = ""
        for target in ["mounted/snapshot.db", "file:mounted/runs.db?immutable=1"] {
            #expect(tool("sqlite3", ["-readonly", target, "SELECT COUNT(*) FROM runs"], in: dir, output: &count) == 0)
            #expect(count == "1", "\(target)")
        }
        for uri in ["file:mounted/snapshot.db?mode=ro", "file:mounted/runs.db?mode=ro&immutable=1"] {
            let script = "import sqlite3; print(sqlite3.connect('\(uri)', uri=True).execute('SELECT COUNT(*) FROM runs').fetchone()[0])"
            #expect(tool("python3", ["-c", script], in: dir, output: &count) == 0)
            #expect(count == "1", "\(uri)")
        }
    }

    /// Eight processes opening an older file at once: it is upgraded once, and only the process
    /// that upgrades it writes a backup and says so.
    @Test(.tags(.slow), .skippedWhenFast) func eightProcessesUpgradingOneFileWriteOneBackupAndOneMessage() throws {
        let dir = temporaryDirectory()
        let fixture = repositoryRoot.appendingPathComponent("Tests/TrackerTests/Fixtures/runs-v2.sql")
        try Connection(path: dir.appendingPathComponent("old.db").path).execute(try String(contentsOf: fixture, encoding: .utf8))
        let executable = try expExecutable()
        let processes = (0..<8).map { _ -> (Process, Pipe) in
            let process = Process(), err = Pipe()
            process.executableURL = executable
            process.arguments = ["data", "import", iris, "--db", "old.db"]
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            return (process, err)
        }
        for (process, _) in processes { try process.run() }
        var messages = ""
        for (process, err) in processes {
            messages += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        #expect(messages.components(separatedBy: "upgraded the schema of old.db").count - 1 == 1, "\(messages)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("-backup-") }.count == 1)
        #expect(try Connection(path: dir.appendingPathComponent("old.db").path).userVersion == Migrations.latestVersion)
    }

    /// A WAL file whose `-wal` file holds writes, on read-only storage: SQLite cannot read it
    /// without its `-shm` file and immutable would miss those writes, so it is refused by name.
    @Test(.tags(.slow), .skippedWhenFast, .enabled(if: Mounts.available, "needs root and permission to mount"))
    func aFileWithItsWalOnReadOnlyStorageIsRefusedByName() throws {
        let dir = try trainedFolder()
        let shelf = dir.appendingPathComponent("shelf"), mounted = dir.appendingPathComponent("mounted")
        try FileManager.default.createDirectory(at: shelf, withIntermediateDirectories: false)
        let writer = try Connection(path: dir.appendingPathComponent("runs.db").path)
        try writer.execute("PRAGMA wal_autocheckpoint = 0; UPDATE runs SET error = 'in the wal'")
        for name in ["runs.db", "runs.db-wal"] {
            try FileManager.default.copyItem(at: dir.appendingPathComponent(name), to: shelf.appendingPathComponent(name))
        }
        try Mounts.readOnlyBind(shelf, at: mounted)
        defer { Mounts.unmount(mounted) }
        let runs = try exp(["runs", "--db", "mounted/runs.db"], in: dir)
        #expect(runs.status == 2)
        #expect(runs.stderr == "exp: mounted/runs.db is on read-only storage and its -wal file holds recent writes; "
                + "copy mounted/runs.db and mounted/runs.db-wal to writable storage\n", "\(runs.stderr)")
    }

    /// In a folder the user may not write, read commands work and write nothing.
    ///
    /// Root ignores permissions, so as root the commands run as `nobody`, after a probe shows
    /// that `nobody` may not write there. Some systems let a user changed from root keep root's
    /// capabilities, or ignore permissions on their file systems; there the folder is shown
    /// through a read-only bind mount instead, which every user is refused.
    @Test(.tags(.slow), .skippedWhenFast)
    func readCommandsWorkInAFolderTheUserMayNotWrite() throws {
        let dir = try trainedFolder()
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
        // `nobody` may not reach the build folder (a checkout under a private folder): it runs a
        // copy from a folder everyone may read.
        let shared = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: shared) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shared.path)
        let executable = shared.appendingPathComponent("exp")
        try FileManager.default.copyItem(at: try expExecutable(), to: executable)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable.path)
        let data = shared.appendingPathComponent("iris.data")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: iris), to: data)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: data.path)

        let asNobody = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        var folder = dir, mounted: URL?
        defer { if let mounted { Mounts.unmount(mounted) } }
        let run: ([String]) throws -> ProgramResult
        if getuid() != 0 {
            run = { try exp($0, in: dir) }
        } else if hasTool("setpriv"), tool("setpriv", asNobody + ["sh", "-c", ": > probe"], in: dir) != 0 {
            run = { try exp(asNobody + [executable.path] + $0, in: dir, executable: URL(fileURLWithPath: "/usr/bin/setpriv")) }
        } else if Mounts.available {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent("probe"))
            folder = shared.appendingPathComponent("mounted")
            try Mounts.readOnlyBind(dir, at: folder)
            mounted = folder
            run = { try exp($0, in: folder) }
        } else {
            try Test.cancel("no user here is refused a folder of mode 555, and mounting is not allowed")
        }
        for arguments in [["runs"], ["show", "1"], ["db", "check"], ["evaluate", "--run", "1", data.path]] {
            let result = try run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("read-only storage"), "\(arguments): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["runs.db"])
    }

    /// A missing file: every read command says the same, and creates nothing.
    @Test func aMissingFileGetsOneMessageInEveryCommand() throws {
        let dir = temporaryDirectory()
        for arguments in readCommands("none.db") {
            let run = try exp(arguments, in: dir)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr == "exp: no database at none.db; run `exp sweep GRID` first\n", "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("none.db").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports").path))
    }

    /// A 0-byte file: read commands say it is empty and leave it so; a sweep sets it up.
    @Test func anEmptyFileIsNotAnExpDatabaseToReaders() throws {
        let dir = temporaryDirectory()
        let empty = dir.appendingPathComponent("empty.db")
        _ = FileManager.default.createFile(atPath: empty.path, contents: nil)
        for arguments in readCommands("empty.db") {
            let run = try exp(arguments, in: dir)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr == "exp: empty.db is empty: not an exp database\n", "\(arguments): \(run.stderr)")
            #expect(try Data(contentsOf: empty).isEmpty, "\(arguments)")
        }
        let train = try exp(["train", "--data", iris, "--epochs", "3", "--db", "empty.db"], in: dir)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(finishedRuns(empty.path) == 1)
    }

    /// Another program's SQLite database, and a text file too short for SQLite's header (which
    /// SQLite reads as an empty database): every command, reading or writing, refuses it by
    /// name with status 2, and the file is left byte for byte as it was.
    @Test func aFileExpDidNotSetUpIsRefusedAndLeftAlone() throws {
        let dir = temporaryDirectory()
        let other = dir.appendingPathComponent("other.db"), short = dir.appendingPathComponent("short.db")
        let connection = try Connection(path: other.path)
        try connection.execute("CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES ('keep me')")
        try "x".write(to: short, atomically: true, encoding: .utf8)
        let before = try [Data(contentsOf: other), Data(contentsOf: short)]
        for (name, message) in [("other.db", "other.db is an SQLite database but not an exp database (it has no exp schema); name another file"),
                                ("short.db", "short.db is not an SQLite database")] {
            for arguments in readCommands(name) + [["train", "--data", iris, "--epochs", "3", "--db", name]] {
                let run = try exp(arguments, in: dir)
                #expect(run.status == 2, "\(arguments)")
                #expect(run.stderr == "exp: \(message)\n", "\(arguments): \(run.stderr)")
            }
        }
        #expect(try [Data(contentsOf: other), Data(contentsOf: short)] == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["other.db", "short.db"])
    }

    @Test func aDirectoryIsNamedAsOne() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("results"), withIntermediateDirectories: false)
        for arguments in readCommands("results") + [["train", "--data", iris, "--epochs", "3", "--db", "results"]] {
            let run = try exp(arguments, in: dir)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr == "exp: results is a directory, not a database file\n", "\(arguments): \(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("results").path).isEmpty)
    }

    /// Overwrites the pages of `table` (as `dbstat` lists them) with garbage.
    func damage(_ path: String, table: String, rootToo: Bool) throws {
        let pages = try Connection(path: path, readOnly: true).query("SELECT pageno, path FROM dbstat WHERE name = ?", [.text(table)]) { s in
            (s.int(0)!, s.string(1)!)
        }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        for (page, location) in pages where rootToo || location != "/" {
            try handle.seek(toOffset: UInt64((page - 1) * 4096))
            handle.write(Data(repeating: 0xA5, count: 4096))
        }
    }

    /// Damaged pages: one line pointing at `exp db check`, exit 2 (README: a damaged database is
    /// unusable input); a sweep refuses to write into a file whose `epoch_metrics` pages are
    /// damaged even though the runs it would read are intact.
    @Test func aDamagedFileIsReportedOnceInTheUsersTerms() throws {
        let dir = try trainedFolder(epochs: 400)
        let db = dir.appendingPathComponent("runs.db").path
        try FileManager.default.copyItem(atPath: db, toPath: dir.appendingPathComponent("metrics.db").path)
        try damage(db, table: "runs", rootToo: true)
        for arguments in [["runs"], ["show", "1"], ["report", "--out", "reports"]] {
            let run = try exp(arguments, in: dir)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr == "exp: runs.db is damaged; `exp db check --db runs.db` shows where\n", "\(arguments): \(run.stderr)")
        }
        let check = try exp(["db", "check"], in: dir)
        #expect(check.status == 1)
        #expect(!check.stdout.contains("integrity: ok"))

        let metrics = dir.appendingPathComponent("metrics.db").path
        try damage(metrics, table: "epoch_metrics", rootToo: false)
        let before = try Data(contentsOf: URL(fileURLWithPath: metrics))
        let grid = try writeProcessGrid(dir, epochs: 5)
        let sweep = try exp(["sweep", grid.path, "--db", "metrics.db"], in: dir)
        #expect(sweep.status == 2)
        #expect(sweep.stderr == "exp: metrics.db is damaged; `exp db check --db metrics.db` shows where\n", "\(sweep.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: metrics)) == before)
    }

    /// A disk that fills mid-sweep: one line saying so, exit 1, and the same command finishes
    /// the sweep once there is space, with every cell stored once.
    @Test(.tags(.slow), .skippedWhenFast, .enabled(if: Mounts.available, "needs root and permission to mount"))
    func aFullDiskStopsTheSweepWithAMessageAndLosesNothing() throws {
        let dir = temporaryDirectory()
        let disk = dir.appendingPathComponent("disk")
        // 8 MiB: once the filler is gone, room for all 24 runs and a write-ahead log as large.
        try Mounts.tmpfs(bytes: 8 << 20, at: disk)
        defer { Mounts.unmount(disk) }
        let grid = try writeProcessGrid(dir, epochs: 300)
        // Leave room for the schema and the queued cells, not for 24 runs' metrics and weights.
        let filler = disk.appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: filler.path, contents: Data(count: (8 << 20) - (400 << 10)))
        let full = try exp(["sweep", grid.path, "--db", "disk/runs.db", "--quiet", "--jobs", "1"], in: dir)
        #expect(full.status == 1, "\(full.stderr)")
        let errors = full.stderr.split(separator: "\n").filter { $0.hasPrefix("exp: ") }
        #expect(errors == ["exp: stopped: the disk holding disk/runs.db is full; free space and run the same command to resume"], "\(full.stderr)")
        try FileManager.default.removeItem(at: filler)
        let resumed = try exp(["sweep", grid.path, "--db", "disk/runs.db"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let connection = try Connection(path: disk.appendingPathComponent("runs.db").path)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 24 * 300)
    }

    /// A reader holding a transaction as exp exits: the checkpoint is retried, so a reader that
    /// lets go within a few seconds still leaves the `.db` complete; one that does not gets a
    /// note that the `-wal` file belongs with the copy.
    @Test(.tags(.slow), .skippedWhenFast) func theExitCheckpointWaitsBrieflyForReadersThenSaysWhereTheRunsAre() throws {
        let dir = try trainedFolder()
        let db = dir.appendingPathComponent("runs.db").path
        let reader = try Connection(path: db, readOnly: true)
        try reader.execute("BEGIN")
        _ = try reader.scalar("SELECT COUNT(*) FROM runs")
        // The reader lets go half a second after exp printed its result, as exp is exiting.
        let process = Process()
        process.executableURL = try expExecutable()
        process.arguments = ["train", "--data", iris, "--epochs", "6"]
        process.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        (process.standardOutput, process.standardError) = (out, err)
        try process.run()
        #expect(!out.fileHandleForReading.availableData.isEmpty)
        usleep(500_000)
        try reader.execute("COMMIT")
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(errors)")
        #expect(!errors.contains("note:"), "\(errors)")
        try FileManager.default.copyItem(atPath: db, toPath: dir.appendingPathComponent("copy.db").path)
        #expect(finishedRuns(dir.appendingPathComponent("copy.db").path) == 2)

        let holder = try Connection(path: db, readOnly: true)
        try holder.execute("BEGIN")
        _ = try holder.scalar("SELECT COUNT(*) FROM runs")
        let third = try exp(["train", "--data", iris, "--epochs", "7"], in: dir)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("note: another program is using runs.db, so recent runs are still in runs.db-wal"), "\(third.stderr)")
        try holder.execute("COMMIT")
        #expect(finishedRuns(db) == 3)
    }

    @Test func mergeRefusesItsOwnTargetByAnotherPathAtOnce() throws {
        let dir = try trainedFolder()
        let started = Date()
        for other in ["./runs.db", dir.appendingPathComponent("runs.db").path] {
            let merge = try exp(["merge", "runs.db", other], in: dir)
            #expect(merge.status == 2)
            #expect(merge.stderr == "exp: cannot merge \(other) into runs.db: they are the same file\n", "\(merge.stderr)")
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// A newer schema is a check line of its own, and input this exp refuses (exit 2).
    @Test func checkReportsANewerSchemaAsItsOwnLine() throws {
        let dir = temporaryDirectory()
        let connection = try Connection(path: dir.appendingPathComponent("newer.db").path)
        try connection.execute("CREATE TABLE t (x); PRAGMA user_version = 99")
        let check = try exp(["db", "check", "--db", "newer.db"], in: dir)
        #expect(check.status == 2)
        #expect(check.stdout.contains("schema version: 99 (this exp: \(Migrations.latestVersion)): newer than this exp supports"))
        #expect(!check.stdout.contains("integrity"))
        #expect(isOneLine(check), "\(check.stderr)")
        #expect(check.stderr.contains("newer than this exp supports"))
    }
}
