import ArgumentParser
import Foundation
import Tracker

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge shard databases (from `exp sweep --shard I/N`) into one; merging again changes nothing.",
        discussion: """
            A finished or diverged run wins over an unfinished copy of the same cell. The shards are only read; one \
            with an older schema is upgraded in a temporary copy. See docs/scale-out.md.

            Example:
              exp merge runs.db shard0.db shard1.db shard2.db shard3.db
            """
    )

    @Argument(help: "The database to merge into (created when missing).") var output: String
    @Argument(help: "The databases to merge from.") var shards: [String]

    func validate() throws {
        if shards.isEmpty { throw ValidationError("name at least one database to merge from") }
    }

    func run() throws {
        let store = try openStore(output)
        for shard in shards {
            do {
                let summary = try store.merge(from: shard)
                if summary.sourceIsImmutable { noteImmutable(shard) }
                if summary.added + summary.replaced + summary.unchanged == 0 {
                    throw ExpError.rejected("\(shard) holds no runs (was it copied without its -wal file while a sweep was writing it?)")
                }
                print("\(shard): \(summary.added) runs added, \(summary.replaced) replaced by a more complete copy, \(summary.unchanged) unchanged")
            } catch let error as ExpError {
                throw error
            } catch let error as TrackerError {
                throw ExpError.incomplete("\(shard): \(error)")
            } catch {
                throw ExpError.database(error, path: shard)
            }
        }
    }
}
