import Foundation

/// A small SVG builder. Every text and attribute value passes through ``Escape/svg(_:)``;
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
        let tenths = (value * 10).rounded()
        // Whole tenths printed from integers: what `String(format: "%.1f")` prints, at a tenth of
        // its cost (a learning curve's polyline has a point per epoch).
        guard abs(tenths) < 1e15 else { return String(format: "%.1f", tenths / 10) }
        let count = Int(tenths), whole = abs(count) / 10, tenth = abs(count) % 10
        if tenth == 0 { return String(count / 10) }
        return (count < 0 ? "-" : "") + String(whole) + "." + String(tenth)
    }

    private static func classAttribute(_ cls: String?) -> String {
        cls.map { " class=\"\(Escape.svg($0))\"" } ?? ""
    }

    /// A `<title>` child: the tooltip of the enclosing shape.
    private static func tooltip(_ text: String?) -> String {
        text.map { "<title>\(Escape.svg($0))</title>" } ?? ""
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
        let cut = string.count > maxCharacters ? String(string.prefix(max(1, maxCharacters - 1))) + "…" : string
        let transform = rotate.map { " transform=\"rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))\"" } ?? ""
        let tip = cut == string ? "" : Self.tooltip(string)
        elements.append("<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor.rawValue)\"\(Self.classAttribute(cls))\(transform)>\(tip)\(Escape.svg(cut))</text>")
    }

    /// A polyline through `points`, with an optional tooltip; nothing for fewer than two points.
    mutating func polyline(_ points: [(Double, Double)], class cls: String, tooltip: String? = nil) {
        guard points.count > 1 else { return }
        let d = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        let open = "<polyline points=\"\(d)\"\(Self.classAttribute(cls))"
        elements.append(tooltip == nil ? open + "/>" : open + ">" + Self.tooltip(tooltip) + "</polyline>")
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
        // The HTML parser puts inline <svg> in the SVG namespace by itself; files need xmlns.
        out += standalone ? "<svg xmlns=\"http://www.w3.org/2000/svg\" " : "<svg "
        out += "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" "
        out += "width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" class=\"chart\" role=\"img\""
        // SVG 1.1 files have no aria-label; there the <title> child names the chart.
        out += standalone ? ">" : " aria-label=\"\(Escape.svg(title))\">"
        out += "<title>\(Escape.svg(title))</title>"
        if standalone { out += "<style>\(chartCSS)</style>" }
        out += "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\"/>"
        out += elements.joined(separator: "\n")
        out += "</svg>\n"
        return out
    }
}

/// The colours of a chart in one colour scheme.
struct ChartPalette {
    var text: String, background: String, grid: String, reference: String
    /// Series colours (Okabe–Ito in light mode, lighter variants on dark backgrounds).
    var series: [String]

    static let light = ChartPalette(text: "#1f2328", background: "#ffffff", grid: "#d0d7de", reference: "#6e7781",
                                    series: ["#0072b2", "#d55e00", "#009e73", "#cc79a7"])
    static let dark = ChartPalette(text: "#e6edf3", background: "#0d1117", grid: "#30363d", reference: "#8b949e",
                                   series: ["#56b4e9", "#e69f00", "#3fd0a0", "#f0a0d0"])

    /// The colour rules of every chart class. Plain colours, no custom properties, so that
    /// SVG renderers without CSS variables (librsvg, older editors) draw the files as well.
    var rules: String {
        var css = """
        svg.chart{color:\(text)}
        svg.chart .bg{fill:\(background)}
        svg.chart text{fill:\(text)}
        svg.chart .muted{fill:\(reference)}
        svg.chart .axis{stroke:\(text)}
        svg.chart .grid{stroke:\(grid)}
        svg.chart .ref{stroke:\(reference)}
        svg.chart .pruned{stroke:\(grid)}
        svg.chart .point.pruned{fill:\(grid)}
        svg.chart .point.s0{fill:\(series[0])}
        svg.chart .dot{fill:\(series[0]);stroke:\(series[0])}
        svg.chart .meanmark{stroke:\(series[1])}
        svg.chart .cell{fill:\(series[0])}
        svg.chart .cellframe{stroke:\(grid)}
        svg.chart .count.on-dark{fill:\(background)}
        svg.chart .pc{stroke:\(series[0])}
        svg.chart .pc.best{stroke:\(series[1])}

        """
        for (index, colour) in series.enumerated() {
            css += "svg.chart .s\(index){stroke:\(colour)} svg.chart .b\(index){fill:\(colour)}\n"
        }
        return css
    }
}

/// The styles of every chart, for light and dark colour schemes.
let chartCSS = """
svg.chart{font:12px system-ui,-apple-system,"Segoe UI",sans-serif}
svg.chart .heading{font-weight:600;font-size:13px}
svg.chart .axis{stroke-width:1}
svg.chart .grid{stroke-width:1}
svg.chart .ref{stroke-width:1.2;stroke-dasharray:6 4}
svg.chart polyline{fill:none;stroke-width:1.8}
svg.chart .train{stroke-dasharray:5 3}
svg.chart .pruned{stroke-width:1}
svg.chart .top{stroke-width:1.4}
svg.chart .band{opacity:.15}
svg.chart .dot{fill-opacity:.55}
svg.chart .meanmark{stroke-width:2.5}
svg.chart .cellframe{fill:none}
svg.chart .count{font-weight:600}
svg.chart .pc{stroke-opacity:.45;stroke-width:1.4}
svg.chart .pc.best{stroke-opacity:1;stroke-width:2.6}

""" + ChartPalette.light.rules + "@media (prefers-color-scheme:dark){\n" + ChartPalette.dark.rules + "}\n"

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
