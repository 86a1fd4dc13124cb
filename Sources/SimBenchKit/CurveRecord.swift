/// A measured curve and its theoretical counterpart, such as an LSH S-curve (probability of
/// becoming a candidate against true similarity).
public struct CurveRecord: Sendable, Hashable, Codable {
    /// What the curve shows, such as `LSH S-curve b=16 r=8`.
    public var name: String
    /// The workload that measured it.
    public var workload: String
    /// The variant label.
    public var variant: String
    /// The x-axis label.
    public var xLabel: String
    /// The y-axis label.
    public var yLabel: String
    /// Measured points.
    public var measured: [CurvePoint]
    /// Theoretical points (empty when there is no theory).
    public var theory: [CurvePoint]

    /// Creates a curve.
    ///
    /// - Parameters:
    ///   - name: Title.
    ///   - workload: Workload name.
    ///   - variant: Variant label.
    ///   - xLabel: X-axis label.
    ///   - yLabel: Y-axis label.
    ///   - measured: Measured points.
    ///   - theory: Theoretical points.
    public init(name: String, workload: String, variant: String, xLabel: String, yLabel: String,
                measured: [CurvePoint], theory: [CurvePoint] = []) {
        self.name = name
        self.workload = workload
        self.variant = variant
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.measured = measured
        self.theory = theory
    }
}

/// One point of a ``CurveRecord``.
public struct CurvePoint: Sendable, Hashable, Codable {
    /// The x value.
    public var x: Double
    /// The y value.
    public var y: Double
    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
