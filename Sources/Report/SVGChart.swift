import Foundation

/// A small SVG builder. Every text and attribute value passes through ``Escape/xml(_:)``;
/// numbers are written with one decimal. Colours come from CSS classes (see ``chartCSS``) so
/// that the same chart reads in light and dark themes.
struct SVGChart {
    let width: Double
    let height: Double
    /// The accessible name of the chart (its `<title>` and `aria-label`).
    let title: String
    private(set) var elements: [String] = []

    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    private static func classAttribute(_ cls: String?) -> String {
        cls.map { " class=\"\(Escape.xml($0))\"" } ?? ""
    }

    /// A `<title>` child: the tooltip of the enclosing shape.
    private static func tooltip(_ text: String?) -> String {
        text.map { "<title>\(Escape.xml($0))</title>" } ?? ""
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class cls: String) {
        elements.append("<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\"\(Self.classAttribute(cls))/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, class cls: String,
                       opacity: Double? = nil, tooltip: String? = nil) {
        let fillOpacity = opacity.map { " fill-opacity=\"\(String(format: "%.2f", min(1, max(0, $0))))\"" } ?? ""
        let open = "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(w))\" height=\"\(Self.n(h))\"\(Self.classAttribute(cls))\(fillOpacity)"
        elements.append(tooltip == nil ? open + "/>" : open + ">" + Self.tooltip(tooltip) + "</rect>")
    }

    mutating func circle(_ cx: Double, _ cy: Double, r: Double, class cls: String, tooltip: String? = nil) {
        let open = "<circle cx=\"\(Self.n(cx))\" cy=\"\(Self.n(cy))\" r=\"\(Self.n(r))\"\(Self.classAttribute(cls))"
        elements.append(tooltip == nil ? open + "/>" : open + ">" + Self.tooltip(tooltip) + "</circle>")
    }

    enum Anchor: String { case start, middle, end }

    /// Text at (x, y). Longer than `maxCharacters`, it is cut with an ellipsis and the whole
    /// text becomes its tooltip.
    mutating func text(_ x: Double, _ y: Double, _ string: String, class cls: String? = nil, anchor: Anchor = .start,
                       rotate: Double? = nil, maxCharacters: Int = 80) {
        let oneLine = string.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        let cut = oneLine.count > maxCharacters ? String(oneLine.prefix(max(1, maxCharacters - 1))) + "…" : oneLine
        let transform = rotate.map { " transform=\"rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))\"" } ?? ""
        let tip = cut == oneLine ? "" : Self.tooltip(oneLine)
        elements.append("<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor.rawValue)\"\(Self.classAttribute(cls))\(transform)>\(tip)\(Escape.xml(cut))</text>")
    }

    /// A polyline through `points`; nothing for fewer than two points.
    mutating func polyline(_ points: [(Double, Double)], class cls: String) {
        guard points.count > 1 else { return }
        let d = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        elements.append("<polyline points=\"\(d)\"\(Self.classAttribute(cls))/>")
    }

    /// A filled band between `upper` and `lower` (both left to right).
    mutating func band(upper: [(Double, Double)], lower: [(Double, Double)], class cls: String) {
        guard upper.count > 1, upper.count == lower.count else { return }
        let ring = upper + lower.reversed()
        let d = ring.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        elements.append("<polygon points=\"\(d)\"\(Self.classAttribute(cls))/>")
    }

    /// The SVG markup. Standalone charts (SVG files) carry their own stylesheet and XML
    /// namespace; inline ones (in the HTML page) rely on the page's copy of ``chartCSS``.
    func render(standalone: Bool) -> String {
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" "
        out += "width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" class=\"chart\" role=\"img\""
        // SVG 1.1 files have no aria-label; there the <title> child names the chart.
        out += standalone ? ">" : " aria-label=\"\(Escape.xml(title))\">"
        out += "<title>\(Escape.xml(title))</title>"
        if standalone { out += "<style>\(chartCSS)</style>" }
        out += "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\"/>"
        out += elements.joined(separator: "\n")
        out += "</svg>\n"
        return out
    }
}

/// The styles of every chart, for light and dark colour schemes (Okabe–Ito colours, lighter
/// variants on dark backgrounds).
let chartCSS = """
svg.chart{font:12px system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;--bg:#ffffff;--grid:#d0d7de;\
--c0:#0072b2;--c1:#d55e00;--c2:#009e73;--c3:#cc79a7;--ref:#6e7781}
svg.chart .bg{fill:var(--bg)}
svg.chart text{fill:currentColor}
svg.chart .muted{fill:var(--ref)}
svg.chart .heading{font-weight:600;font-size:13px}
svg.chart .axis{stroke:currentColor;stroke-width:1}
svg.chart .grid{stroke:var(--grid);stroke-width:1}
svg.chart .ref{stroke:var(--ref);stroke-width:1.2;stroke-dasharray:6 4}
svg.chart polyline{fill:none;stroke-width:1.8}
svg.chart .train{stroke-dasharray:5 3}
svg.chart .s0{stroke:var(--c0)} svg.chart .s1{stroke:var(--c1)} svg.chart .s2{stroke:var(--c2)} svg.chart .s3{stroke:var(--c3)}
svg.chart .b0{fill:var(--c0);opacity:.15} svg.chart .b1{fill:var(--c1);opacity:.15} svg.chart .b2{fill:var(--c2);opacity:.15}
svg.chart .f0{fill:var(--c0)} svg.chart .f1{fill:var(--c1)} svg.chart .f2{fill:var(--c2)}
svg.chart .dot{fill:var(--c0);fill-opacity:.55;stroke:var(--c0)}
svg.chart .meanmark{stroke:var(--c1);stroke-width:2.5}
svg.chart .cell{fill:var(--c0)}
svg.chart .cellframe{fill:none;stroke:var(--grid)}
svg.chart .count{font-weight:600}
svg.chart .count.on-dark{fill:var(--bg)}
@media (prefers-color-scheme:dark){svg.chart{color:#e6edf3;--bg:#0d1117;--grid:#30363d;\
--c0:#56b4e9;--c1:#e69f00;--c2:#3fd0a0;--c3:#f0a0d0;--ref:#8b949e}}
"""

/// Axis scaling and tick placement.
enum Scale {
    /// About `count` round tick values covering `low...high`.
    static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard high > low, low.isFinite, high.isFinite else { return [low] }
        let raw = (high - low) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var values: [Double] = []
        var v = (low / step).rounded(.up) * step
        while v <= high + step * 1e-9 {
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return values
    }

    /// Maps `value` in `domain` linearly onto `range`, clamping to the domain.
    static func map(_ value: Double, _ domain: (Double, Double), _ range: (Double, Double)) -> Double {
        let span = domain.1 - domain.0
        guard span > 0 else { return (range.0 + range.1) / 2 }
        let clamped = min(max(value, domain.0), domain.1)
        return range.0 + (clamped - domain.0) / span * (range.1 - range.0)
    }
}
