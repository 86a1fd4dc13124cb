import SimCore

/// The workloads `simbench bench` knows, by name, in the order they run.
///
/// ```swift
/// var registry = WorkloadRegistry.standard()
/// registry.register(MyWorkload())
/// let chosen = try registry.selected(["shingle", "all-pairs"])
/// ```
public struct WorkloadRegistry: Sendable {
    /// The registered workloads, in run order.
    public private(set) var workloads: [any BenchmarkWorkload]

    /// Creates a registry.
    ///
    /// - Parameter workloads: Initial workloads.
    public init(_ workloads: [any BenchmarkWorkload] = []) {
        self.workloads = workloads
    }

    /// normalize, shingle (each unit), all-pairs (on the first unit), the LSH S-curve and reuse
    /// (default options).
    ///
    /// - Parameters:
    ///   - shingleUnits: Shingle units, at least one (default: word 5-grams).
    ///   - threshold: All-pairs Jaccard threshold (default 0.5).
    /// - Returns: The registry.
    public static func standard(shingleUnits: [ShinglingOptions.Unit] = [.words(5)], threshold: Double = 0.5) -> WorkloadRegistry {
        precondition(!shingleUnits.isEmpty, "at least one shingle unit")
        return WorkloadRegistry([
            NormalizeWorkload(), ShingleWorkload(units: shingleUnits), AllPairsWorkload(unit: shingleUnits[0], threshold: threshold),
            LSHCurveWorkload(),
            ReuseWorkload(),
        ])
    }

    /// What `simbench suite` runs on every machine it compares: the standard workloads, signing
    /// with the three bandable schemes, and the dedupe engine end to end by Jaccard and by the
    /// overlap coefficient at 0.8 (the LSH index alone with Jaccard).
    ///
    /// - Returns: The registry.
    public static func suite() -> WorkloadRegistry {
        var registry = standard()
        registry.register(SignWorkload(schemes: [.oph, .minhash, .superminhash]))
        registry.register(DedupeWorkload(measure: .jaccard, threshold: 0.8))
        registry.register(NamedWorkload(name: "dedupe-overlap", DedupeWorkload(measure: .overlap, threshold: 0.8, includesBaselines: false)))
        return registry
    }

    /// Adds a workload at the end (replacing one of the same name).
    ///
    /// - Parameter workload: The workload.
    public mutating func register(_ workload: any BenchmarkWorkload) {
        workloads.removeAll { $0.name == workload.name }
        workloads.append(workload)
    }

    /// The names, in run order.
    public var names: [String] { workloads.map(\.name) }

    /// The workloads with these names, in run order; all of them for an empty list.
    ///
    /// - Parameter names: Names to run.
    /// - Returns: The chosen workloads.
    /// - Throws: ``WorkloadRegistryError`` naming an unknown workload.
    public func selected(_ names: [String]) throws -> [any BenchmarkWorkload] {
        guard !names.isEmpty else { return workloads }
        for name in names where !self.names.contains(name) {
            throw WorkloadRegistryError(name: name, known: self.names)
        }
        return workloads.filter { names.contains($0.name) }
    }
}

/// A workload name that is not registered.
public struct WorkloadRegistryError: Error, Sendable, CustomStringConvertible {
    /// The unknown name.
    public var name: String
    /// The registered names.
    public var known: [String]
    /// A one-line explanation.
    public var description: String { "unknown workload '\(name)' (known: \(known.joined(separator: ", ")))" }
}

/// A workload registered under another name (a second configuration of the same workload).
public struct NamedWorkload: BenchmarkWorkload {
    /// The registry name.
    public let name: String
    /// The workload run.
    public let workload: any BenchmarkWorkload

    /// Wraps `workload` under `name`.
    ///
    /// - Parameters:
    ///   - name: The name in the registry.
    ///   - workload: The workload.
    public init(name: String, _ workload: any BenchmarkWorkload) {
        self.name = name
        self.workload = workload
    }

    /// Runs the wrapped workload (its records keep their own workload names).
    public func run(in context: BenchmarkContext) -> BenchmarkOutput { workload.run(in: context) }

    /// The wrapped workload's count.
    public func measurementCount(in context: BenchmarkContext) -> Int { workload.measurementCount(in: context) }
}
