import Foundation

extension RunStore {
    /// Copies the tags and notes of the attached `source` database into this one, inside the
    /// merge's transaction (see ``merge(from:)``).
    ///
    /// The rule for a tag key (or a note) that both files have on the same run or sweep: the
    /// value set most recently (`updated_at`) wins, and on an equal time the value here stays;
    /// equal values are left alone. So, times being different, two files merged either way
    /// round end with the same tags, and merging again changes nothing. A tag deleted here but
    /// still in the source comes back (a deletion leaves no trace to merge).
    /// - Parameters:
    ///   - runIDs: each source run's id here.
    ///   - sweepIDs: each source sweep's id here.
    /// - Returns: (values copied, new or newer; keys and notes set to different values in both).
    /// - Throws: ``SQLiteError``.
    func mergeAnnotations(runIDs: [Int64: Int64], sweepIDs: [Int64: Int64]) throws -> (copied: Int, conflicts: Int) {
        var copied = 0, conflicts = 0
        let kinds: [(table: String, column: String, key: String?, value: String, ids: [Int64: Int64])] = [
            ("run_tags", "run_id", "key", "value", runIDs), ("sweep_tags", "sweep_id", "key", "value", sweepIDs),
            ("run_notes", "run_id", nil, "note", runIDs), ("sweep_notes", "sweep_id", nil, "note", sweepIDs),
        ]
        for kind in kinds {
            let keyColumn = kind.key.map { ", \($0)" } ?? ""
            let rows = try connection.query("""
                SELECT \(kind.column)\(keyColumn), \(kind.value), updated_at FROM source.\(kind.table) ORDER BY 1\(kind.key == nil ? "" : ", 2")
                """) { s in
                (id: try s.required(s.id, kind.column), key: try kind.key.map { try s.required(s.string, $0) },
                 value: try s.required(s.string, kind.value), updatedAt: try s.required(s.string, "updated_at"))
            }
            let match = "\(kind.column) = ?" + (kind.key.map { " AND \($0) = ?" } ?? "")
            for row in rows {
                guard let id = kind.ids[row.id] else { continue }
                let identity: [SQLValue] = [.integer(id)] + (row.key.map { [.text($0)] } ?? [])
                let here = try connection.query("SELECT \(kind.value), updated_at FROM main.\(kind.table) WHERE \(match)", identity) { s in
                    (value: try s.required(s.string, kind.value), updatedAt: try s.required(s.string, "updated_at"))
                }.first
                if let here {
                    if here.value == row.value { continue }
                    conflicts += 1
                    if row.updatedAt <= here.updatedAt { continue }
                    try connection.run("UPDATE main.\(kind.table) SET \(kind.value) = ?, updated_at = ? WHERE \(match)",
                                       [.text(row.value), .text(row.updatedAt)] + identity)
                } else {
                    try connection.run("""
                        INSERT INTO main.\(kind.table) (\(kind.column)\(keyColumn), \(kind.value), updated_at)
                        VALUES (\(identity.map { _ in "?" }.joined(separator: ", ")), ?, ?)
                        """, identity + [.text(row.value), .text(row.updatedAt)])
                }
                copied += 1
            }
        }
        return (copied, conflicts)
    }
}
