import SimCore
import SimCoreFixtures
import SimCoreInternals

/// Measures ``ExactAllPairs`` (prefix-filtered exact Jaccard) over the corpus's shingle sets at
/// every thread count, its precision/recall/F1 against planted pairs when known, and the naive
/// reference (every pair of `Set<String>` shingle sets intersected) on a subset, with SimCore
/// timed on the same subset for the ratio. Every thread count's record carries
/// `identicalToFirstRun`: 1 when the pairs of its last sample, similarities included, equal those
/// of a first run on all cores, 0 otherwise.
///
/// ```swift
/// let output = AllPairsWorkload(threshold: 0.5).run(in: context)
/// output.records[0].metrics["f1"]   // 1.0 on a generated corpus
/// ```
public struct AllPairsWorkload: BenchmarkWorkload {
    /// `all-pairs`.
    public let name = "all-pairs"
    /// The shingle unit the sets are made of (word units only have a naive reference).
    public var unit: ShinglingOptions.Unit
    /// The Jaccard threshold: pairs at or above it are reported.
    public var threshold: Double

    /// Creates the workload.
    ///
    /// - Parameters:
    ///   - unit: Shingle unit (default: word 5-grams).
    ///   - threshold: Jaccard threshold in (0, 1] (default 0.5).
    public init(unit: ShinglingOptions.Unit = .words(5), threshold: Double = 0.5) {
        precondition(threshold > 0 && threshold <= 1, "threshold must be in (0, 1]")
        self.unit = unit
        self.threshold = threshold
    }

    /// The pair count of `n` documents, n(n-1)/2.
    static func pairCount(_ n: Int) -> Int { n * (n - 1) / 2 }

    /// The corpus's pairs at ``threshold``: its documents shingled with ``unit`` (default
    /// normalization, seed 0), then ``ExactAllPairs`` at Jaccard.
    ///
    /// - Parameters:
    ///   - documents: The corpus.
    ///   - threads: Worker threads.
    /// - Returns: The pairs, by document position, sorted by `first`, then `second`.
    /// - Complexity: That of shingling and of ``ExactAllPairs/pairs(in:measure:threshold:threads:)``.
    ///
    /// ```swift
    /// let pairs = AllPairsWorkload(threshold: 0.8).pairs(in: corpus.documents, threads: 2)
    /// pairs.first   // SimilarPair(first: 0, second: 1, similarity: 0.91…) on a generated corpus
    /// ```
    public func pairs(in documents: [Document], threads: Int) -> [SimilarPair] {
        let shingler = Shingler(options: ShinglingOptions(unit: unit))
        return ExactAllPairs.pairs(in: documents.map { shingler.shingles(ofUTF8: $0.utf8) }, measure: .jaccard, threshold: threshold, threads: threads)
    }

    /// One measurement per thread count, and for word units the subset and the reference.
    public func measurementCount(in context: BenchmarkContext) -> Int {
        if case .words = unit { return context.threadCounts.count + 2 }
        return context.threadCounts.count
    }

    /// Measures every thread count, accuracy, and the reference subset.
    ///
    /// - Parameter context: Corpus and settings.
    /// - Returns: The records.
    public func run(in context: BenchmarkContext) -> BenchmarkOutput {
        let documents = context.documents
        let shingler = Shingler(options: ShinglingOptions(unit: unit))
        let sets = documents.map { shingler.shingles(ofUTF8: $0.utf8) }
        let shingles = sets.reduce(0) { $0 + $1.count }
        let variant = "jaccard>=\(threshold) \(unit)"
        let parameters: [String: ParameterValue] = [
            "measure": "jaccard", "threshold": .double(threshold), "unit": .string(unit.description),
        ]
        let units = WorkUnits(documents: sets.count, shingles: shingles, pairs: Self.pairCount(sets.count))
        let first = ExactAllPairs.pairs(in: sets, measure: .jaccard, threshold: threshold)
        let found = Set(first.map { DocumentPair($0.first, $0.second) })
        var accuracy: [String: Double] = ["pairsFound": Double(found.count)]
        if let truth = context.truth { accuracy.merge(PairAccuracy(found: found, truth: truth).metrics) { $1 } }
        var records = context.threadCounts.map { threads in
            var last: [SimilarPair] = []
            var record = context.measure(workload: name, variant: variant, parameters: parameters, threads: threads, units: units) {
                last = ExactAllPairs.pairs(in: sets, measure: .jaccard, threshold: threshold, threads: threads)
                blackHole(last)
            }
            record.metrics.merge(accuracy) { $1 }
            record.metrics["identicalToFirstRun"] = last == first ? 1 : 0
            return record
        }
        guard case let .words(width) = unit else { return BenchmarkOutput(records: records) }

        let subset = Array(sets.prefix(context.referenceDocuments))
        let naiveSets = documents.prefix(subset.count).map { NaiveReference.wordShingles($0.text, width: width) }
        let subsetVariant = "\(variant) first \(subset.count)"
        var subsetParameters = parameters
        subsetParameters["documents"] = .int(subset.count)
        let subsetUnits = WorkUnits(documents: subset.count, pairs: Self.pairCount(subset.count))
        var subsetRecord = context.measure(workload: name, variant: subsetVariant, parameters: subsetParameters, units: subsetUnits) {
            blackHole(ExactAllPairs.pairs(in: subset, measure: .jaccard, threshold: threshold, threads: 1))
        }
        let reference = context.measure(
            workload: name, variant: subsetVariant, implementation: WorkloadRecord.naiveReference,
            parameters: subsetParameters, units: subsetUnits
        ) {
            blackHole(NaiveReference.allPairs(naiveSets, threshold: threshold))
        }
        let simcorePairs = Set(ExactAllPairs.pairs(in: subset, measure: .jaccard, threshold: threshold, threads: 1).map { DocumentPair($0.first, $0.second) })
        let naivePairs = NaiveReference.allPairs(naiveSets, threshold: threshold)
        subsetRecord.metrics["referenceAgreementF1"] = PairAccuracy(found: simcorePairs, truth: naivePairs).f1
        records.append(subsetRecord)
        records.addSpeedups(over: reference)
        records.append(reference)
        return BenchmarkOutput(records: records)
    }
}
