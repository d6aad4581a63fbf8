import ArgumentParser
import Foundation
import Tracker

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Set, delete or list the tags of a run or of a sweep.",
        discussion: """
            A tag is a key and a text value, as MLflow's tags: `exp tag RUN key=value` tags one run (a run tag); \
            `exp tag --sweep NAME key=value` tags the sweep itself (a sweep tag, MLflow's experiment tag), not each of \
            its runs. Setting a key again replaces its value; --delete KEY removes one (an error when it is not \
            there, and then nothing changes). Without key=value or --delete, the tags are printed, one key=value per \
            line. Keys have 1 to 250 letters, digits and _ . - /, starting with a letter, a digit or _; values are any \
            text of at most 8000 characters. `exp runs --where tag.KEY=VALUE` filters runs by their tags; `exp show` \
            and `exp report` show them.

            Examples:
              exp tag 12 reviewed=yes owner=ana
              exp tag --sweep iris stage=baseline
              exp tag 12 --delete owner
              exp runs --where tag.reviewed=yes
            """)

    @Argument(help: ArgumentHelp("The run id (not with --sweep), then tags as key=value.", valueName: "run-id-and-tags"))
    var arguments: [String] = []
    @OptionGroup var target: AnnotationTargetOptions
    @Option(name: .customLong("delete"), help: ArgumentHelp("Delete the tag with this key (repeatable).", valueName: "key"))
    var deletions: [String] = []
    @OptionGroup var database: DatabaseOptions

    /// The key=value pairs to set, in order.
    /// - Throws: `ValidationError` for an argument without `=` or a key that is not valid.
    func pairs() throws -> [(key: String, value: String)] {
        try target.target(arguments).rest.map { argument in
            guard let equals = argument.firstIndex(of: "=") else {
                throw ValidationError("'\(argument)': expected key=value")
            }
            let key = String(argument[..<equals]), value = String(argument[argument.index(after: equals)...])
            do {
                try Tag.validate(key: key)
                try Tag.validate(value: value, key: key)
            } catch { throw ValidationError("\(error)") }
            return (key, value)
        }
    }

    func validate() throws {
        let set = try pairs()
        for key in deletions {
            do { try Tag.validate(key: key) } catch { throw ValidationError("--delete: \(error)") }
            if set.contains(where: { $0.key == key }) { throw ValidationError("tag '\(key)' is both set and deleted") }
        }
    }

    func run() throws {
        let (target, _) = try self.target.target(arguments)
        let set = try pairs()
        if set.isEmpty && deletions.isEmpty {
            let store = try openStore(database.db, readOnly: true)
            for tag in try store.tags(of: target) { print("\(tag.key)=\(tag.value)") }
            return
        }
        let store = try openExistingStore(database.db)
        try store.write {
            if !set.isEmpty { try store.setTags(set, on: target) }
            if !deletions.isEmpty { try store.deleteTags(deletions, from: target) }
        }
        if !set.isEmpty { print("\(target): set " + set.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) }
        if !deletions.isEmpty { print("\(target): deleted " + deletions.joined(separator: ", ")) }
    }
}
