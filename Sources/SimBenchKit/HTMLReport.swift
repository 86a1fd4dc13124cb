import Foundation

/// A self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched) with the charts
/// of one or more results: throughput per variant, scaling with threads, measured curves against
/// theory (the LSH S-curve), accuracy per variant, and every record in a table.
///
/// Every chart gives each file (machine) one colour, the same everywhere: bars show the median
/// with a min–max whisker over the samples and the ratio to the first file (`×1.35`, `~` when
/// the samples overlap: noise); scaling charts draw one line per file with its ideal linear
/// scaling dashed in the same colour; curves draw theory once, in grey, and each file's
/// measurement in its colour. Metric names are written out (`MB/s`, `p99 latency`).
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
        body += "<h2>Throughput per variant (1 thread)</h2><p>Bars: the median sample; whiskers: the slowest and fastest samples; "
            + "after the value, the ratio to the first file (above 1: faster; <code>~</code>: inside the samples' spread, noise). "
            + "The naive reference is the <code>Set&lt;String&gt;</code> baseline measured in the same run.</p>"
        body += throughputCharts()
        body += "<h2>Scaling with threads</h2><p>One colour per file; dashed: its ideal linear scaling from its 1-thread median.</p>"
        body += "<div class=\"grid\">" + scalingCharts() + "</div>"
        body += "<h2>Measured curves against theory</h2><p>Grey dashed: theory; points: each file's measurement.</p>"
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
            th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
            th { background: #f2f2f2; }
            svg { display: block; margin: 8px 0 18px 0; }
            .grid svg { display: inline-block; vertical-align: top; margin-right: 18px; }
            .note { color: #666; font-style: italic; }
            .warning { color: #a33; }
            </style></head><body>
            \(body)
            </body></html>

            """
    }

    private var seriesNames: [String] { results.map(\.label) }

    private func machines() -> String {
        var html = "<table><tr><th>#</th><th>label</th><th>CPU</th><th>cores</th><th>SIMD</th><th>memory</th><th>kernel, Swift, build</th><th>simbench</th><th>load average (1 min) before → after</th><th>corpus</th><th>created</th></tr>"
        for (index, result) in results.enumerated() {
            let machine = result.machine
            let environment = result.environment
            let corpus = "\(result.corpus.name): \(result.corpus.documents) docs, \(TextTable.number(Double(result.corpus.bytes)))B"
            var cores = String(machine.logicalCores)
            var version = "—"
            var load = "—"
            if let environment {
                cores += " (\(environment.usableCores) usable: CPUs \(environment.cpuAffinity)"
                    + (environment.cgroupCPULimit.map { String(format: ", cgroup limit %.2f", $0) } ?? "") + ")"
                version = environment.toolVersion + (environment.gitCommit.map { " \($0.prefix(12))\(environment.gitDirty == true ? " (modified)" : "")" } ?? "")
                if let before = environment.loadAverageBefore.first, let after = environment.loadAverageAfter.first {
                    load = String(format: "%.2f → %.2f", before, after)
                }
            }
            let cells = [
                result.label, machine.cpuModel, cores, machine.simdFeatures.joined(separator: " "),
                String(format: "%.1f GiB", Double(machine.memoryBytes) / 1_073_741_824),
                "\(machine.kernel), Swift \(machine.swiftVersion), \(machine.buildConfiguration)", version, load, corpus, result.createdAt,
            ]
            html += "<tr><td><span style=\"color:\(SVGChart.color(index))\">■</span> \(index)</td>"
                + cells.map { "<td>\(SVGChart.escape($0))</td>" }.joined() + "</tr>"
            for warning in environment?.warnings ?? [] {
                html += "<tr><td></td><td colspan=\"10\" class=\"warning\">warning: \(SVGChart.escape(warning))</td></tr>"
            }
        }
        return html + "</table>"
    }

    /// The record of `key` in each file.
    private func lookup(_ key: String) -> [WorkloadRecord?] {
        results.map { result in result.records.first { $0.key == key } }
    }

    private func throughputCharts() -> String {
        var html = ""
        for workload in workloads {
            var keys: [String] = []
            for result in results {
                for record in result.records where record.workload == workload && record.threads == 1 && !keys.contains(record.key) {
                    keys.append(record.key)
                }
            }
            var bars: [SVGChart.Bar] = []
            var metric: String?
            for key in keys {
                let records = lookup(key)
                guard let name = records.compactMap({ $0 }).first?.primaryThroughput.name, metric == nil || metric == name else { continue }
                metric = name
                let baseline = records[0]
                for (series, record) in records.enumerated() {
                    guard let record, let value = Self.value(record, metric: name) else { continue }
                    let suffix = record.implementation == WorkloadRecord.simcore ? "" : " (\(record.implementation))"
                    let samples = record.samples
                    let range = samples.maximum > 0 && samples.minimum > 0
                        ? (value * samples.median / samples.maximum)...(value * samples.median / samples.minimum) : nil
                    var note = ""
                    if series > 0, let baseline, let base = Self.value(baseline, metric: name), base > 0 {
                        note = String(format: "×%.2f", value / base) + (ResultComparison.overlaps(baseline.samples, samples) ? "~" : "")
                    }
                    bars.append(SVGChart.Bar(label: record.variant + suffix, value: value, series: series, range: range, note: note))
                }
            }
            guard let metric, !bars.isEmpty else { continue }
            html += SVGChart.bars(title: "\(workload): \(MetricNames.name(of: metric))", bars: bars, seriesNames: seriesNames)
        }
        return html.isEmpty ? "<p class=\"note\">No records.</p>" : html
    }

    /// `record`'s value of `metric` (`runsPerSecond` from the median).
    private static func value(_ record: WorkloadRecord, metric: String) -> Double? {
        if metric == "runsPerSecond" { return record.samples.median > 0 ? 1 / record.samples.median : nil }
        return record.metrics[metric]
    }

    private func scalingCharts() -> String {
        var html = ""
        for workload in workloads {
            var variants: [String] = []
            for result in results {
                for record in result.records where record.workload == workload && record.implementation == WorkloadRecord.simcore
                    && !variants.contains(record.variant) {
                    variants.append(record.variant)
                }
            }
            for variant in variants {
                var lines: [SVGChart.Line] = []
                var metric = ""
                for (series, result) in results.enumerated() {
                    let records = result.records.filter {
                        $0.workload == workload && $0.variant == variant && $0.implementation == WorkloadRecord.simcore
                    }.sorted { $0.threads < $1.threads }
                    guard records.count > 1 else { continue }
                    metric = records[0].primaryThroughput.name
                    let points = records.map { CurvePoint(x: Double($0.threads), y: Self.value($0, metric: metric) ?? 0) }
                    lines.append(SVGChart.Line(name: result.label, points: points, series: series))
                    if let base = points.first {
                        lines.append(SVGChart.Line(
                            name: "\(result.label): ideal", points: points.map { CurvePoint(x: $0.x, y: base.y * $0.x) }, dashed: true,
                            series: series))
                    }
                }
                guard !lines.isEmpty else { continue }
                html += SVGChart.lines(
                    title: "\(workload) \(variant): scaling", xLabel: "threads", yLabel: MetricNames.name(of: metric), lines: lines,
                    plotWidth: 380)
            }
        }
        return html.isEmpty ? "<p class=\"note\">No workload was measured at more than one thread count.</p>" : html
    }

    private func curveCharts() -> String {
        var html = ""
        var names: [String] = []
        for curve in results.flatMap(\.curves) where !names.contains(curve.name) { names.append(curve.name) }
        for name in names {
            var lines: [SVGChart.Line] = []
            var axes = ("", "")
            var top = 1.0
            for (series, result) in results.enumerated() {
                for curve in result.curves where curve.name == name {
                    if lines.isEmpty && !curve.theory.isEmpty {
                        lines.append(SVGChart.Line(name: "theory", points: curve.theory, dashed: true, series: -1))
                    }
                    lines.append(SVGChart.Line(name: "\(result.label): measured", points: curve.measured, series: series))
                    axes = (curve.xLabel, curve.yLabel)
                    top = Swift.max(top, (curve.measured + curve.theory).map(\.y).max() ?? 1)
                }
            }
            html += SVGChart.lines(title: name, xLabel: axes.0, yLabel: axes.1, lines: lines, yRange: 0...top)
        }
        return html.isEmpty ? "<p class=\"note\">No curves in these results (the LSH S-curve comes from the lsh-curve workload of bench and suite, and from simbench dedupe --measure jaccard).</p>" : html
    }

    private func accuracyCharts() -> String {
        var keys: [String] = []
        for result in results {
            for record in result.records where record.metrics["f1"] != nil && !keys.contains(record.key) { keys.append(record.key) }
        }
        var bars: [SVGChart.Bar] = []
        for key in keys {
            for (series, record) in lookup(key).enumerated() {
                guard let record else { continue }
                for name in ["precision", "recall", "f1"] {
                    bars.append(SVGChart.Bar(
                        label: "\(record.workload) \(record.variant) \(record.threads)t: \(MetricNames.name(of: name))",
                        value: record.metrics[name] ?? 0, series: series))
                }
            }
        }
        guard !bars.isEmpty else { return "<p class=\"note\">No accuracy metrics (the corpus had no ground truth; use a generated corpus).</p>" }
        return SVGChart.bars(title: "precision, recall, F1 of duplicate pairs", bars: bars, seriesNames: seriesNames, maximum: 1)
    }

    private func recordTable() -> String {
        var html = "<table><tr><th>#</th><th>workload</th><th>variant</th><th>implementation</th><th>threads</th><th>median</th><th>min</th><th>max</th><th>metrics</th><th>peak RSS</th></tr>"
        for (index, result) in results.enumerated() {
            for record in result.records {
                let metrics = record.metrics.sorted { $0.key < $1.key }
                    .map { "\(MetricNames.name(of: $0.key)) \(MetricNames.text($0.value, of: $0.key))" }.joined(separator: ", ")
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
}
