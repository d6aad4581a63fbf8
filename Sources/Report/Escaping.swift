import Foundation

/// Escaping of user-supplied text (data set, class, feature, sweep and parameter names) for each
/// output language: one function per language, ``html(_:)``, ``svg(_:)`` and ``markdown(_:)``.
/// Nothing from the database reaches a file without passing through one of them.
enum Escape {
    /// Text for HTML content or a quoted attribute value: `& < > " '` become references;
    /// control characters other than tab and line feed (not allowed in HTML) become spaces.
    ///
    /// Used instead of Plot's `.text`, which keeps sequences that look like entities (`&lt;`)
    /// as they are and does not escape attribute values at all.
    static func html(_ text: String) -> String { references(text) }

    /// Text for SVG (XML 1.0) content or a quoted attribute value, in a standalone file or
    /// inline in the HTML page: on one line (an SVG `<text>` does not break lines and an
    /// attribute value turns line breaks into spaces), `& < > " '` as references (the ones XML
    /// and HTML share), and the control characters XML 1.0 forbids as spaces.
    static func svg(_ text: String) -> String { references(oneLine(text)) }

    /// Text for a Markdown paragraph or a GitHub-flavoured table cell: one line, with `|`,
    /// Markdown punctuation and HTML special characters escaped so that nothing becomes
    /// markup, a link, emphasis or a new table column.
    static func markdown(_ text: String) -> String {
        let line = oneLine(text)
        var out = ""
        // At the start of a line, `#`, `>`, `+`, `-` and `=` begin a heading, quote or list item,
        // and so do digits followed by `.` or `)`: escape the character that would.
        var escapeAt = -1
        if let first = line.unicodeScalars.first, "#>+-=".unicodeScalars.contains(first) {
            escapeAt = 0
        } else if let digits = numberedItemDigits(line) {
            escapeAt = digits
        }
        for (position, scalar) in line.unicodeScalars.enumerated() {
            if position == escapeAt { out += "\\" }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case "|", "\\", "`", "*", "_", "[", "]", "~":
                out += "\\"
                out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// `& < > " '` as character references, control characters other than tab and line feed
    /// as spaces: safe in HTML and XML content and in quoted attribute values.
    private static func references(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 0x20, scalar != "\n", scalar != "\t" { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// `text` with every line break (CR LF, CR, LF, U+2028, U+2029) replaced by one space.
    private static func oneLine(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\n" where previousWasCR: continue
            case "\r", "\n", "\u{2028}", "\u{2029}": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// For text like `12. x` or `3)` that Markdown would read as a numbered list item, the
    /// number of digits; nil otherwise.
    private static func numberedItemDigits(_ text: String) -> Int? {
        let digits = text.unicodeScalars.prefix { $0.properties.numericType == .decimal && $0.isASCII }.count
        guard digits > 0 else { return nil }
        let rest = text.unicodeScalars.dropFirst(digits)
        guard rest.first == "." || rest.first == ")" else { return nil }
        let after = rest.dropFirst().first
        return after == nil || after == " " || after == "\t" || after == "\n" || after == "\r" ? digits : nil
    }

    /// A name usable in a file name: lowercase ASCII letters, digits and `-`.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "sweep" : String(trimmed.prefix(60))
    }
}

/// Number formatting shared by the Markdown and HTML reports.
enum Format {
    /// A fraction as a percentage with one decimal, e.g. `96.7%`; an en dash for nil.
    static func percent(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f%%", value * 100)
    }

    /// A fraction's difference in percentage points, e.g. `1.8 pp`.
    static func points(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.1f pp", value * 100)
    }

    /// An interval of fractions as percentages clipped to [0, 100], e.g. `[93.1, 99.0]%`.
    static func interval(_ ci: ConfidenceInterval?) -> String {
        guard let ci else { return "–" }
        return String(format: "[%.1f, %.1f]%%", max(0, ci.lower) * 100, min(1, ci.upper) * 100)
    }

    /// A number with `digits` decimals, or an en dash for nil.
    static func number(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    /// A compact number for chart ticks: no trailing zeros.
    static func tick(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        var text = String(format: "%.3g", value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
