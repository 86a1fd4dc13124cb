import Dispatch
import SimCore
import SimCoreFixtures
import SimCoreInternals

/// Measures ``Shingler`` (normalize, tokenize, hash, sort into a ``ShingleSet``) for each shingle
/// unit at every thread count, per-document latency p50/p99 on one thread, and the naive
/// `Set<String>` word shingles on one thread.
///
/// ```swift
/// let output = ShingleWorkload(units: [.words(5), .characters(5)]).run(in: context)
/// ```
public struct ShingleWorkload: BenchmarkWorkload {
    /// `shingle`.
    public let name = "shingle"
    /// The shingle units measured, each a variant.
    public var units: [ShinglingOptions.Unit]
    /// The hash seed.
    public var seed: UInt64

    /// Creates the workload.
    ///
    /// - Parameters:
    ///   - units: Shingle units (default: word 5-grams).
    ///   - seed: Hash seed (default 0).
    public init(units: [ShinglingOptions.Unit] = [.words(5)], seed: UInt64 = 0) {
        self.units = units
        self.seed = seed
    }

    /// Measures every unit and thread count, and the reference for word units.
    ///
    /// - Parameter context: Corpus and settings.
    /// - Returns: The records.
    public func run(in context: BenchmarkContext) -> BenchmarkOutput {
        var records: [WorkloadRecord] = []
        for unit in units { records += run(unit: unit, in: context) }
        return BenchmarkOutput(records: records)
    }

    /// Per unit one measurement per thread count, and the reference for word units.
    public func measurementCount(in context: BenchmarkContext) -> Int {
        units.reduce(0) { total, unit in
            if case .words = unit { return total + context.threadCounts.count + 1 }
            return total + context.threadCounts.count
        }
    }

    private func run(unit: ShinglingOptions.Unit, in context: BenchmarkContext) -> [WorkloadRecord] {
        let documents = context.documents
        let options = ShinglingOptions(unit: unit, seed: seed)
        let variant = unit.description
        let parameters: [String: ParameterValue] = ["unit": .string(variant), "width": .int(unit.width), "seed": .string(String(seed))]
        let probe = Shingler(options: options)
        var shingleCount = 0
        var latencies: [Double] = []
        latencies.reserveCapacity(documents.count)
        for document in documents {
            let start = DispatchTime.now().uptimeNanoseconds
            shingleCount += document.utf8.withUnsafeBytes { probe.withShingleHashes(ofUTF8: $0) { $0.count } }
            blackHole(probe.shingles(ofUTF8: document.utf8))
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        latencies.sort()
        let units = WorkUnits(documents: documents.count, bytes: context.totalBytes, shingles: shingleCount)
        var records = context.threadCounts.map { threads in
            context.measure(workload: name, variant: variant, parameters: parameters, threads: threads, units: units) {
                blackHole(concurrentChunks(count: documents.count, threads: threads) { range in
                    let shingler = Shingler(options: options)
                    var total = 0
                    for index in range { total &+= shingler.shingles(ofUTF8: documents[index].utf8).count }
                    return total
                })
            }
        }
        if !latencies.isEmpty, let first = records.indices.first(where: { records[$0].threads == 1 }) {
            records[first].metrics["latencyP50Seconds"] = SampleStatistics.quantile(latencies, 0.5)
            records[first].metrics["latencyP99Seconds"] = SampleStatistics.quantile(latencies, 0.99)
        }
        if case let .words(width) = unit {
            let reference = context.measure(
                workload: name, variant: variant, implementation: WorkloadRecord.naiveReference,
                parameters: parameters, units: units
            ) {
                var total = 0
                for document in documents { total &+= NaiveReference.wordShingles(document.text, width: width).count }
                blackHole(total)
            }
            records.addSpeedups(over: reference)
            records.append(reference)
        }
        return records
    }
}
