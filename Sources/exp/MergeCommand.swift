import ArgumentParser
import Foundation
import Tracker

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge shard databases (from `exp sweep --shard I/N`) into one; merging again changes nothing.",
        discussion: """
            A finished or diverged run wins over an unfinished copy of the same cell. Tags and notes (`exp tag`, \
            `exp note`) come along with their runs and sweeps; where both databases set the same tag key (or a note) \
            on the same run or sweep to different values, the value set most recently wins, and the line says how \
            many such conflicts there were. The shards are only read; one with an older schema is upgraded in a \
            temporary copy. See docs/scale-out.md.

            Example:
              exp merge all.db shard-0.db shard-1.db shard-2.db
            """
    )

    @Argument(help: "The database to merge into (created when missing).") var output: String
    @Argument(help: "The databases to merge from.") var shards: [String]

    func validate() throws {
        if shards.isEmpty { throw ValidationError("name at least one database to merge from") }
    }

    func run() throws {
        // Every source is opened (and a bad one refused) before the output is created.
        let readers = try shards.map { shard in
            do { return try MergeSource(path: shard, into: output) } catch { throw ExpError.database(error, path: shard) }
        }
        let store = try openStore(output)
        for (shard, reader) in zip(shards, readers) {
            do {
                let summary = try store.merge(from: reader)
                if summary.sourceIsImmutable { noteImmutable(shard) }
                if summary.added + summary.replaced + summary.unchanged == 0 {
                    throw ExpError.rejected("\(shard) holds no runs (was it copied without its -wal file while a sweep was writing it?)")
                }
                print("\(shard): \(summary.added) runs added, \(summary.replaced) replaced by a more complete copy, \(summary.unchanged) unchanged")
                if summary.annotationsCopied + summary.annotationConflicts > 0 {
                    print("\(shard): \(summary.annotationsCopied) tags and notes copied; \(summary.annotationConflicts) set differently in both, "
                          + "the most recently set kept")
                }
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
