import Foundation
import NeuralNet
import Testing
import TestSupport

/// `exp train`'s hyperparameter flags are written out (the argument parser needs them at compile
/// time); they must be exactly the schema's keys (`--x-y` for `x_y`), with the schema's help.
@Suite struct TrainFlagTests {
    static let otherFlags: Set<String> = ["data", "dataset", "config", "name", "seed", "test-fraction", "validation-fraction", "split-seed", "db", "help", "version",
                                           "label-column", "header", "delimiter", "decimal-comma"]

    @Test func hyperparameterFlagsAreTheSchema() throws {
        let help = try exp(["train", "--help"], in: temporaryDirectory())
        #expect(help.status == 0)
        let flags = help.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  --") else { return nil }
            return String(line.dropFirst(4).prefix { $0.isLetter || $0 == "-" })
        }
        let schema = HyperparameterSchema.current
        #expect(Set(flags).subtracting(Self.otherFlags) == Set(schema.names.map { $0.replacingOccurrences(of: "_", with: "-") }))
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for name in schema.names {
            #expect(text.contains(schema.help(for: name)), "help of \(name)")
        }
    }

    /// A value the schema refuses names the flag and the allowed range; exit status 2, nothing stored.
    @Test func refusedFlagNamesTheFlag() throws {
        let dir = temporaryDirectory()
        let result = try exp(["train", "--data", repositoryRoot.appendingPathComponent("Data/iris.data").path, "--momentum", "1",
                              "--optimizer", "momentum", "--epochs", "0"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr == "exp train: --momentum: must be in [0, 1), found 1\nexp train: --epochs: must be from 1 to 10000000, found 0\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))
    }
}
