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

    /// One line per record: workload, variant, implementation, threads, median time and spread,
    /// throughputs, speed-up over the naive reference, accuracy and latency where present.
    ///
    /// - Parameter records: Records to show.
    /// - Returns: The table with a header line.
    public static func records(_ records: [WorkloadRecord]) -> String {
        var lines = [
            pad("workload", 11) + pad("variant", 30) + pad("impl", 16) + pad("thr", 4) + pad("median", 10)
                + pad("min..max", 20) + pad("MB/s", 8) + pad("docs/s", 9) + pad("other/s", 17) + pad("speedup", 9) + "notes",
        ]
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
            if let mae = metrics["meanAbsoluteError"] { notes.append(String(format: "MAE %.4f", mae)) }
            lines.append(
                pad(record.workload, 11) + pad(record.variant, 30) + pad(record.implementation, 16) + pad(String(record.threads), 4)
                    + pad(duration(record.samples.median), 10)
                    + pad("\(duration(record.samples.minimum))..\(duration(record.samples.maximum))", 20)
                    + pad(metrics["megabytesPerSecond"].map(number) ?? "", 8) + pad(metrics["docsPerSecond"].map(number) ?? "", 9)
                    + pad(other, 17) + pad(metrics["speedupOverReference"].map { String(format: "%.1fx", $0) } ?? "", 9)
                    + notes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}
