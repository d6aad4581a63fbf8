import Foundation
import Testing
import TestSupport

/// The command line helps: the nearest command for a typo, `help` of an unknown command fails,
/// negative numbers reach the range check, and each new command's help shows an example.
@Suite struct CommandLineHelpTests {
    @Test func anUnknownCommandNamesTheNearest() throws {
        let dir = temporaryDirectory()
        let typo = try exp(["swep", "grid.json"], in: dir)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("unknown command 'exp swep'; did you mean 'sweep'?"), "\(typo.stderr)")
        #expect(typo.stderr.contains("commands: sweep, train"), "\(typo.stderr)")
        let nested = try exp(["data", "lst"], in: dir)
        #expect(nested.status == 2 && nested.stderr.contains("did you mean 'list'?"), "\(nested.stderr)")
        let far = try exp(["frobnicate"], in: dir)
        #expect(far.status == 2 && !far.stderr.contains("did you mean"), "\(far.stderr)")
        let help = try exp(["help", "nosuch"], in: dir)
        #expect(help.status == 2)
        let known = try exp(["help", "runs"], in: dir)
        #expect(known.status == 0 && known.stdout.contains("--where"))
    }

    @Test func aNegativeNumberReachesTheRangeCheck() throws {
        let dir = temporaryDirectory()
        let iris = repositoryRoot.appendingPathComponent("Data/iris.data").path
        let negative = try exp(["train", "--data", iris, "--learning-rate", "-1", "--epochs", "2"], in: dir)
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--learning-rate: must be finite and > 0, found -1"), "\(negative.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))
    }

    @Test func newCommandsShowAnExample() throws {
        let dir = temporaryDirectory()
        for command in ["runs", "best", "predict", "compare", "export", "tag", "note", "show", "merge"] {
            let help = try exp([command, "--help"], in: dir)
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "\(command)")
        }
    }
}
