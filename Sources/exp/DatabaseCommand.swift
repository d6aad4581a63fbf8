import ArgumentParser
import Foundation
import Tracker

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Inspect the experiment database.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check integrity, show the schema version and count what is stored.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard FileManager.default.fileExists(atPath: database.db) else { throw ExpError.rejected("no database at \(database.db)") }
            print("database: \(database.db)")
            do {
                let store = try RunStore(path: database.db, readOnly: true)
                let integrity = try store.connection.query("PRAGMA integrity_check") { $0.string(0) ?? "" }
                let foreignKeys = try store.connection.query("PRAGMA foreign_key_check") { _ in 1 }.count
                print("schema version: \(try store.connection.userVersion) (this exp: \(Migrations.latestVersion))")
                print("integrity: \(integrity.joined(separator: "; "))")
                print("foreign key violations: \(foreignKeys)")
                for table in ["datasets", "sweeps", "splits", "runs", "params", "epoch_metrics", "weights"] {
                    print("\(table): \(try store.connection.scalar("SELECT COUNT(*) FROM \(table)")?.int ?? 0) rows")
                }
                let statuses = try store.connection.query("SELECT status, COUNT(*) FROM runs GROUP BY status ORDER BY status") {
                    "\($0.string(0)!) \($0.int(1)!)"
                }
                print("runs by status: \(statuses.isEmpty ? "none" : statuses.joined(separator: ", "))")
                if integrity != ["ok"] || foreignKeys > 0 { throw ExpError.incomplete("\(database.db) failed the check") }
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
}
