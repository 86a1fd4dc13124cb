import Dispatch
import Foundation
import SimCore
import SimCoreFixtures
import SimCoreInternals

/// The dedupe engine end to end (raw text to clusters) at every thread count, next to its floor
/// (shingling and signing alone) and, for Jaccard, the LSH index alone: build, query and insert
/// latency, save and load.
///
/// Records:
/// - `dedupe` `shingle+sign only` and `MEASURE>=T …` per thread count: the end-to-end record
///   carries `precision`, `recall` and `f1` of the verified pairs against exact all-pairs at the
///   same measure and threshold (``truth``), `keptDocuments` and `engineBytesPerDocument`; with
///   fewer than 64 ``verificationBits``, also `precisionAgainstWholeSignatures` and
///   `recallAgainstWholeSignatures`: the pairs found against those an engine keeping whole
///   signatures finds;
/// - `dedupe` `exact all-pairs` (the ground truth's own time) when it was computed;
/// - `dedupe-streaming`: one `insert` call per document (the first 20,000) from 1, 2, … calling
///   threads sharing one engine;
/// - `lsh-index` (Jaccard only): `build` per thread count, `query` and `insert one by one` with
///   p50/p99 latencies, `save` and `load` of the index file (`fileBytesPerDocument`).
///
/// ```swift
/// let output = DedupeWorkload(measure: .jaccard, threshold: 0.8).run(in: context)
/// ```
public struct DedupeWorkload: BenchmarkWorkload {
    /// `dedupe`.
    public let name = "dedupe"
    /// The measure.
    public var measure: DeduplicationOptions.Measure
    /// The threshold.
    public var threshold: Double
    /// The verification.
    public var verification: DeduplicationOptions.Verification
    /// Bits of each signature value kept for verification: 64, 16, 8 or 4.
    public var verificationBits: Int
    /// k (one-permutation MinHash, seed 0).
    public var signatureLength: Int
    /// Jaccard banding set by hand, or `nil` for the optimum.
    public var banding: BandingParameters?
    /// Whether to compute exact all-pairs for precision and recall.
    public var computesTruth: Bool
    /// Queries timed one by one.
    public var queries: Int
    /// Whether to measure the floor (shingling and signing alone) and streaming inserts.
    public var includesBaselines: Bool

    /// Creates the workload.
    ///
    /// - Parameters:
    ///   - measure: The measure (default Jaccard).
    ///   - threshold: The threshold (default 0.8).
    ///   - verification: The verification (default estimated).
    ///   - verificationBits: Bits per signature value kept for verification: 64 (default), 16, 8 or 4.
    ///   - signatureLength: k (default 128).
    ///   - banding: Jaccard banding by hand (default: optimal).
    ///   - computesTruth: Compute exact all-pairs for precision and recall (default `true`).
    ///   - queries: Index queries timed one by one (default 10,000).
    ///   - includesBaselines: Measure shingling and signing alone, and streaming inserts (default `true`).
    public init(
        measure: DeduplicationOptions.Measure = .jaccard, threshold: Double = 0.8,
        verification: DeduplicationOptions.Verification = .estimated, verificationBits: Int = 64, signatureLength: Int = 128,
        banding: BandingParameters? = nil,
        computesTruth: Bool = true, queries: Int = 10_000, includesBaselines: Bool = true
    ) {
        self.includesBaselines = includesBaselines
        self.measure = measure
        self.threshold = threshold
        self.verification = verification
        self.verificationBits = verificationBits
        self.signatureLength = signatureLength
        self.banding = banding
        self.computesTruth = computesTruth
        self.queries = queries
    }

    /// The engine options measured (threads set per run).
    public var options: DeduplicationOptions {
        var options = DeduplicationOptions()
        options.measure = measure
        options.threshold = threshold
        options.verification = verification
        options.verificationBits = verificationBits
        if measure == .jaccard { options.banding = banding }
        return options
    }

    /// The variant label, e.g. `jaccard>=0.8 estimated oph k=128` (with `8-bit` after the
    /// verification when fewer than 64 bits are kept).
    public var variant: String {
        let bits = verificationBits < 64 ? " \(verificationBits)-bit" : ""
        return "\(measure)>=\(threshold) \(verification)\(bits) oph k=\(signatureLength)"
    }

    /// Whether the LSH index is measured alone (Jaccard below threshold 1).
    var measuresIndex: Bool { measure == .jaccard && threshold < 1 }

    /// Thread counts × (floor, end to end, streaming), the truth, and for Jaccard the index's
    /// build per thread count and query, insert, save and load.
    public func measurementCount(in context: BenchmarkContext) -> Int {
        context.threadCounts.count * (includesBaselines ? 3 : 1) + (computesTruth ? 1 : 0)
            + (measuresIndex ? context.threadCounts.count + 4 : 0)
    }

    /// Measures the engine.
    public func run(in context: BenchmarkContext) -> BenchmarkOutput {
        let documents = context.documents
        let scheme = OnePermutationMinHash(signatureLength: signatureLength, seed: 0)
        var options = options
        let units = WorkUnits(documents: documents.count, bytes: context.totalBytes)
        let one = Sampler(samples: 1, minimumSampleSeconds: 0, warmsUp: false)
        let parameters: [String: ParameterValue] = [
            "measure": .string(measure.rawValue), "threshold": .double(threshold), "verification": .string(verification.rawValue),
            "verificationBits": .int(verificationBits), "scheme": "oph", "k": .int(signatureLength),
        ]
        var records: [WorkloadRecord] = []

        var truth: Set<DocumentPair>?
        if computesTruth {
            var pairs: [SimilarPair] = []
            records.append(context.measure(
                workload: name, variant: "exact all-pairs \(measure)>=\(threshold)", parameters: parameters,
                threads: context.threadCounts.last ?? 1, units: units, sampler: one
            ) {
                let shingler = Shingler(options: options.shingling)
                let sets = documents.map { shingler.shingles(ofUTF8: $0.utf8) }
                pairs = ExactAllPairs.pairs(in: sets, measure: options.measure.similarityMeasure, threshold: threshold)
            })
            truth = Set(pairs.map { DocumentPair($0.first, $0.second) })
        }

        // With truncated signatures, the pairs an engine keeping whole ones finds are a second
        // reference: what the truncation costs.
        var wholeSignaturePairs: Set<DocumentPair>?
        if verificationBits < 64 {
            var whole = options
            whole.verificationBits = 64
            whole.threads = context.threadCounts.last ?? 1
            let engine = Deduplicator(scheme: scheme, options: whole)
            engine.insert(contentsOf: documents, threads: whole.threads)
            wholeSignaturePairs = Set(engine.verifiedPairs().map { DocumentPair($0.first, $0.second) })
        }

        for threads in context.threadCounts where includesBaselines {
            records.append(context.measure(
                workload: name, variant: "shingle+sign only", parameters: parameters, threads: threads, units: units
            ) {
                blackHole(SignatureMatrix(signing: documents, options: options.shingling, scheme: scheme, threads: threads))
            })
        }
        for threads in context.threadCounts {
            options.threads = threads
            var deduplicator: Deduplicator<OnePermutationMinHash>?
            var kept = 0
            var record = context.measure(
                workload: name, variant: variant, parameters: parameters, threads: threads, units: units, sampler: one
            ) {
                let engine = Deduplicator(scheme: scheme, options: options)
                engine.insert(contentsOf: documents, threads: threads)
                kept = engine.keptDocuments().count
                deduplicator = engine
            }
            if let deduplicator {
                record.metrics["keptDocuments"] = Double(kept)
                record.metrics["engineBytesPerDocument"] = Double(deduplicator.byteCount) / Double(Swift.max(1, documents.count))
                let found = Set(deduplicator.verifiedPairs().map { DocumentPair($0.first, $0.second) })
                record.metrics["pairsFound"] = Double(found.count)
                if let truth { record.metrics.merge(PairAccuracy(found: found, truth: truth).metrics) { $1 } }
                if let wholeSignaturePairs {
                    let accuracy = PairAccuracy(found: found, truth: wholeSignaturePairs)
                    record.metrics["precisionAgainstWholeSignatures"] = accuracy.precision
                    record.metrics["recallAgainstWholeSignatures"] = accuracy.recall
                }
            }
            records.append(record)
        }

        let streamed = Array(documents.prefix(20_000))
        options.threads = 1
        for threads in context.threadCounts where includesBaselines {
            var duplicates = 0
            var record = context.measure(
                workload: "dedupe-streaming", variant: "one insert per document, \(variant)", parameters: parameters, threads: threads,
                units: WorkUnits(documents: streamed.count, bytes: streamed.reduce(0) { $0 + $1.utf8.count }), sampler: one
            ) {
                let engine = Deduplicator(scheme: scheme, options: options)
                DispatchQueue.concurrentPerform(iterations: threads) { worker in
                    for index in stride(from: worker, to: streamed.count, by: threads) { engine.insert(streamed[index]) }
                }
                duplicates = engine.count - engine.keptDocuments().count
            }
            record.metrics["duplicates"] = Double(duplicates)
            records.append(record)
        }
        if measuresIndex { records += indexRecords(documents: documents, scheme: scheme, options: options, context: context, one: one) }
        return BenchmarkOutput(records: records)
    }

    private func indexRecords(
        documents: [Document], scheme: OnePermutationMinHash, options: DeduplicationOptions, context: BenchmarkContext, one: Sampler
    ) -> [WorkloadRecord] {
        let signatures = SignatureMatrix(signing: documents, options: options.shingling, scheme: scheme)
        let banding = options.banding ?? .optimal(
            threshold: threshold, signatureLength: signatureLength, falsePositiveWeight: options.falsePositiveWeight,
            falseNegativeWeight: options.falseNegativeWeight)
        let parameters: [String: ParameterValue] = [
            "k": .int(signatureLength), "bands": .int(banding.bandCount), "rows": .int(banding.rowsPerBand),
        ]
        let units = WorkUnits(documents: documents.count)
        var records: [WorkloadRecord] = []
        var built = MinHashLSH(signatureLength: signatureLength, banding: banding)
        for threads in context.threadCounts {
            var record = context.measure(
                workload: "lsh-index", variant: "build \(banding)", parameters: parameters, threads: threads, units: units, sampler: one
            ) {
                var index = MinHashLSH(signatureLength: signatureLength, banding: banding)
                index.insert(contentsOf: signatures, threads: threads)
                built = index
            }
            record.metrics["indexBytesPerDocument"] = Double(built.byteCount) / Double(Swift.max(1, documents.count))
            records.append(record)
        }
        var latencies: [Double] = []
        var candidates = 0
        let step = Swift.max(1, documents.count / Swift.max(1, queries))
        let queried = stride(from: 0, to: documents.count, by: step).map { $0 }
        var query = context.measure(
            workload: "lsh-index", variant: "query \(banding)", parameters: parameters, units: WorkUnits(documents: queried.count),
            sampler: one
        ) {
            latencies = []
            candidates = 0
            for row in queried {
                let signature = Array(signatures[row])
                latencies.append(Sampler.time { candidates &+= built.candidates(for: signature).count })
            }
        }
        latencies.sort()
        query.metrics["latencyP50Seconds"] = SampleStatistics.quantile(latencies, 0.5)
        query.metrics["latencyP99Seconds"] = SampleStatistics.quantile(latencies, 0.99)
        query.metrics["candidatesPerQuery"] = Double(candidates) / Double(Swift.max(1, latencies.count))
        records.append(query)
        var insertLatencies: [Double] = []
        var insert = context.measure(
            workload: "lsh-index", variant: "insert one by one \(banding)", parameters: parameters, units: units, sampler: one
        ) {
            insertLatencies = []
            var index = MinHashLSH(signatureLength: signatureLength, banding: banding)
            for row in 0..<signatures.count {
                let signature = Array(signatures[row])
                insertLatencies.append(Sampler.time { index.insert(signature) })
            }
        }
        insertLatencies.sort()
        insert.metrics["latencyP50Seconds"] = SampleStatistics.quantile(insertLatencies, 0.5)
        insert.metrics["latencyP99Seconds"] = SampleStatistics.quantile(insertLatencies, 0.99)
        records.append(insert)
        let path = NSTemporaryDirectory() + "simbench-dedupe-\(TemporaryNames.next()).lsh"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var saved = true
        var save = context.measure(workload: "lsh-index", variant: "save \(banding)", parameters: parameters, units: units, sampler: one) {
            do { try built.save(to: path) } catch { saved = false }
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        save.metrics["fileBytesPerDocument"] = Double(size) / Double(Swift.max(1, documents.count))
        records.append(save)
        records.append(context.measure(workload: "lsh-index", variant: "load \(banding)", parameters: parameters, units: units, sampler: one) {
            if saved { blackHole(try? MinHashLSH(contentsOf: path, expectedBanding: banding)) }
        })
        return records
    }
}
