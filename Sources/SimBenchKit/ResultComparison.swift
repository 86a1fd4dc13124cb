import Foundation

/// Per-workload throughput ratios between result files (machines or variants).
///
/// Records are matched by ``WorkloadRecord/key`` (workload, variant, implementation, threads).
/// Each row compares the first file's primary throughput metric (MB/s, else pairs/s, else docs/s)
/// with the same metric in the other files; a ratio above 1 means that file was faster. A ratio
/// is **noise** when the two records' samples overlap: the slowest sample of one is faster than
/// the fastest of the other would allow, i.e. 1 lies between (fastest/slowest) and
/// (slowest/fastest) of the two; the table marks it with `~`.
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
        /// Whether each ratio lies inside the two records' sample spread (`false` where there is
        /// no ratio, and for the first file).
        public var noise: [Bool]
    }

    /// The labels of the files, in order.
    public var labels: [String]
    /// One line per file: CPU, cores and the run's conditions.
    public var machines: [String]
    /// One row per record key, in the first file's order, then keys only later files have.
    public var rows: [Row]

    /// Compares results.
    ///
    /// - Parameter results: At least one result; the first is the baseline.
    public init(results: [BenchResult]) {
        labels = results.map(\.label)
        machines = results.map(Self.describe)
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
            let noise: [Bool] = lookup.indices.map { index in
                guard index > 0, ratios[index] != nil, let base = lookup[0][key]?.samples, let other = lookup[index][key]?.samples else {
                    return false
                }
                return Self.overlaps(base, other)
            }
            return Row(key: key, metric: metric, values: values, ratios: ratios, noise: noise)
        }
    }

    /// Whether the time ratio of two records could be 1 given their samples: the range of
    /// ratios their samples allow, [fastest₀ / slowest₁, slowest₀ / fastest₁], contains 1.
    ///
    /// - Parameters:
    ///   - base: The first file's samples.
    ///   - other: The other file's.
    /// - Returns: Whether the difference is inside the spread.
    public static func overlaps(_ base: SampleStatistics, _ other: SampleStatistics) -> Bool {
        guard other.maximum > 0, other.minimum > 0 else { return false }
        return base.minimum / other.maximum <= 1 && 1 <= base.maximum / other.minimum
    }

    /// `label: CPU, N cores (M usable, CPUs 0-3), build, version and commit, load average
    /// before → after` and the run's warnings.
    static func describe(_ result: BenchResult) -> String {
        let machine = result.machine
        var text = "\(result.label): \(machine.cpuModel), \(machine.logicalCores) cores"
        if let environment = result.environment {
            text += " (\(environment.usableCores) usable, CPUs \(environment.cpuAffinity)"
                + (environment.cgroupCPULimit.map { String(format: ", cgroup limit %.2f", $0) } ?? "") + ")"
        }
        text += ", \(machine.simdFeatures.contains("avx512f") ? "AVX-512" : machine.simdFeatures.contains("avx2") ? "AVX2" : "no AVX2")"
        text += ", \(machine.buildConfiguration) build"
        if let environment = result.environment {
            text += ", simbench \(environment.toolVersion)"
            if let commit = environment.gitCommit { text += " \(commit.prefix(12))\(environment.gitDirty == true ? "+" : "")" }
            if let before = environment.loadAverageBefore.first, let after = environment.loadAverageAfter.first {
                text += String(format: ", load %.2f → %.2f", before, after)
            }
            for warning in environment.warnings { text += "\n      warning: \(warning)" }
        } else {
            text += " (schema version \(result.schemaVersion): no run conditions recorded)"
        }
        return text
    }

    /// The comparison as a text table: a line per file (CPU, cores, conditions), then per
    /// record key the metric, each file's value and its ratio to the first, `~` marking ratios
    /// inside the samples' spread.
    ///
    /// - Returns: Lines separated by newlines.
    public func table() -> String {
        var lines: [String] = []
        for (index, machine) in machines.enumerated() { lines.append("[\(index)] \(machine)") }
        let keyWidth = Swift.max(44, (rows.map(\.key.count).max() ?? 0) + 1)
        var header = TextTable.pad("workload | variant | implementation | threads", keyWidth) + TextTable.pad("metric", 13)
        for index in labels.indices { header += TextTable.pad("[\(index)]", 10) + (index == 0 ? "" : TextTable.pad("ratio", 9)) }
        lines.append(header)
        for row in rows {
            var line = TextTable.pad(row.key, keyWidth) + TextTable.pad(MetricNames.name(of: row.metric), 13)
            for index in row.values.indices {
                line += TextTable.pad(row.values[index].map(TextTable.number) ?? "-", 10)
                if index > 0 {
                    line += TextTable.pad(row.ratios[index].map { String(format: "%.2fx", $0) + (row.noise[index] ? "~" : "") } ?? "-", 9)
                }
            }
            lines.append(line)
        }
        if rows.contains(where: { $0.noise.contains(true) }) {
            lines.append("~ the samples overlap: the difference is within the measurements' spread (noise)")
        }
        return lines.joined(separator: "\n")
    }
}
