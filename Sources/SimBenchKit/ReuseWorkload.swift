import SimCore
import SimCoreFixtures
import SimCoreInternals

/// Measures corpus-wide text reuse (``ReuseIndex``: index, candidate pairs, alignment) at every
/// thread count, with word-level passage precision and recall against planted passages when the
/// corpus has them (``PassageAccuracy``), and the alignment of one pair of stories alone: from raw
/// text, and from texts already tokenized (the kernel a corpus run repeats per candidate pair).
///
/// ```swift
/// let output = ReuseWorkload().run(in: context)
/// output.records[0].metrics["recall"]   // ≥ 0.95 on a generated corpus
/// ```
public struct ReuseWorkload: BenchmarkWorkload {
    /// `reuse`.
    public let name = "reuse"
    /// Alignment and the document-frequency cap.
    public var options: ReuseOptions
    /// Whether boilerplate lines are found and blanked first (as `simdedup reuse` does by default).
    public var boilerplate: Bool

    /// Creates the workload.
    ///
    /// - Parameters:
    ///   - options: Reuse options (default: the library's).
    ///   - boilerplate: Blank boilerplate lines first (default `true`).
    public init(options: ReuseOptions = ReuseOptions(), boilerplate: Bool = true) {
        self.options = options
        self.boilerplate = boilerplate
    }

    /// The variant label: n-gram width, shortest passage, widest gap, cap, boilerplate.
    public var variant: String {
        let alignment = options.alignment
        return "words:\(alignment.ngramWidth) min \(alignment.minimumPassageWords) gap \(alignment.maximumGap) "
            + "df \(options.maximumDocumentFrequency)\(boilerplate ? "" : " no-boilerplate")"
    }

    /// The variant's parameters.
    public var parameters: [String: ParameterValue] {
        [
            "ngramWidth": .int(options.alignment.ngramWidth), "minimumPassageWords": .int(options.alignment.minimumPassageWords),
            "maximumGap": .int(options.alignment.maximumGap), "maximumDocumentFrequency": .int(options.maximumDocumentFrequency),
            "boilerplate": .bool(boilerplate),
        ]
    }

    /// One measurement per thread count, and one pair from raw and from tokenized text.
    public func measurementCount(in context: BenchmarkContext) -> Int { context.threadCounts.count + 2 }

    /// Measures every thread count, accuracy, and one pair alone.
    ///
    /// - Parameter context: Corpus and settings.
    /// - Returns: The records.
    public func run(in context: BenchmarkContext) -> BenchmarkOutput {
        let documents = context.documents
        let threads = context.threadCounts.last ?? 1
        let clean = boilerplate ? BoilerplateLines.blanking(documents, threads: threads).documents : documents
        let index = ReuseIndex(options: options)
        index.insert(contentsOf: clean, threads: threads)
        let found = index.pairs(threads: threads)
        var accuracy: [String: Double] = [
            "pairsFound": Double(found.count), "passagesFound": Double(found.reduce(0) { $0 + $1.alignment.passages.count }),
            "candidatePairs": Double(index.candidatePairs), "alignedPairs": Double(index.alignedPairs),
        ]
        if let truth = context.passageTruth {
            accuracy.merge(PassageAccuracy(found: found, truth: truth, documents: documents).metrics) { $1 }
        }
        let units = WorkUnits(documents: documents.count, bytes: context.totalBytes, pairs: index.candidatePairs)
        var records = context.threadCounts.map { threadCount in
            var record = context.measure(workload: name, variant: variant, parameters: parameters, threads: threadCount, units: units) {
                let clean = boilerplate ? BoilerplateLines.blanking(documents, threads: threadCount).documents : documents
                blackHole(ReuseIndex.pairs(in: clean, options: options, threads: threadCount))
            }
            record.metrics.merge(accuracy) { $1 }
            return record
        }
        records += pairRecords(context, found: found)
        return BenchmarkOutput(records: records)
    }

    /// One pair of stories aligned alone, from raw text and from tokenized text: a planted pair
    /// whose stories are closest to 7 KB each (else the first two documents).
    private func pairRecords(_ context: BenchmarkContext, found: [ReusedPair]) -> [WorkloadRecord] {
        let documents = context.documents
        guard documents.count >= 2 else { return [] }
        let closest = found.min { lhs, rhs in
            func distance(_ pair: ReusedPair) -> Int {
                abs(documents[pair.first].utf8.count - 7_000) + abs(documents[pair.second].utf8.count - 7_000)
            }
            return distance(lhs) < distance(rhs)
        }
        let a = documents[closest?.first ?? 0].utf8, b = documents[closest?.second ?? 1].utf8
        let aligner = PassageAligner(options: options.alignment)
        let sizes = "\(formatted(Double(a.count) / 1_000, 1)) + \(formatted(Double(b.count) / 1_000, 1)) KB"
        let units = WorkUnits(bytes: a.count + b.count, pairs: 1)
        // One thread: timed on its own CPU clock, which other processes on a shared machine do not inflate.
        var sampler = context.sampler
        sampler.clock = .threadCPU
        var raw = context.measure(
            workload: name, variant: "align one pair, raw text, \(sizes)", parameters: parameters, units: units, sampler: sampler
        ) {
            blackHole(aligner.align(utf8: a, b))
        }
        a.withUnsafeBytes { aligner.prepareA($0) }
        b.withUnsafeBytes { aligner.prepareB($0) }
        var prepared = context.measure(
            workload: name, variant: "align one pair, tokenized, \(sizes)", parameters: parameters, units: WorkUnits(pairs: 1),
            sampler: sampler
        ) {
            blackHole(aligner.alignPrepared())
        }
        raw.metrics["latencyP50Seconds"] = raw.samples.median
        prepared.metrics["latencyP50Seconds"] = prepared.samples.median
        return [raw, prepared]
    }
}
