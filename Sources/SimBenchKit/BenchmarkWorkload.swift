/// A workload `simbench bench` can run: it measures itself over a context and returns records.
///
/// Add a workload by conforming to this protocol and listing it in ``WorkloadRegistry``.
///
/// ```swift
/// struct HashWorkload: BenchmarkWorkload {
///     let name = "hash"
///     func run(in context: BenchmarkContext) -> BenchmarkOutput {
///         BenchmarkOutput(records: [context.measure(workload: name, variant: "xxh3", units: WorkUnits(bytes: context.totalBytes)) { ... }])
///     }
///     func measurementCount(in context: BenchmarkContext) -> Int { 1 }
/// }
/// ```
public protocol BenchmarkWorkload: Sendable {
    /// The workload's name in results and on the command line.
    var name: String { get }
    /// Measures every variant and thread count.
    ///
    /// - Parameter context: The corpus and measurement settings.
    /// - Returns: The records and curves measured.
    func run(in context: BenchmarkContext) -> BenchmarkOutput

    /// How many measurements ``run(in:)`` takes (calls of
    /// ``BenchmarkContext/measure(workload:variant:implementation:parameters:threads:units:sampler:_:)``),
    /// so progress can show a percentage and the time left.
    ///
    /// - Parameter context: The context it will run in.
    /// - Returns: The count.
    func measurementCount(in context: BenchmarkContext) -> Int
}

/// What a workload returns: records, and curves where it measured one.
public struct BenchmarkOutput: Sendable {
    /// Measured records.
    public var records: [WorkloadRecord]
    /// Measured curves.
    public var curves: [CurveRecord]

    /// Creates an output.
    ///
    /// - Parameters:
    ///   - records: Measured records.
    ///   - curves: Measured curves.
    public init(records: [WorkloadRecord] = [], curves: [CurveRecord] = []) {
        self.records = records
        self.curves = curves
    }
}
