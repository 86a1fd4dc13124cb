/// Readable names for the metrics of a result, the same in `compare`, `report` and the tables:
/// `megabytesPerSecond` is "MB/s", `latencyP99Seconds` "p99 latency".
///
/// ```swift
/// MetricNames.name(of: "docsPerSecond")        // "documents/s"
/// MetricNames.text(1.5e-5, of: "latencyP50Seconds")   // "15 µs"
/// ```
public enum MetricNames {
    /// The readable name of `metric` (the metric's own name when it has none).
    ///
    /// - Parameter metric: A key of ``WorkloadRecord/metrics``, or `runsPerSecond`.
    /// - Returns: A short phrase.
    public static func name(of metric: String) -> String {
        switch metric {
        case "megabytesPerSecond": "MB/s"
        case "docsPerSecond": "documents/s"
        case "pairsPerSecond": "pairs/s"
        case "shinglesPerSecond": "shingles/s"
        case "runsPerSecond": "runs/s"
        case "latencyP50Seconds": "p50 latency"
        case "latencyP99Seconds": "p99 latency"
        case "precision": "precision"
        case "recall": "recall"
        case "f1": "F1"
        case "meanAbsoluteError": "mean absolute error"
        case "speedupOverReference": "speed-up over the naive reference"
        case "pairsFound": "pairs found"
        case "referenceAgreementF1": "F1 agreement with the reference"
        case "identicalToFirstRun": "same pairs as the first run"
        case "timeOverShingling": "time over shingling alone"
        case "nanosecondsPerShingle": "ns per shingle"
        case "nanosecondsPerCall": "ns per call"
        case "fractionOfXXH3": "share of XXH3's speed"
        case "keptDocuments": "documents kept"
        case "engineBytesPerDocument": "engine bytes per document"
        case "indexBytesPerDocument": "index bytes per document"
        case "fileBytesPerDocument": "file bytes per document"
        case "candidatesPerQuery": "candidates per query"
        case "maxDeviationFromTheory": "largest deviation from theory"
        case "duplicates": "duplicates"
        case "wordsPerDocument": "words per document"
        case "microsecondsPerDocument": "µs per document"
        case "nanosecondsPerWord": "ns per word"
        case "perDocumentMicroseconds": "µs per document whatever its length"
        default: metric
        }
    }

    /// `value` formatted for `metric`: seconds as durations, ratios with `x`, fractions to three
    /// decimals, counts and rates with k/M/G.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - metric: Its name.
    /// - Returns: The text.
    public static func text(_ value: Double, of metric: String) -> String {
        switch metric {
        case "latencyP50Seconds", "latencyP99Seconds": TextTable.duration(value)
        case "speedupOverReference", "timeOverShingling": String(format: "%.2fx", value)
        case "precision", "recall", "f1", "referenceAgreementF1", "maxDeviationFromTheory": String(format: "%.3f", value)
        case "meanAbsoluteError": String(format: "%.4f", value)
        case "fractionOfXXH3": String(format: "%.1f%%", value * 100)
        case "nanosecondsPerShingle", "nanosecondsPerCall", "microsecondsPerDocument", "nanosecondsPerWord", "perDocumentMicroseconds":
            String(format: "%.2f", value)
        default: TextTable.number(value)
        }
    }
}
