import ArgumentParser
import Foundation
import Tracker

/// What `exp tag` and `exp note` annotate: the run named by the first argument, or with
/// `--sweep NAME` the sweep itself (MLflow's run and experiment).
struct AnnotationTargetOptions: ParsableArguments {
    @Option(name: .long, help: "Annotate this sweep itself (not each of its runs) instead of a run.") var sweep: String?

    /// The target, and the arguments after the run id.
    /// - Throws: `ValidationError` when neither a run id nor `--sweep` is given.
    func target(_ arguments: [String]) throws -> (AnnotationTarget, rest: [String]) {
        if let sweep { return (.sweep(sweep), arguments) }
        guard let first = arguments.first, let id = Int64(first) else {
            throw ValidationError("name a run id (exp runs lists them) or --sweep NAME"
                                  + (arguments.first.map { "; '\($0)' is no run id" } ?? ""))
        }
        return (.run(id), Array(arguments.dropFirst()))
    }
}

/// Opens the database at `path` to change it; unlike `exp sweep`, a missing file is not
/// created (there is nothing to annotate in it).
/// - Throws: ``ExpError`` for a missing or unusable database.
func openExistingStore(_ path: String) throws -> RunStore {
    if path != ":memory:", !FileManager.default.fileExists(atPath: path) {
        throw ExpError.database(DatabaseFileError.missing(path: path), path: path)
    }
    return try openStore(path)
}
