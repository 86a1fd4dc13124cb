/// Timing samples (seconds per run) and their median and spread.
///
/// ```swift
/// let stats = SampleStatistics(secondsPerRun: [0.3, 0.1, 0.2, 0.4])
/// stats.median    // 0.25
/// stats.minimum   // 0.1
/// stats.q1        // 0.175 (linear interpolation between order statistics)
/// ```
public struct SampleStatistics: Sendable, Hashable, Codable {
    /// Every sample in the order taken, seconds per run.
    public var secondsPerRun: [Double]
    /// The median sample.
    public var median: Double
    /// The fastest sample.
    public var minimum: Double
    /// The slowest sample.
    public var maximum: Double
    /// The first quartile.
    public var q1: Double
    /// The third quartile.
    public var q3: Double

    /// Summarizes samples.
    ///
    /// - Parameter secondsPerRun: At least one sample.
    /// - Complexity: O(n log n).
    public init(secondsPerRun: [Double]) {
        precondition(!secondsPerRun.isEmpty, "at least one sample")
        self.secondsPerRun = secondsPerRun
        let sorted = secondsPerRun.sorted()
        median = Self.quantile(sorted, 0.5)
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
        q1 = Self.quantile(sorted, 0.25)
        q3 = Self.quantile(sorted, 0.75)
    }

    /// The `q` quantile of sorted values, interpolating linearly between order statistics
    /// (the "type 7" rule of R and NumPy).
    ///
    /// - Parameters:
    ///   - sorted: Values in ascending order, at least one.
    ///   - q: The quantile in [0, 1].
    /// - Returns: The interpolated value.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty && (0...1).contains(q), "quantile of empty values or q outside [0, 1]")
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// The relative spread, (maximum - minimum) / median.
    public var relativeSpread: Double { median > 0 ? (maximum - minimum) / median : 0 }
}
