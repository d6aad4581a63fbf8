import CSV
import Foundation

/// One CSV record: its fields and the 1-based physical line it starts on.
struct TextRecord {
    var line: Int
    var fields: [String]
}

/// Splits text into physical lines and CSV records, and tokenises each record with `CSVReader`.
///
/// Physical lines end with CRLF, LF or a lone CR. A record is one physical line, or several when
/// a quoted field spans line ends. Records that are empty or whitespace-only are skipped.
struct RecordScanner {
    var delimiter: Unicode.Scalar
    /// Whether spaces and tabs around fields are trimmed (quoted contents are trimmed too).
    var trim: Bool

    private static let quote: Unicode.Scalar = "\""

    struct RawRecord {
        var line: Int
        var text: String
    }

    enum ScanError: Error {
        case unterminatedQuote(line: Int)
    }

    /// Physical lines with their own terminator ("" for the last line without one).
    static func physicalLines(_ text: String) -> [(text: String, terminator: String)] {
        var lines: [(String, String)] = []
        var current = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if scalar == "\r" {
                if pending == "\n" {
                    pending = iterator.next()
                    lines.append((String(current), "\r\n"))
                } else {
                    lines.append((String(current), "\r"))
                }
                current = String.UnicodeScalarView()
            } else if scalar == "\n" {
                lines.append((String(current), "\n"))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append((String(current), "")) }
        return lines
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        (scalar == " " || scalar == "\t") && scalar != delimiter
    }

    /// Runs the quote state machine over `text` starting in `state`; returns the end state and
    /// the number of delimiters outside quotes.
    private func scan(_ text: String, from start: State, delimiter: Unicode.Scalar) -> (State, Int) {
        var state = start
        var count = 0
        for scalar in text.unicodeScalars {
            switch state {
            case .fieldStart:
                if scalar == Self.quote { state = .quoted }
                else if scalar == delimiter { count += 1 }
                else if trim && isSpace(scalar) { state = .fieldStart }
                else { state = .unquoted }
            case .unquoted:
                if scalar == delimiter { count += 1; state = .fieldStart }
            case .quoted:
                if scalar == Self.quote { state = .quoteInQuoted }
            case .quoteInQuoted:
                if scalar == Self.quote { state = .quoted }
                else if scalar == delimiter { count += 1; state = .fieldStart }
                else if trim && isSpace(scalar) { state = .quoteInQuoted }
                else { state = .unquoted }
            }
        }
        return (state, count)
    }

    /// Groups physical lines into records, skipping blank and whitespace-only lines.
    func rawRecords(_ text: String) throws -> [RawRecord] {
        let lines = Self.physicalLines(text)
        var records: [RawRecord] = []
        var index = 0
        while index < lines.count {
            let first = lines[index]
            let lineNumber = index + 1
            index += 1
            if first.text.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            var recordText = first.text
            var terminator = first.terminator
            var (state, _) = scan(first.text, from: .fieldStart, delimiter: delimiter)
            while state == .quoted {
                guard index < lines.count else { throw ScanError.unterminatedQuote(line: lineNumber) }
                recordText += terminator + lines[index].text
                terminator = lines[index].terminator
                (state, _) = scan(lines[index].text, from: .quoted, delimiter: delimiter)
                index += 1
            }
            records.append(RawRecord(line: lineNumber, text: recordText))
        }
        return records
    }

    /// The number of `candidate` characters outside quoted fields in `text`.
    func unquotedCount(of candidate: Unicode.Scalar, in text: String) -> Int {
        scan(text, from: .fieldStart, delimiter: candidate).1
    }

    /// Splits one record into fields with `CSVReader` (quoted fields, embedded delimiters,
    /// doubled quotes). With `trim`, spaces and tabs around every field are removed.
    func fields(of record: RawRecord) throws -> [String] {
        var whitespace = CharacterSet(charactersIn: " \t")
        whitespace.remove(delimiter)
        let reader = try CSVReader(string: record.text, hasHeaderRow: false, trimFields: trim,
                                   delimiter: delimiter, whitespaces: whitespace)
        guard var row = reader.next() else { return [] }
        if trim {
            row = row.map { $0.trimmingCharacters(in: whitespace) }
        }
        return row
    }
}
