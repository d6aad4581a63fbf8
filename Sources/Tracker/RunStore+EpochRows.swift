/// Inserting `epoch_metrics` rows several at a time.
extension RunStore {
    /// Rows per multi-row `INSERT` (8 parameters each: 400, within the 999 of old SQLite builds).
    static let epochRowsPerStatement = 50

    /// Inserts a run's epoch rows with multi-row `INSERT`s: full statements of
    /// ``epochRowsPerStatement`` rows, then one statement for the remaining rows (each text
    /// prepared once per connection and cached). The rows stored are those of one `INSERT` per
    /// row; a multi-row statement is as atomic as a single one.
    /// - Parameters:
    ///   - replacing: `INSERT OR REPLACE` (rows of the same epochs are replaced) instead of `INSERT`.
    /// - Throws: ``SQLiteError`` (e.g. a duplicate epoch without `replacing`, a value outside a
    ///   column's `CHECK`); call it inside a transaction, which the caller rolls back then.
    func insertEpochRows(runID: Int64, _ rows: [EpochRow], replacing: Bool) throws {
        let full = Self.epochRowsPerStatement
        var start = 0
        while start < rows.count {
            let count = min(full, rows.count - start)
            let statement = try connection.prepare(Self.epochInsertSQL[replacing ? 1 : 0][count])
            for (offset, row) in rows[start..<(start + count)].enumerated() {
                let first = Int32(offset * 8)
                try statement.bind(.integer(runID), at: first + 1)
                try statement.bind(.of(row.epoch), at: first + 2)
                try statement.bind(.of(row.trainLoss), at: first + 3)
                try statement.bind(.of(row.trainAccuracy), at: first + 4)
                try statement.bind(.of(row.validationLoss), at: first + 5)
                try statement.bind(.of(row.validationAccuracy), at: first + 6)
                try statement.bind(.of(row.learningRate), at: first + 7)
                try statement.bind(.of(row.elapsedSeconds), at: first + 8)
            }
            try statement.step()
            start += count
        }
    }

    /// The `INSERT` texts by `[replacing ? 1 : 0][rows]`, for 1 to ``epochRowsPerStatement``
    /// rows (index 0 is unused), built once.
    private static let epochInsertSQL: [[String]] = [false, true].map { replacing in
        (0...epochRowsPerStatement).map { rows in
            """
            INSERT\(replacing ? " OR REPLACE" : "") INTO epoch_metrics (run_id, epoch, train_loss, train_accuracy, validation_loss,
                validation_accuracy, learning_rate, elapsed_seconds) VALUES
            """ + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
        }
    }
}
