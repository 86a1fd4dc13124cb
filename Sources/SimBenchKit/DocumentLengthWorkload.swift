import SimCore
import SimCoreFixtures

/// What a document costs whatever its length: the dedupe engine end to end and its floor
/// (shingling and signing alone) on generated corpora of 50-, 200- and 1,000-word documents that
/// hold the same number of words, with each stage's cost per document whatever its length
/// (`simbench lengths`).
///
/// Signing and filing have costs that do not grow with a document's length: densifying the
/// one-permutation signature (O(k)), computing and filing the band keys, the document's id.
/// Web-scale and paragraph-level dedupe live where those costs dominate. Each corpus here holds
/// ``wordsPerCorpus`` words, cut into documents of exactly one length, so the per-word work is
/// the same in every corpus and the time that grows with the number of documents is theirs: the
/// least-squares slope of time over documents (``perDocumentCost(_:)``).
///
/// The corpora come from ``CorpusGenerator`` (stories with planted reprints, no page furniture,
/// long enough) cut to their first N words, so the engine finds duplicates as it does in news.
///
/// Records (workload `dedupe-lengths`), per length and thread count:
/// - `N words: shingle+sign only` and `N words: MEASURE>=T …` (the engine's variant), each with
///   `wordsPerDocument`, `microsecondsPerDocument` and `nanosecondsPerWord`; the end-to-end one
///   also with `keptDocuments` and `engineBytesPerDocument`;
/// - on every record of a stage and thread count, that series' slope: `perDocumentMicroseconds`
///   (absent with a single length).
///
/// ```swift
/// let output = DocumentLengthWorkload(lengths: [50, 200, 1_000]).run(in: context)
/// ```
public struct DocumentLengthWorkload: BenchmarkWorkload {
    /// `dedupe-lengths`.
    public let name = "dedupe-lengths"
    /// Words per document of each corpus, in run order.
    public var lengths: [Int]
    /// Words in each corpus: the documents of length N number `wordsPerCorpus / N`.
    public var wordsPerCorpus: Int
    /// The seed of the generated stories.
    public var seed: UInt64
    /// The engine measured: its measure, threshold, verification and signature length (its
    /// truth and baselines are not run here).
    public var engine: DedupeWorkload

    /// The stage of the records that time signing alone.
    public static let signingStage = "shingle+sign only"

    /// Creates the workload.
    ///
    /// - Parameters:
    ///   - lengths: Words per document, each at least 1 (default 50, 200 and 1,000).
    ///   - wordsPerCorpus: Words per corpus, at least the longest length (default 5,000,000:
    ///     100,000, 25,000 and 5,000 documents).
    ///   - seed: The seed of the generated stories (default 1).
    ///   - engine: The engine's settings (default Jaccard ≥ 0.8, estimated, k = 128).
    public init(
        lengths: [Int] = [50, 200, 1_000], wordsPerCorpus: Int = 5_000_000, seed: UInt64 = 1,
        engine: DedupeWorkload = DedupeWorkload(computesTruth: false, includesBaselines: false)
    ) {
        precondition(!lengths.isEmpty && lengths.allSatisfy { $0 >= 1 }, "lengths must be at least 1 word")
        precondition(wordsPerCorpus >= lengths.max()!, "a corpus must hold at least one document of the longest length")
        self.lengths = lengths
        self.wordsPerCorpus = wordsPerCorpus
        self.seed = seed
        self.engine = engine
    }

    /// Two stages per length and thread count.
    public func measurementCount(in context: BenchmarkContext) -> Int { 2 * lengths.count * context.threadCounts.count }

    /// Measures both stages on each length's corpus (the context's own documents are not used).
    public func run(in context: BenchmarkContext) -> BenchmarkOutput {
        let scheme = OnePermutationMinHash(signatureLength: engine.signatureLength, seed: 0)
        var options = engine.options
        var records: [WorkloadRecord] = []
        for length in lengths {
            let documents = Self.documents(words: length, count: wordsPerCorpus / length, seed: seed, threads: context.threadCounts.max() ?? 1)
            let words = documents.reduce(0) { $0 + Self.wordCount(of: $1.utf8) }
            let units = WorkUnits(documents: documents.count, bytes: documents.reduce(0) { $0 + $1.utf8.count })
            let parameters: [String: ParameterValue] = [
                "wordsPerDocument": .int(length), "measure": .string(engine.measure.rawValue), "threshold": .double(engine.threshold),
                "verification": .string(engine.verification.rawValue), "verificationBits": .int(engine.verificationBits), "scheme": "oph",
                "k": .int(engine.signatureLength),
            ]
            for threads in context.threadCounts {
                var floor = context.measure(
                    workload: name, variant: "\(length) words: \(Self.signingStage)", parameters: parameters, threads: threads, units: units
                ) {
                    blackHole(SignatureMatrix(signing: documents, options: options.shingling, scheme: scheme, threads: threads))
                }
                Self.addCosts(to: &floor, words: words)
                records.append(floor)
                options.threads = threads
                var kept = 0
                var engineBytes = 0
                var endToEnd = context.measure(
                    workload: name, variant: "\(length) words: \(engine.variant)", parameters: parameters, threads: threads, units: units
                ) {
                    let deduplicator = Deduplicator(scheme: scheme, options: options)
                    deduplicator.insert(contentsOf: documents, threads: threads)
                    kept = deduplicator.keptDocuments().count
                    engineBytes = deduplicator.byteCount
                }
                Self.addCosts(to: &endToEnd, words: words)
                endToEnd.metrics["keptDocuments"] = Double(kept)
                endToEnd.metrics["engineBytesPerDocument"] = Double(engineBytes) / Double(Swift.max(1, documents.count))
                records.append(endToEnd)
            }
        }
        Self.addFits(to: &records)
        return BenchmarkOutput(records: records)
    }

    /// The first `count` documents of a story corpus from `seed`, each cut to its first `words`
    /// words (stories are made long enough; a header or footer would differ between reprints,
    /// so there are none).
    ///
    /// - Returns: `count` documents of exactly `words` words each, ids as the generator's.
    public static func documents(words: Int, count: Int, seed: UInt64, threads: Int = 1) -> [Document] {
        // Stories of about 6.3 bytes a word (measured on the generator's vocabulary): asking for
        // 8 to 10 bytes a word leaves every story longer than `words`.
        let storyBytes = Swift.max(200, words * 8)
        let options = CorpusGeneratorOptions(
            documentCount: count, seed: seed, minimumStoryBytes: storyBytes, maximumStoryBytes: storyBytes + storyBytes / 4,
            headerProbability: 0, footerProbability: 0)
        return GeneratedCorpus(options: options, threads: threads).documents.map {
            Document(id: $0.id, utf8: Array($0.utf8[..<endOfWords(words, in: $0.utf8)]))
        }
    }

    /// The stage a record of this workload times: ``signingStage`` or the engine's variant (its
    /// variant without the leading `N words: `).
    public static func stage(of record: WorkloadRecord) -> Substring {
        record.variant.firstIndex(of: ":").map { record.variant[record.variant.index($0, offsetBy: 2)...] } ?? record.variant[...]
    }

    /// The end of the `count`-th word of `utf8` (words are runs of bytes other than ASCII
    /// white space), or `utf8.count` if it has fewer.
    public static func endOfWords(_ count: Int, in utf8: [UInt8]) -> Int {
        var seen = 0
        var inWord = false
        for (index, byte) in utf8.enumerated() {
            let space = isSpace(byte)
            if inWord && space {
                if seen == count { return index }
            } else if !inWord && !space {
                seen += 1
            }
            inWord = !space
        }
        return utf8.count
    }

    /// The words of `utf8`: runs of bytes other than ASCII white space.
    public static func wordCount(of utf8: [UInt8]) -> Int {
        var count = 0
        var inWord = false
        for byte in utf8 {
            let space = isSpace(byte)
            if !inWord && !space { count += 1 }
            inWord = !space
        }
        return count
    }

    /// Whether `byte` is ASCII white space (space, tab, line feed, vertical tab, form feed,
    /// carriage return), which separates words here.
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// The time a document adds whatever its length: the least-squares slope of `seconds` over
    /// `documents` across corpora that hold the same text (the intercept is the per-word work,
    /// with the run's fixed costs).
    ///
    /// - Returns: Seconds per document; `nil` for fewer than two points or a single document count.
    public static func perDocumentCost(_ points: [(documents: Double, seconds: Double)]) -> Double? {
        guard points.count >= 2 else { return nil }
        let meanDocuments = points.reduce(0) { $0 + $1.documents } / Double(points.count)
        let meanSeconds = points.reduce(0) { $0 + $1.seconds } / Double(points.count)
        var covariance = 0.0
        var variance = 0.0
        for point in points {
            covariance += (point.documents - meanDocuments) * (point.seconds - meanSeconds)
            variance += (point.documents - meanDocuments) * (point.documents - meanDocuments)
        }
        guard variance > 0 else { return nil }
        return covariance / variance
    }

    /// Adds a record's time per document and per word.
    private static func addCosts(to record: inout WorkloadRecord, words: Int) {
        record.metrics["wordsPerDocument"] = Double(words) / Double(Swift.max(1, record.units.documents))
        record.metrics["microsecondsPerDocument"] = record.samples.median * 1e6 / Double(Swift.max(1, record.units.documents))
        record.metrics["nanosecondsPerWord"] = record.samples.median * 1e9 / Double(Swift.max(1, words))
    }

    /// Adds to each record the per-document cost of its series: the same stage and thread count
    /// over every length.
    private static func addFits(to records: inout [WorkloadRecord]) {
        var series: [String: [Int]] = [:]
        for (index, record) in records.enumerated() {
            series["\(stage(of: record)) | \(record.threads)", default: []].append(index)
        }
        for members in series.values {
            let points = members.map { (documents: Double(records[$0].units.documents), seconds: records[$0].samples.median) }
            guard let perDocument = perDocumentCost(points) else { continue }
            for index in members { records[index].metrics["perDocumentMicroseconds"] = perDocument * 1e6 }
        }
    }
}
