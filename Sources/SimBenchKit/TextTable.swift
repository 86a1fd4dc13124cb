import Foundation

/// The plain-text table `simbench bench` prints on standard output, and its formatting helpers.
///
/// ```swift
/// print(TextTable.records(result.records))
/// TextTable.number(1_234_567)   // "1.23M"
/// ```
public enum TextTable {
    /// Left-aligns `text` in a column of `width` characters (at least one space after it).
    ///
    /// - Parameters:
    ///   - text: The cell.
    ///   - width: The column width.
    /// - Returns: The padded cell.
    public static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// A number with three significant digits and a k/M/G suffix: `1.23M`, `456`, `0.0123`.
    ///
    /// - Parameter value: Any finite number.
    /// - Returns: The short form.
    public static func number(_ value: Double) -> String {
        let magnitude = abs(value)
        for (scale, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= scale {
            return String(format: "%.3g", value / scale) + suffix
        }
        return String(format: "%.3g", value)
    }

    /// Seconds in the most readable unit: `12.3 ms`, `4.56 µs`, `1.20 s`.
    ///
    /// - Parameter seconds: A duration.
    /// - Returns: The short form.
    public static func duration(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 1e-3 { return String(format: "%.3g ms", seconds * 1e3) }
        if seconds >= 1e-6 { return String(format: "%.3g µs", seconds * 1e6) }
        return String(format: "%.3g ns", seconds * 1e9)
    }

    /// Records as a text table: workload, variant, implementation, threads, median and range,
    /// MB/s, documents/s, another rate, the speed-up over the naive reference, and notes (the
    /// other metrics, by their readable names). Columns are as wide as their longest cell.
    ///
    /// - Parameter records: The records.
    /// - Returns: Lines separated by newlines.
    public static func records(_ records: [WorkloadRecord]) -> String {
        let shown: Set<String> = [
            "megabytesPerSecond", "docsPerSecond", "pairsPerSecond", "shinglesPerSecond", "speedupOverReference",
            "latencyP50Seconds", "latencyP99Seconds", "precision", "recall", "f1",
        ]
        var rows: [[String]] = [["workload", "variant", "impl", "thr", "median", "min..max", "MB/s", "docs/s", "other/s", "speedup", "notes"]]
        for record in records {
            let metrics = record.metrics
            let other = metrics["pairsPerSecond"].map { number($0) + " pairs" }
                ?? metrics["shinglesPerSecond"].map { number($0) + " shingles" } ?? ""
            var notes: [String] = []
            if let p50 = metrics["latencyP50Seconds"], let p99 = metrics["latencyP99Seconds"] {
                notes.append("p50 \(duration(p50)), p99 \(duration(p99))")
            }
            if let f1 = metrics["f1"], let precision = metrics["precision"], let recall = metrics["recall"] {
                notes.append(String(format: "P %.3f R %.3f F1 %.3f", precision, recall, f1))
            }
            for (name, value) in metrics.sorted(by: { $0.key < $1.key }) where !shown.contains(name) {
                notes.append("\(MetricNames.name(of: name)) \(MetricNames.text(value, of: name))")
            }
            rows.append([
                record.workload, record.variant, record.implementation, String(record.threads), duration(record.samples.median),
                "\(duration(record.samples.minimum))..\(duration(record.samples.maximum))",
                metrics["megabytesPerSecond"].map(number) ?? "", metrics["docsPerSecond"].map(number) ?? "", other,
                metrics["speedupOverReference"].map { String(format: "%.1fx", $0) } ?? "", notes.joined(separator: "; "),
            ])
        }
        let widths = (0..<rows[0].count - 1).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row.dropLast(), widths).map { pad($0, $1 + 1) }.joined() + row[row.count - 1]
        }.joined(separator: "\n")
    }
}
