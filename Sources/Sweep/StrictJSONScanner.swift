/// A strict JSON (RFC 8259) syntax check in one pass, for grid files.
///
/// Foundation's and Yams' parsers both accept trailing commas (`[1,]`) and report syntax
/// errors by character offset, if at all; this scanner refuses everything RFC 8259 does not
/// allow and gives the 1-based line and column (in characters) of the first syntax error. It
/// also finds every repeated key in an object, with where it is and the range of its member,
/// which ``blankingDuplicates(_:)`` removes so that the rest of the file can still be checked.
struct StrictJSONScanner {
    /// Where a syntax error is and what it is.
    struct SyntaxError: Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    /// A key repeated in one object.
    struct DuplicateKey: Equatable {
        var key: String
        /// The JSON path of the object holding the key (`grid`, `grid[1]`, `""` at the top).
        var path: String
        var line: Int
        var column: Int
        /// Character offsets of the repeated member: its preceding comma to the end of its value.
        var member: Range<Int>
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var duplicates: [DuplicateKey] = []
    private static let maximumDepth = 512

    private struct Stop: Error {
        var error: SyntaxError
    }

    private init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Checks `text`: the first syntax error (`nil` when it is JSON) and every repeated key.
    static func scan(_ text: String) -> (syntaxError: SyntaxError?, duplicates: [DuplicateKey]) {
        var scanner = StrictJSONScanner(text)
        do {
            scanner.skipSpace()
            guard scanner.index < scanner.scalars.count else { throw scanner.stop("the file is empty", at: (1, 1)) }
            try scanner.value(path: "", depth: 0)
            scanner.skipSpace()
            if scanner.index < scanner.scalars.count {
                throw scanner.stop("unexpected \(scanner.describeCurrent()) after the end of the JSON value")
            }
            return (nil, scanner.duplicates)
        } catch let stop as Stop {
            return (stop.error, scanner.duplicates)
        } catch {
            return (SyntaxError(line: scanner.line, column: scanner.column, message: "\(error)"), scanner.duplicates)
        }
    }

    /// `text` with each repeated member (found by ``scan(_:)``) replaced by spaces, line ends
    /// kept, so that lines and columns of everything else stay where they were.
    static func blankingDuplicates(_ text: String, _ duplicates: [DuplicateKey]) -> String {
        var scalars = Array(text.unicodeScalars)
        for duplicate in duplicates {
            for offset in duplicate.member where scalars[offset] != "\n" && scalars[offset] != "\r" {
                scalars[offset] = " "
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    // MARK: - Reading

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func stop(_ message: String) -> Stop {
        Stop(error: SyntaxError(line: line, column: column, message: message))
    }

    private func stop(_ message: String, at place: (line: Int, column: Int)) -> Stop {
        Stop(error: SyntaxError(line: place.line, column: place.column, message: message))
    }

    private func describeCurrent() -> String {
        guard let scalar = current else { return "end of file" }
        return scalar.value < 0x20 ? "control character U+\(String(scalar.value, radix: 16, uppercase: true))" : "'\(scalar)'"
    }

    private mutating func advance() {
        if current == "\n" || (current == "\r" && index + 1 < scalars.count && scalars[index + 1] != "\n") {
            line += 1
            column = 1
        } else if current != "\r" {
            column += 1
        }
        index += 1
    }

    private mutating func skipSpace() {
        while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { advance() }
    }

    private mutating func expect(_ scalar: Unicode.Scalar, _ what: String) throws {
        guard current == scalar else { throw stop("expected \(what), found \(describeCurrent())") }
        advance()
    }

    private mutating func value(path: String, depth: Int) throws {
        guard depth < Self.maximumDepth else { throw stop("nested more than \(Self.maximumDepth) levels deep") }
        guard let scalar = current else { throw stop("expected a value, found end of file") }
        switch scalar {
        case "{": try object(path: path, depth: depth)
        case "[": try array(path: path, depth: depth)
        case "\"": _ = try string()
        case "-", "0"..."9": try number()
        case "t": try literal("true")
        case "f": try literal("false")
        case "n": try literal("null")
        default: throw stop("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func object(path: String, depth: Int) throws {
        advance()
        skipSpace()
        if current == "}" { advance(); return }
        var keys: Set<String> = []
        var memberStart = index
        while true {
            guard current == "\"" else { throw stop("expected a key in double quotes, found \(describeCurrent())") }
            let place = (line, column)
            let key = try string()
            skipSpace()
            try expect(":", "':' after the key \"\(key)\"")
            skipSpace()
            try value(path: path.isEmpty ? key : "\(path).\(key)", depth: depth + 1)
            if !keys.insert(key).inserted {
                duplicates.append(DuplicateKey(key: key, path: path, line: place.0, column: place.1, member: memberStart..<index))
            }
            skipSpace()
            if current == "}" { advance(); return }
            guard current == "," else {
                throw stop("expected ',' or '}' after the value of \"\(key)\", found \(describeCurrent())")
            }
            let comma = (line, column)
            memberStart = index
            advance()
            skipSpace()
            if current == "}" { throw stop("trailing comma before '}'", at: comma) }
        }
    }

    private mutating func array(path: String, depth: Int) throws {
        advance()
        skipSpace()
        if current == "]" { advance(); return }
        var position = 0
        while true {
            try value(path: "\(path)[\(position)]", depth: depth + 1)
            position += 1
            skipSpace()
            if current == "]" { advance(); return }
            guard current == "," else { throw stop("expected ',' or ']' after a list element, found \(describeCurrent())") }
            let comma = (line, column)
            advance()
            skipSpace()
            if current == "]" { throw stop("trailing comma before ']'", at: comma) }
        }
    }

    private mutating func string() throws -> String {
        let start = (line, column)
        advance()
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = current else { throw stop("unterminated string (opened at line \(start.0), column \(start.1))") }
            if scalar == "\"" { advance(); return String(text) }
            if scalar.value < 0x20 { throw stop("\(describeCurrent()) inside a string (write it as an escape such as \\n)") }
            if scalar == "\\" {
                advance()
                guard let escaped = current else { throw stop("unterminated string (opened at line \(start.0), column \(start.1))") }
                switch escaped {
                case "\"": text.append("\"")
                case "\\": text.append("\\")
                case "/": text.append("/")
                case "b": text.append("\u{8}")
                case "f": text.append("\u{C}")
                case "n": text.append("\n")
                case "r": text.append("\r")
                case "t": text.append("\t")
                case "u":
                    var code: UInt32 = 0
                    for _ in 0..<4 {
                        advance()
                        guard let digit = current.flatMap({ UInt32(String($0), radix: 16) }) else {
                            throw stop("expected 4 hexadecimal digits after \\u, found \(describeCurrent())")
                        }
                        code = code * 16 + digit
                    }
                    text.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: throw stop("invalid escape \\\(escaped) in a string")
                }
                advance()
                continue
            }
            text.append(scalar)
            advance()
        }
    }

    private mutating func digits() -> Int {
        var count = 0
        while let scalar = current, ("0"..."9").contains(scalar) { advance(); count += 1 }
        return count
    }

    private mutating func number() throws {
        if current == "-" { advance() }
        if current == "0" {
            advance()
            if let scalar = current, ("0"..."9").contains(scalar) { throw stop("a number must not start with 0 followed by a digit") }
        } else if digits() == 0 {
            throw stop("expected a digit, found \(describeCurrent())")
        }
        if current == "." {
            advance()
            guard digits() > 0 else { throw stop("expected a digit after '.', found \(describeCurrent())") }
        }
        if current == "e" || current == "E" {
            advance()
            if current == "+" || current == "-" { advance() }
            guard digits() > 0 else { throw stop("expected a digit in the exponent, found \(describeCurrent())") }
        }
    }

    private mutating func literal(_ word: String) throws {
        let place = (line, column)
        for expected in word.unicodeScalars {
            guard current == expected else {
                throw stop("expected \(word) (JSON has true, false and null), found \(describeCurrent())", at: place)
            }
            advance()
        }
    }
}
