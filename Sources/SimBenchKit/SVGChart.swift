import Foundation
import SimCoreInternals

/// Inline SVG charts for the HTML report: horizontal bars and line plots, no scripts.
///
/// ```swift
/// let svg = SVGChart.bars(title: "shingle (MB/s)", bars: [.init(label: "words:5", value: 210, series: 0)],
///                         seriesNames: ["laptop"])
/// ```
public enum SVGChart {
    /// One bar: a label, a value and the series (file) it belongs to, which picks the colour;
    /// optionally a whisker (the range the samples allow) and a note (the ratio to the first
    /// file).
    public struct Bar: Sendable, Hashable {
        /// The category label.
        public var label: String
        /// The bar length.
        public var value: Double
        /// The series index.
        public var series: Int
        /// The whisker's ends (the slowest and fastest sample's value), if any.
        public var range: ClosedRange<Double>?
        /// Text after the value, such as `×1.35`.
        public var note: String
        /// Creates a bar.
        ///
        /// - Parameters:
        ///   - label: The category label.
        ///   - value: The bar length.
        ///   - series: The series index (the colour).
        ///   - range: The whisker, if any.
        ///   - note: Text after the value.
        public init(label: String, value: Double, series: Int, range: ClosedRange<Double>? = nil, note: String = "") {
            self.label = label
            self.value = value
            self.series = series
            self.range = range
            self.note = note
        }
    }

    /// One line: a name, points and whether it is dashed (theory, ideal scaling).
    public struct Line: Sendable, Hashable {
        /// The legend name.
        public var name: String
        /// The points, drawn in x order.
        public var points: [CurvePoint]
        /// Whether to dash it.
        public var dashed: Bool
        /// The colour index; negative for grey (theory shared by every series).
        public var series: Int
        /// Creates a line.
        ///
        /// - Parameters:
        ///   - name: The legend name.
        ///   - points: The points.
        ///   - dashed: Whether to dash it.
        ///   - series: The colour index (negative: grey).
        public init(name: String, points: [CurvePoint], dashed: Bool = false, series: Int) {
            self.name = name
            self.points = points
            self.dashed = dashed
            self.series = series
        }
    }

    /// The colour of series `index`: one per file (machine) in every chart, from a
    /// colour-blind-safe palette, cycled; grey for a negative index (theory).
    public static func color(_ index: Int) -> String {
        guard index >= 0 else { return "#7F7F7F" }
        let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
        return palette[index % palette.count]
    }

    /// Escapes `&`, `<`, `>` and quotes for HTML and SVG text.
    ///
    /// - Parameter text: Any text.
    /// - Returns: The escaped text.
    public static func escape(_ text: String) -> String {
        escapedHTML(text)
    }

    /// A horizontal bar chart, one row per bar, with values (and notes) printed at the bar ends
    /// and min–max whiskers where bars have a range.
    ///
    /// - Parameters:
    ///   - title: The chart title.
    ///   - bars: The bars, top to bottom.
    ///   - seriesNames: Legend names by series index.
    ///   - maximum: The value of a full-width bar (default: the largest value or whisker end).
    /// - Returns: An `<svg>` element.
    public static func bars(title: String, bars: [Bar], seriesNames: [String], maximum: Double? = nil) -> String {
        let labelWidth = 330.0
        let plotWidth = 520.0
        let rowHeight = 22.0
        let legendHeight = seriesNames.count > 1 ? 22.0 * Double(seriesNames.count) : 0
        let height = 40 + rowHeight * Double(bars.count) + legendHeight + 10
        let top = maximum ?? Swift.max(bars.map { Swift.max($0.value, $0.range?.upperBound ?? 0) }.max() ?? 1, 1e-12)
        func x(_ value: Double) -> Double { plotWidth * Swift.min(Swift.max(value, 0) / top, 1) }
        var svg = header(width: labelWidth + plotWidth + 150, height: height, title: title)
        for (row, bar) in bars.enumerated() {
            let y = 36 + rowHeight * Double(row)
            let width = Swift.max(1, x(bar.value))
            var tip = "\(bar.label): \(TextTable.number(bar.value))"
            if let range = bar.range { tip += " (samples \(TextTable.number(range.lowerBound))–\(TextTable.number(range.upperBound)))" }
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" font-size=\"12\">\(escape(bar.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(format(width))\" height=\"\(rowHeight - 6)\" fill=\"\(color(bar.series))\"><title>\(escape(tip))</title></rect>"
            var textX = labelWidth + width + 4
            if let range = bar.range {
                let low = labelWidth + x(range.lowerBound)
                let high = labelWidth + x(range.upperBound)
                let middle = y + rowHeight / 2
                svg += "<path d=\"M\(format(low)) \(format(middle))H\(format(high))M\(format(low)) \(format(middle - 5))V\(format(middle + 5))M\(format(high)) \(format(middle - 5))V\(format(middle + 5))\" stroke=\"#222\" stroke-width=\"1.2\" fill=\"none\"/>"
                textX = Swift.max(textX, high + 4)
            }
            let note = bar.note.isEmpty ? "" : "  \(bar.note)"
            svg += "<text x=\"\(format(textX))\" y=\"\(y + 15)\" font-size=\"12\">\(TextTable.number(bar.value))\(escape(note))</text>"
        }
        svg += legend(seriesNames.count > 1 ? seriesNames.enumerated().map { ($0.element, $0.offset, false) } : [],
                      x: labelWidth, y: 40 + rowHeight * Double(bars.count))
        return svg + "</svg>"
    }

    /// A line chart with axes, ticks and a legend; measured lines get point markers.
    ///
    /// - Parameters:
    ///   - title: The chart title.
    ///   - xLabel: The x-axis label.
    ///   - yLabel: The y-axis label.
    ///   - lines: The lines.
    ///   - yRange: The y range (default: 0 to the largest y).
    ///   - plotWidth: The plot area's width in pixels (default 560; 380 fits two charts side by side).
    /// - Returns: An `<svg>` element.
    public static func lines(
        title: String, xLabel: String, yLabel: String, lines: [Line], yRange: ClosedRange<Double>? = nil, plotWidth: Double = 560
    ) -> String {
        let left = 80.0, plotTop = 36.0, plotHeight = 260.0
        let points = lines.flatMap(\.points)
        let xMin = points.map(\.x).min() ?? 0
        let xMax = Swift.max(points.map(\.x).max() ?? 1, xMin + 1e-12)
        let yMin = yRange?.lowerBound ?? 0
        let yMax = yRange?.upperBound ?? Swift.max((points.map(\.y).max() ?? 1) * 1.1, 1e-12)
        func px(_ x: Double) -> Double { left + plotWidth * (x - xMin) / (xMax - xMin) }
        func py(_ y: Double) -> Double { plotTop + plotHeight * (1 - (y - yMin) / (yMax - yMin)) }
        let height = plotTop + plotHeight + 50 + 20 * Double(lines.count)
        var svg = header(width: left + plotWidth + 40, height: height, title: title)
        svg += "<rect x=\"\(left)\" y=\"\(plotTop)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#999\"/>"
        // Whole-number x values (thread counts) get a tick each; anything else five even ticks.
        let distinctX = Set(points.map(\.x)).sorted()
        let xTicks = distinctX.count <= 10 && distinctX.allSatisfy { $0 == $0.rounded() }
            ? distinctX : (0...4).map { xMin + (xMax - xMin) * Double($0) / 4 }
        for tick in 0...4 {
            let y = yMin + (yMax - yMin) * Double(tick) / 4
            svg += "<line x1=\"\(left)\" x2=\"\(left + plotWidth)\" y1=\"\(format(py(y)))\" y2=\"\(format(py(y)))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(format(py(y) + 4))\" text-anchor=\"end\" font-size=\"11\">\(TextTable.number(y))</text>"
        }
        for x in xTicks {
            svg += "<text x=\"\(format(px(x)))\" y=\"\(plotTop + plotHeight + 16)\" text-anchor=\"middle\" font-size=\"11\">\(TextTable.number(x))</text>"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(plotTop + plotHeight + 34)\" text-anchor=\"middle\" font-size=\"12\">\(escape(xLabel))</text>"
        svg += "<text x=\"16\" y=\"\(plotTop + plotHeight / 2)\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 16 \(plotTop + plotHeight / 2))\">\(escape(yLabel))</text>"
        for line in lines {
            let sorted = line.points.sorted { $0.x < $1.x }
            let path = sorted.map { "\(format(px($0.x))),\(format(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color(line.series))\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            if !line.dashed {
                for point in sorted {
                    svg += "<circle cx=\"\(format(px(point.x)))\" cy=\"\(format(py(point.y)))\" r=\"3.5\" fill=\"\(color(line.series))\"><title>\(escape(line.name)): (\(TextTable.number(point.x)), \(TextTable.number(point.y)))</title></circle>"
                }
            }
        }
        svg += legend(lines.map { ($0.name, $0.series, $0.dashed) }, x: left, y: plotTop + plotHeight + 44)
        return svg + "</svg>"
    }

    private static func header(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(format(width))\" height=\"\(format(height))\" viewBox=\"0 0 \(format(width)) \(format(height))\" font-family=\"sans-serif\" role=\"img\" aria-label=\"\(escape(title))\">"
            + "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>"
    }

    private static func legend(_ entries: [(name: String, series: Int, dashed: Bool)], x: Double, y: Double) -> String {
        var svg = ""
        for (row, entry) in entries.enumerated() {
            let top = y + 20 * Double(row)
            svg += "<line x1=\"\(x)\" x2=\"\(x + 24)\" y1=\"\(top + 8)\" y2=\"\(top + 8)\" stroke=\"\(color(entry.series))\" stroke-width=\"6\"\(entry.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            svg += "<text x=\"\(x + 30)\" y=\"\(top + 12)\" font-size=\"12\">\(escape(entry.name))</text>"
        }
        return svg
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
