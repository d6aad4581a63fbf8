import Foundation

/// Tags and notes on runs and sweeps (`run_tags`, `sweep_tags`, `run_notes`, `sweep_notes`,
/// schema version 5). Every write is one transaction that checks the target first, so a
/// refused key or an unknown run stores nothing.
extension RunStore {
    /// The table, id column and id of a target: its tags table, notes table, and row id.
    private func resolve(_ target: AnnotationTarget) throws -> (tags: String, notes: String, column: String, id: Int64) {
        switch target {
        case .run(let id):
            guard try connection.scalar("SELECT COUNT(*) FROM runs WHERE run_id = ?", [.integer(id)])?.int == 1 else {
                throw AnnotationError.noTarget(target)
            }
            return ("run_tags", "run_notes", "run_id", id)
        case .sweep(let name):
            guard let id = try connection.scalar("SELECT sweep_id FROM sweeps WHERE name = ?", [.text(name)])?.int else {
                throw AnnotationError.noTarget(target)
            }
            return ("sweep_tags", "sweep_notes", "sweep_id", Int64(id))
        }
    }

    /// Sets tags on a run or a sweep, all in one transaction: a new key is added, a known key
    /// takes the new value (its `updated_at` changes only when the value does), as MLflow's
    /// `set_tag`. Later pairs with the same key win.
    /// - Parameters:
    ///   - tags: (key, value) pairs; keys as ``Tag/validate(key:)`` requires.
    ///   - target: the run or sweep.
    /// - Throws: ``AnnotationError`` for a bad key, a long value or an unknown target (nothing
    ///   is stored then); ``SQLiteError``.
    public func setTags(_ tags: [(key: String, value: String)], on target: AnnotationTarget) throws {
        for tag in tags {
            try Tag.validate(key: tag.key)
            try Tag.validate(value: tag.value, key: tag.key)
        }
        try write {
            let t = try resolve(target)
            let now = timestamp()
            for tag in tags {
                try connection.run("""
                    INSERT INTO \(t.tags) (\(t.column), key, value, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (\(t.column), key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    WHERE value != excluded.value
                    """, [.integer(t.id), .text(tag.key), .text(tag.value), .text(now)])
            }
        }
    }

    /// Deletes tags of a run or a sweep in one transaction, as MLflow's `delete_tag`: a key the
    /// target does not have is an error, and then nothing is deleted.
    /// - Throws: ``AnnotationError/noTag(_:key:)``, ``AnnotationError/noTarget(_:)``,
    ///   ``AnnotationError/invalidKey(_:reason:)``; ``SQLiteError``.
    public func deleteTags(_ keys: [String], from target: AnnotationTarget) throws {
        for key in keys { try Tag.validate(key: key) }
        try write {
            let t = try resolve(target)
            for key in keys {
                let deleted = try connection.run("DELETE FROM \(t.tags) WHERE \(t.column) = ? AND key = ?", [.integer(t.id), .text(key)])
                if deleted == 0 { throw AnnotationError.noTag(target, key: key) }
            }
        }
    }

    /// The tags of a run or a sweep, by key.
    /// - Throws: ``AnnotationError/noTarget(_:)``; ``SQLiteError``.
    public func tags(of target: AnnotationTarget) throws -> [Tag] {
        let t = try resolve(target)
        return try connection.query("SELECT key, value, updated_at FROM \(t.tags) WHERE \(t.column) = ? ORDER BY key",
                                    [.integer(t.id)], readTag)
    }

    /// Sets the note of a run or a sweep, replacing any earlier one.
    /// - Throws: ``AnnotationError/blankNote(_:)`` for an empty text, ``AnnotationError/noTarget(_:)``;
    ///   ``SQLiteError``.
    public func setNote(_ text: String, on target: AnnotationTarget) throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw AnnotationError.blankNote(target) }
        try write {
            let t = try resolve(target)
            try connection.run("""
                INSERT INTO \(t.notes) (\(t.column), note, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (\(t.column)) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at
                WHERE note != excluded.note
                """, [.integer(t.id), .text(text), .text(timestamp())])
        }
    }

    /// Deletes the note of a run or a sweep.
    /// - Throws: ``AnnotationError/noNote(_:)`` when it has none, ``AnnotationError/noTarget(_:)``;
    ///   ``SQLiteError``.
    public func deleteNote(from target: AnnotationTarget) throws {
        try write {
            let t = try resolve(target)
            if try connection.run("DELETE FROM \(t.notes) WHERE \(t.column) = ?", [.integer(t.id)]) == 0 {
                throw AnnotationError.noNote(target)
            }
        }
    }

    /// The note of a run or a sweep, nil when it has none.
    /// - Throws: ``AnnotationError/noTarget(_:)``; ``SQLiteError``.
    public func note(of target: AnnotationTarget) throws -> Note? {
        let t = try resolve(target)
        return try connection.query("SELECT note, updated_at FROM \(t.notes) WHERE \(t.column) = ?", [.integer(t.id)]) { s in
            Note(text: try s.required(s.string, "note"), updatedAt: try s.required(s.string, "updated_at"))
        }.first
    }

    /// The tags and notes of every run (of one sweep, or of all), by run id: one pass over
    /// each table, for listing many runs at once.
    /// - Parameter sweep: a sweep's name; nil for every sweep.
    /// - Throws: ``SQLiteError``.
    public func runAnnotations(sweep: String? = nil) throws -> (tags: [Int64: [Tag]], notes: [Int64: String]) {
        var tags: [Int64: [Tag]] = [:]
        for (id, tag) in try connection.query("""
            SELECT t.run_id, t.key, t.value, t.updated_at FROM run_tags t
            WHERE ?1 IS NULL OR t.run_id IN (SELECT r.run_id FROM runs r JOIN sweeps s ON s.sweep_id = r.sweep_id WHERE s.name = ?1)
            ORDER BY t.run_id, t.key
            """, [.of(sweep)], { s in (try s.required(s.id, "run_id"), try readTag(s)) }) {
            tags[id, default: []].append(tag)
        }
        let notes = try connection.query("""
            SELECT n.run_id, n.note FROM run_notes n
            WHERE ?1 IS NULL OR n.run_id IN (SELECT r.run_id FROM runs r JOIN sweeps s ON s.sweep_id = r.sweep_id WHERE s.name = ?1)
            """, [.of(sweep)]) { s in (try s.required(s.id, "run_id"), try s.required(s.string, "note")) }
        return (tags, Dictionary(notes, uniquingKeysWith: { a, _ in a }))
    }
}

/// A `run_tags` or `sweep_tags` row.
private func readTag(_ s: Statement) throws -> Tag {
    Tag(key: try s.required(s.string, "key"), value: try s.required(s.string, "value"),
        updatedAt: try s.required(s.string, "updated_at"))
}
