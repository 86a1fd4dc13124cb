import Foundation

/// Per-workload throughput ratios between result files (machines or variants).
///
/// Records are matched by ``WorkloadRecord/key`` (workload, variant, implementation, threads).
/// Each row compares the first file's primary throughput metric (MB/s, else pairs/s, else docs/s)
/// with the same metric in the other files; a ratio above 1 means that file was faster.
///
/// ```swift
/// let comparison = ResultComparison(results: [laptop, server])
/// comparison.rows[0].ratios   // [1.0, 2.5]: the server shingles 2.5 times as many MB/s
/// print(comparison.table())
/// ```
public struct ResultComparison: Sendable {
    /// One matched record across files.
    public struct Row: Sendable, Hashable {
        /// The record key.
        public var key: String
        /// The metric compared.
        public var metric: String
        /// The metric in each file, `nil` where the file lacks the record or metric.
        public var values: [Double?]
        /// Each value divided by the first file's value (`nil` where either is missing or zero).
        public var ratios: [Double?]
    }

    /// The labels of the files, in order.
    public var labels: [String]
    /// One row per record key, in the first file's order, then keys only later files have.
    public var rows: [Row]

    /// Compares results.
    ///
    /// - Parameter results: At least one result; the first is the baseline.
    public init(results: [BenchResult]) {
        labels = results.map(\.label)
        var keys: [String] = []
        var seen = Set<String>()
        for result in results {
            for record in result.records where seen.insert(record.key).inserted { keys.append(record.key) }
        }
        let lookup = results.map { result in
            Dictionary(result.records.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        }
        rows = keys.map { key in
            let metric = lookup.lazy.compactMap { $0[key]?.primaryThroughput.name }.first ?? "runsPerSecond"
            let values: [Double?] = lookup.map { records in
                guard let record = records[key] else { return nil }
                if metric == "runsPerSecond" { return record.samples.median > 0 ? 1 / record.samples.median : nil }
                return record.metrics[metric]
            }
            let base = values.first ?? nil
            let ratios: [Double?] = values.map { value in
                guard let value, let base, base > 0 else { return nil }
                return value / base
            }
            return Row(key: key, metric: metric, values: values, ratios: ratios)
        }
    }

    /// The comparison as a text table: key, metric, each file's value and ratio to the first.
    ///
    /// - Returns: Lines separated by newlines.
    public func table() -> String {
        var lines: [String] = []
        for (index, label) in labels.enumerated() { lines.append("[\(index)] \(label)") }
        var header = TextTable.pad("workload | variant | implementation | threads", 58) + TextTable.pad("metric", 20)
        for index in labels.indices { header += TextTable.pad("[\(index)]", 12) + (index == 0 ? "" : TextTable.pad("ratio", 8)) }
        lines.append(header)
        for row in rows {
            var line = TextTable.pad(row.key, 58) + TextTable.pad(row.metric, 20)
            for index in row.values.indices {
                line += TextTable.pad(row.values[index].map(TextTable.number) ?? "-", 12)
                if index > 0 { line += TextTable.pad(row.ratios[index].map { String(format: "%.2fx", $0) } ?? "-", 8) }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
