import Foundation

/// What a tag or a note is on: one run, or one sweep (MLflow's run and experiment).
public enum AnnotationTarget: Sendable, Equatable, CustomStringConvertible {
    /// The run with this `runs.run_id`.
    case run(Int64)
    /// The sweep with this name.
    case sweep(String)

    /// `run 12` or `sweep 'iris'`, as messages name it.
    public var description: String {
        switch self {
        case .run(let id): return "run \(id)"
        case .sweep(let name): return "sweep '\(name)'"
        }
    }
}

/// A tag as stored in `run_tags` or `sweep_tags`.
public struct Tag: Sendable, Equatable {
    /// The key: see ``Tag/validate(key:)``.
    public var key: String
    /// The value, any text of at most ``Tag/maximumValueLength`` characters (possibly empty).
    public var value: String
    /// When the value was last set, UTC ISO 8601 with milliseconds.
    public var updatedAt: String

    /// A tag as read from the store (keys are not checked here; see ``Tag/validate(key:)``).
    public init(key: String, value: String, updatedAt: String) {
        self.key = key
        self.value = value
        self.updatedAt = updatedAt
    }

    /// The longest key, in characters (MLflow's limit).
    public static let maximumKeyLength = 250
    /// The longest value, in characters (MLflow's limit).
    public static let maximumValueLength = 8000

    /// Checks a tag key against the rule the tables' CHECK constraints enforce: 1 to 250
    /// characters of ASCII letters, digits and `_ . - /`, the first a letter, a digit or `_`
    /// (MLflow's characters, without the space).
    /// - Throws: ``AnnotationError/invalidKey(_:reason:)`` saying what is wrong.
    public static func validate(key: String) throws {
        func refuse(_ reason: String) -> AnnotationError { .invalidKey(key, reason: reason) }
        guard !key.isEmpty else { throw refuse("a key has at least one character") }
        guard key.count <= maximumKeyLength else { throw refuse("a key has at most \(maximumKeyLength) characters") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-".unicodeScalars)
        guard key.unicodeScalars.allSatisfy(allowed.contains) else {
            throw refuse("a key has only letters, digits and _ . - /")
        }
        guard let first = key.unicodeScalars.first, !".-/".unicodeScalars.contains(first) else {
            throw refuse("a key starts with a letter, a digit or _")
        }
    }

    /// Checks a value's length.
    /// - Throws: ``AnnotationError/valueTooLong(key:length:)``.
    public static func validate(value: String, key: String) throws {
        if value.count > maximumValueLength { throw AnnotationError.valueTooLong(key: key, length: value.count) }
    }
}

/// A note as stored in `run_notes` or `sweep_notes`.
public struct Note: Sendable, Equatable {
    /// The text, not blank; may span lines.
    public var text: String
    /// When it was last set, UTC ISO 8601 with milliseconds.
    public var updatedAt: String

    /// A note as read from the store.
    public init(text: String, updatedAt: String) {
        self.text = text
        self.updatedAt = updatedAt
    }
}

/// Tags and notes refused, or named but not stored.
public enum AnnotationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A key that breaks the rule of ``Tag/validate(key:)``.
    case invalidKey(String, reason: String)
    /// A value longer than ``Tag/maximumValueLength`` characters.
    case valueTooLong(key: String, length: Int)
    /// A note that is empty or only white space.
    case blankNote(AnnotationTarget)
    /// No run or sweep by this id or name.
    case noTarget(AnnotationTarget)
    /// The target has no tag with this key (deleting it).
    case noTag(AnnotationTarget, key: String)
    /// The target has no note (deleting it).
    case noNote(AnnotationTarget)

    /// A one-line message naming the key, run or sweep.
    public var description: String {
        switch self {
        case let .invalidKey(key, reason): return "tag key '\(key)' is not valid: \(reason)"
        case let .valueTooLong(key, length):
            return "tag '\(key)': the value has \(length) characters, at most \(Tag.maximumValueLength) are stored"
        case .blankNote(let target): return "the note for \(target) is empty"
        case .noTarget(let target): return "no \(target) in the database"
        case let .noTag(target, key): return "\(target) has no tag '\(key)'"
        case .noNote(let target): return "\(target) has no note"
        }
    }
}
