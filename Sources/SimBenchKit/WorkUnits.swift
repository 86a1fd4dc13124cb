/// The work one run of a workload does, from which throughputs are derived.
public struct WorkUnits: Sendable, Hashable, Codable {
    /// Documents processed.
    public var documents: Int
    /// UTF-8 bytes processed.
    public var bytes: Int
    /// Shingles produced or consumed (0 when not meaningful).
    public var shingles: Int
    /// Document pairs considered (0 when not meaningful).
    public var pairs: Int

    /// Creates work units.
    ///
    /// - Parameters:
    ///   - documents: Documents per run.
    ///   - bytes: Bytes per run.
    ///   - shingles: Shingles per run.
    ///   - pairs: Pairs per run.
    public init(documents: Int = 0, bytes: Int = 0, shingles: Int = 0, pairs: Int = 0) {
        self.documents = documents
        self.bytes = bytes
        self.shingles = shingles
        self.pairs = pairs
    }

    /// Throughput metrics for a run of `seconds`: docs/s, MB/s (10^6 bytes), shingles/s, pairs/s
    /// for each non-zero unit.
    ///
    /// - Parameter seconds: Seconds per run, positive.
    /// - Returns: Metrics by name.
    public func throughput(secondsPerRun seconds: Double) -> [String: Double] {
        guard seconds > 0 else { return [:] }
        var metrics: [String: Double] = [:]
        if documents > 0 { metrics["docsPerSecond"] = Double(documents) / seconds }
        if bytes > 0 { metrics["megabytesPerSecond"] = Double(bytes) / 1e6 / seconds }
        if shingles > 0 { metrics["shinglesPerSecond"] = Double(shingles) / seconds }
        if pairs > 0 { metrics["pairsPerSecond"] = Double(pairs) / seconds }
        return metrics
    }
}
