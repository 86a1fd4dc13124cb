import Foundation

/// A self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched) with the charts
/// of one or more results: throughput per variant, scaling with threads, measured curves against
/// theory (the LSH S-curve), accuracy per variant, and every record in a table.
///
/// ```swift
/// let html = HTMLReport(results: [laptop, server]).render()
/// try html.write(toFile: "report.html", atomically: true, encoding: .utf8)
/// ```
public struct HTMLReport: Sendable {
    /// The results shown, each a series in the charts.
    public var results: [BenchResult]

    /// Creates a report.
    ///
    /// - Parameter results: At least one result.
    public init(results: [BenchResult]) {
        self.results = results
    }

    /// The distinct workloads in first-seen order.
    var workloads: [String] {
        var seen = Set<String>()
        return results.flatMap(\.records).map(\.workload).filter { seen.insert($0).inserted }
    }

    /// The page.
    ///
    /// - Returns: A complete HTML document.
    public func render() -> String {
        var body = "<h1>simbench report</h1>"
        body += machines()
        body += "<h2>Throughput per variant (1 thread)</h2><p>Bars are the median of the samples; the naive reference is the <code>Set&lt;String&gt;</code> baseline measured in the same run.</p>"
        body += throughputCharts()
        body += "<h2>Scaling with threads</h2><p>Dashed: ideal linear scaling from the 1-thread median.</p>"
        body += scalingCharts()
        body += "<h2>Measured curves against theory</h2>"
        body += curveCharts()
        body += "<h2>Accuracy per variant</h2>"
        body += accuracyCharts()
        body += "<h2>All records</h2>"
        body += recordTable()
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>simbench report</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1150px; }
            table { border-collapse: collapse; font-size: 12px; margin-bottom: 16px; }
            th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }
            th { background: #f2f2f2; }
            svg { display: block; margin: 8px 0 18px 0; }
            .note { color: #666; font-style: italic; }
            </style></head><body>
            \(body)
            </body></html>

            """
    }

    private func machines() -> String {
        var html = "<table><tr><th>#</th><th>label</th><th>CPU</th><th>cores</th><th>SIMD</th><th>memory</th><th>kernel</th><th>Swift</th><th>build</th><th>corpus</th><th>created</th></tr>"
        for (index, result) in results.enumerated() {
            let machine = result.machine
            let corpus = "\(result.corpus.name): \(result.corpus.documents) docs, \(TextTable.number(Double(result.corpus.bytes)))B"
            let cells = [
                "<span style=\"color:\(SVGChart.color(index))\">■</span> \(index)", result.label, machine.cpuModel,
                String(machine.logicalCores), machine.simdFeatures.joined(separator: " "),
                String(format: "%.1f GiB", Double(machine.memoryBytes) / 1_073_741_824), machine.kernel,
                machine.swiftVersion, machine.buildConfiguration, corpus, result.createdAt,
            ]
            html += "<tr>" + cells.enumerated().map { "<td>\($0.offset == 0 ? $0.element : SVGChart.escape($0.element))</td>" }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    private func throughputCharts() -> String {
        var html = ""
        for workload in workloads {
            var bars: [SVGChart.Bar] = []
            var metric: String?
            for (series, result) in results.enumerated() {
                for record in result.records where record.workload == workload && record.threads == 1 {
                    let throughput = record.primaryThroughput
                    guard metric == nil || metric == throughput.name else { continue }
                    metric = throughput.name
                    let suffix = record.implementation == WorkloadRecord.simcore ? "" : " (\(record.implementation))"
                    bars.append(SVGChart.Bar(label: record.variant + suffix, value: throughput.value, series: series))
                }
            }
            bars.sort { ($0.label, $0.series) < ($1.label, $1.series) }
            guard let metric else { continue }
            html += SVGChart.bars(title: "\(workload): \(Self.unitName(metric))", bars: bars, seriesNames: results.map(\.label))
        }
        return html.isEmpty ? "<p class=\"note\">No records.</p>" : html
    }

    private func scalingCharts() -> String {
        var html = ""
        for workload in workloads {
            var lines: [SVGChart.Line] = []
            var metric = ""
            for (series, result) in results.enumerated() {
                let simcore = result.records.filter { $0.workload == workload && $0.implementation == WorkloadRecord.simcore }
                var variants: [String] = []
                for record in simcore where !variants.contains(record.variant) { variants.append(record.variant) }
                for variant in variants {
                    let records = simcore.filter { $0.variant == variant }.sorted { $0.threads < $1.threads }
                    guard records.count > 1 else { continue }
                    metric = records[0].primaryThroughput.name
                    let points = records.map { CurvePoint(x: Double($0.threads), y: $0.metrics[metric] ?? 0) }
                    let name = results.count > 1 ? "\(result.label): \(variant)" : variant
                    lines.append(SVGChart.Line(name: name, points: points, series: series * 4 + lines.count % 4))
                    if let base = points.first {
                        lines.append(SVGChart.Line(name: "\(name) ideal", points: points.map { CurvePoint(x: $0.x, y: base.y * $0.x) },
                                                   dashed: true, series: series * 4 + (lines.count - 1) % 4))
                    }
                }
            }
            guard !lines.isEmpty else { continue }
            html += SVGChart.lines(title: "\(workload): scaling", xLabel: "threads", yLabel: Self.unitName(metric), lines: lines)
        }
        return html.isEmpty ? "<p class=\"note\">No workload was measured at more than one thread count.</p>" : html
    }

    private func curveCharts() -> String {
        var html = ""
        for (series, result) in results.enumerated() {
            for curve in result.curves {
                var lines = [SVGChart.Line(name: "measured", points: curve.measured, series: series)]
                if !curve.theory.isEmpty { lines.append(SVGChart.Line(name: "theory", points: curve.theory, dashed: true, series: series + 3)) }
                let title = results.count > 1 ? "\(result.label): \(curve.name)" : curve.name
                let top = Swift.max(1, (curve.measured + curve.theory).map(\.y).max() ?? 1)
                html += SVGChart.lines(title: title, xLabel: curve.xLabel, yLabel: curve.yLabel, lines: lines, yRange: 0...top)
            }
        }
        return html.isEmpty ? "<p class=\"note\">No curves in these results (the LSH S-curve comes from the dedupe workload).</p>" : html
    }

    private func accuracyCharts() -> String {
        var bars: [SVGChart.Bar] = []
        for (series, result) in results.enumerated() {
            var seen = Set<String>()
            for record in result.records where record.metrics["f1"] != nil && seen.insert("\(record.workload) \(record.variant)").inserted {
                for name in ["precision", "recall", "f1"] {
                    bars.append(SVGChart.Bar(label: "\(record.workload) \(record.variant) \(name)", value: record.metrics[name] ?? 0, series: series))
                }
            }
        }
        guard !bars.isEmpty else { return "<p class=\"note\">No accuracy metrics (the corpus had no ground truth; use a generated corpus).</p>" }
        return SVGChart.bars(title: "precision, recall, F1 of duplicate pairs", bars: bars, seriesNames: results.map(\.label), maximum: 1)
    }

    private func recordTable() -> String {
        var html = "<table><tr><th>#</th><th>workload</th><th>variant</th><th>implementation</th><th>threads</th><th>median</th><th>min</th><th>max</th><th>metrics</th><th>peak RSS</th></tr>"
        for (index, result) in results.enumerated() {
            for record in result.records {
                let metrics = record.metrics.sorted { $0.key < $1.key }.map { "\($0.key) \(TextTable.number($0.value))" }.joined(separator: ", ")
                let cells = [
                    String(index), record.workload, record.variant, record.implementation, String(record.threads),
                    TextTable.duration(record.samples.median), TextTable.duration(record.samples.minimum),
                    TextTable.duration(record.samples.maximum), metrics, TextTable.number(Double(record.peakResidentBytes)) + "B",
                ]
                html += "<tr>" + cells.map { "<td>\(SVGChart.escape($0))</td>" }.joined() + "</tr>"
            }
        }
        return html + "</table>"
    }

    /// A readable unit for a metric name.
    static func unitName(_ metric: String) -> String {
        switch metric {
        case "megabytesPerSecond": "MB/s"
        case "docsPerSecond": "documents/s"
        case "pairsPerSecond": "pairs/s"
        case "shinglesPerSecond": "shingles/s"
        case "runsPerSecond": "runs/s"
        default: metric
        }
    }
}
