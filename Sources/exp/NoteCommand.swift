import ArgumentParser
import Foundation
import Tracker

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Set, delete or print the note of a run or of a sweep.",
        discussion: """
            A note is one free text, as MLflow's note on a run or an experiment: `exp note RUN "text"` sets the run's, \
            `exp note --sweep NAME "text"` the sweep's. Setting it again replaces it; --delete removes it. Words after \
            the run id are joined with spaces; quote the text to keep line breaks. Without text, the note is printed. \
            `exp show` prints a run's note and its sweep's; `exp report` shows each sweep's.

            Examples:
              exp note --sweep iris "Learning rates above 0.5 diverge; see runs 40-48."
              exp note 12 "Best seed; used for the paper's figure 3."
              exp note 12 --delete
            """)

    @Argument(help: ArgumentHelp("The run id (not with --sweep), then the note's text.", valueName: "run-id-and-text"))
    var arguments: [String] = []
    @OptionGroup var target: AnnotationTargetOptions
    @Flag(name: .long, help: "Delete the note.") var delete = false
    @OptionGroup var database: DatabaseOptions

    /// The note's text: the words after the run id, joined with spaces (empty when none).
    func text() throws -> String { try target.target(arguments).rest.joined(separator: " ") }

    func validate() throws {
        let text = try text()
        if delete && !text.isEmpty { throw ValidationError("--delete takes no text") }
        if !text.isEmpty && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the note is blank; to remove a note use --delete")
        }
    }

    func run() throws {
        let (target, _) = try self.target.target(arguments)
        let text = try text()
        if text.isEmpty && !delete {
            let store = try openStore(database.db, readOnly: true)
            if let note = try store.note(of: target) { print(note.text) }
            return
        }
        let store = try openExistingStore(database.db)
        if delete {
            try store.deleteNote(from: target)
            print("\(target): note deleted")
        } else {
            try store.setNote(text, on: target)
            print("\(target): note set")
        }
    }
}
