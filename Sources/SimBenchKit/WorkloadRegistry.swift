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

    /// normalize, shingle (each unit), all-pairs (on the first unit) and reuse (default options).
    ///
    /// - Parameters:
    ///   - shingleUnits: Shingle units, at least one (default: word 5-grams).
    ///   - threshold: All-pairs Jaccard threshold (default 0.5).
    /// - Returns: The registry.
    public static func standard(shingleUnits: [ShinglingOptions.Unit] = [.words(5)], threshold: Double = 0.5) -> WorkloadRegistry {
        precondition(!shingleUnits.isEmpty, "at least one shingle unit")
        return WorkloadRegistry([
            NormalizeWorkload(), ShingleWorkload(units: shingleUnits), AllPairsWorkload(unit: shingleUnits[0], threshold: threshold),
            ReuseWorkload(),
        ])
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
