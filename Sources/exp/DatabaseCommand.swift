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
}
