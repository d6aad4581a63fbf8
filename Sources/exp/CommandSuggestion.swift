import ArgumentParser

/// An unknown subcommand named with the nearest known one, e.g. `exp swep` -> "did you mean
/// 'sweep'?", and every command listed.
enum CommandSuggestion {
    /// The subcommand names of `command`.
    static func names(of command: ParsableCommand.Type) -> [String] {
        command.configuration.subcommands.map { $0._commandName }
    }

    /// The error for `word` where `command` expects a subcommand, nil when `word` is one (or
    /// `help`, or an option).
    static func problem(_ word: String, in command: ParsableCommand.Type, path: String) -> ExpError? {
        let names = names(of: command)
        guard !names.isEmpty, !word.hasPrefix("-"), !names.contains(word), word != "help" else { return nil }
        let nearest = names.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        let hint = nearest.flatMap { $0.1 <= max(2, word.count / 3) ? " did you mean '\($0.0)'?" : nil } ?? ""
        return .rejected("unknown command '\(path) \(word)';\(hint) commands: \(names.joined(separator: ", "))")
    }

    /// The Levenshtein distance between `a` and `b` (insertions, deletions, substitutions).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
