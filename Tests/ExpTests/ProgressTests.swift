import Foundation
import Testing
import TestSupport

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
}
