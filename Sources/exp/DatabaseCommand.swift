import ArgumentParser
import Foundation
import Tracker

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Inspect or copy the experiment database.",
        discussion: """
            Example:
              exp db check --db runs.db
            """,
        subcommands: [Check.self, Snapshot.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check integrity, show the schema version and count what is stored.",
            discussion: """
                Example:
                  exp db check --db shard0.db
                """)
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store: RunStore
            do {
                store = try openStore(database.db, readOnly: true, asStored: true)
            } catch ExpError.database(let error as SchemaError, let path) {
                // A newer schema is a finding of the check, and input this exp refuses (exit 2).
                if case let .newerDatabase(_, found, supported) = error {
                    print("database: \(path)")
                    print("schema version: \(found) (this exp: \(supported)): newer than this exp supports")
                }
                throw ExpError.database(error, path: path)
            } catch ExpError.database(let error as SQLiteError, let path) {
                // A file SQLite cannot read at all is what this command exists for: a failed check.
                print("database: \(path)")
                print("integrity: failed: \(error.message)")
                throw ExpError.incomplete("\(path) failed the check")
            }
            print("database: \(database.db)")
            do {
                let report = try store.integrityReport()
                print("schema version: \(report.schemaVersion) (this exp: \(Migrations.latestVersion))")
                print("integrity: \(report.integrity.joined(separator: "; "))")
                print("foreign key violations: \(report.foreignKeyViolations)")
                for (table, rows) in report.tableRows { print("\(table): \(rows) rows") }
                let statuses = report.statusCounts.map { "\($0.status) \($0.runs)" }
                print("runs by status: \(statuses.isEmpty ? "none" : statuses.joined(separator: ", "))")
                if !report.isSound { throw ExpError.incomplete("\(database.db) failed the check") }
            } catch let error as ExpError {
                throw error
            } catch {
                // A damaged file is what this command exists for: report it as a failed check.
                let reason = (error as? SQLiteError)?.message ?? Termination.describe(error, database: database.db).message
                print("integrity: failed: \(reason)")
                throw ExpError.incomplete("\(database.db) failed the check")
            }
        }
    }

    struct Snapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the database to a new file, safe at any time, even during a sweep.",
            discussion: """
                The copy is one self-contained file (a rollback journal, no -wal file): copy it anywhere, open it on \
                read-only media, merge it with `exp merge`. See docs/scale-out.md.

                Example:
                  exp db snapshot --db runs.db runs-copy.db
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The new file to write (it must not exist).") var output: String

        func run() throws {
            let store = try openStore(database.db, readOnly: true)
            do {
                try store.snapshot(to: output)
            } catch {
                throw ExpError.database(error, path: output)
            }
            print("\(output): a copy of \(database.db)")
        }
    }
}
