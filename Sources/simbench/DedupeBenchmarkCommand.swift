import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreFixtures
import SimCoreIO

/// `simbench dedupe`: LSH index build, query latency, and end-to-end deduplication (raw text to
/// clusters) with throughput, peak memory and precision/recall against exact all-pairs.
struct DedupeBenchmarkCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Index build, query and end-to-end dedupe workloads on a corpus.",
        discussion: """
            Reads INPUTS (directories of .txt, .jsonl files, -) or, with --generate N, makes the \
            seeded news-like corpus of `simbench generate` in memory. Each end-to-end run starts \
            from raw text: shingling, signing (one-permutation MinHash, k = -k), indexing, \
            verification and clustering; thread counts run from 1 up to --threads, doubling.
            """)

    @Argument(help: "Directories of .txt files, JSON Lines files, or - for standard input.")
    var inputs: [String] = []

    @Option(parsing: .unconditional, help: "Generate a corpus of this many documents in memory instead of reading INPUTS.")
    var generate: Int?

    @OptionGroup var corpusSeed: CorpusSeedOption

    @Option(help: "Similarity: overlap (the smaller document's containment in the larger) or jaccard.")
    var measure: DeduplicationOptions.Measure = .jaccard

    @OptionGroup var banding: BandingOptionGroup

    @Option(help: "Verify candidates: estimated (from signatures) or exact (from shingle sets).")
    var verification: DeduplicationOptions.Verification = .estimated

    @OptionGroup var length: SignatureLengthOption

    @OptionGroup var threads: ThreadOptionGroup

    @Option(parsing: .unconditional, help: "Queries timed one by one for latency percentiles.")
    var queries: Int = 10_000

    @Flag(help: "Skip the exact all-pairs ground truth (precision/recall).")
    var skipTruth = false

    func validate() throws {
        guard generate != nil || !inputs.isEmpty else { throw ValidationError("give INPUTS or --generate N") }
        if let generate { guard (10...10_000_000).contains(generate) else { throw ValidationError("--generate must be in 10...10,000,000, not \(generate)") } }
        try banding.validate(signatureLength: length.signatureLength)
        guard queries >= 1 else { throw ValidationError("--queries must be at least 1") }
    }

    var threadCounts: [Int] { BenchmarkContext.defaultThreadCounts(cores: threads.threads) }

    func execute(io: CommandIO) throws {
        let documents = try loadDocuments()
        let bytes = documents.reduce(0) { $0 + $1.utf8.count }
        let length = length.signatureLength
        let threshold = banding.threshold
        try io.print("corpus: \(documents.count) documents, \(String(format: "%.1f", Double(bytes) / 1e6)) MB, \(bytes / max(1, documents.count)) bytes/doc")
        var options = DeduplicationOptions()
        options.measure = measure
        options.threshold = threshold
        options.verification = verification
        if measure == .jaccard { options.banding = banding.banding(signatureLength: length) }
        let scheme = OnePermutationMinHash(signatureLength: length, seed: 0)
        try io.print("dedupe: \(options.measure) ≥ \(threshold), \(options.verification) verification, \(scheme.name) k=\(length)")

        var reference: Set<[Int]>?
        if !skipTruth {
            let truthMeasure = options.measure.similarityMeasure
            var truth: [SimilarPair] = []
            let seconds = Sampler.time {
                let shingler = Shingler(options: options.shingling)
                let sets = documents.map { shingler.shingles(ofUTF8: $0.utf8) }
                truth = ExactAllPairs.pairs(in: sets, measure: truthMeasure, threshold: threshold)
            }
            reference = Set(truth.map { [$0.first, $0.second] })
            try io.print("exact all-pairs (\(truthMeasure) ≥ \(threshold)): \(truth.count) pairs in \(String(format: "%.2f", seconds)) s")
        }

        // Baseline measured in this run: shingling + signing alone, the floor of end to end.
        for threadCount in threadCounts {
            let signing = Sampler.time {
                blackHole(SignatureMatrix(signing: documents, options: options.shingling, scheme: scheme, threads: threadCount))
            }
            try io.print(String(format: "shingle+sign only, %d thread(s): %.0f docs/s (%.1f MB/s)", threadCount,
                         Double(documents.count) / signing, Double(bytes) / 1e6 / signing))
        }

        try io.print("\nend to end (raw text → clusters):")
        for threadCount in threadCounts {
            options.threads = threadCount
            PeakMemory.reset()
            let before = PeakMemory.currentResidentBytes()
            var deduplicator: Deduplicator<OnePermutationMinHash>!
            var kept: [Int] = []
            let seconds = Sampler.time {
                deduplicator = Deduplicator(scheme: scheme, options: options)
                deduplicator.insert(contentsOf: documents, threads: threadCount)
                kept = deduplicator.keptDocuments()
            }
            let peak = PeakMemory.residentBytes()
            let rate = Double(documents.count) / seconds
            var line = String(format: "  %d thread(s): %.2f s, %.0f docs/s (%.1f MB/s); kept %d; peak RSS %.0f MB (+%.0f MB over the loaded corpus); engine state %.0f bytes/doc",
                              threadCount, seconds, rate, Double(bytes) / 1e6 / seconds, kept.count,
                              Double(peak) / 1e6, Double(peak - before) / 1e6, Double(deduplicator.byteCount) / Double(documents.count))
            if let reference, reference.isEmpty {
                line += "; pairs: \(deduplicator.verifiedPairs().count) found, none true (precision and recall n/a)"
            } else if let reference {
                let found = Set(deduplicator.verifiedPairs().map { [$0.first, $0.second] })
                let hits = found.intersection(reference).count
                line += String(format: "; pairs: precision %.4f recall %.4f (%d found, %d true)",
                               Double(hits) / Double(max(1, found.count)), Double(hits) / Double(max(1, reference.count)),
                               found.count, reference.count)
            }
            try io.print(line)
        }

        let streamed = Array(documents.prefix(20_000))
        try io.print("\nstreaming, one insert call per document, \(streamed.count) documents, callers sharing one deduplicator:")
        for threadCount in threadCounts {
            options.threads = 1
            let deduplicator = Deduplicator(scheme: scheme, options: options)
            let seconds = Sampler.time {
                DispatchQueue.concurrentPerform(iterations: threadCount) { worker in
                    for index in stride(from: worker, to: streamed.count, by: threadCount) { deduplicator.insert(streamed[index]) }
                }
            }
            try io.print(String(format: "  %d calling thread(s): %.0f docs/s, %d duplicates", threadCount, Double(streamed.count) / seconds,
                         deduplicator.count - deduplicator.keptDocuments().count))
        }

        guard options.measure == .jaccard else { return }
        try io.print("\nMinHashLSH alone (signatures precomputed):")
        let signatures = SignatureMatrix(signing: documents, options: options.shingling, scheme: scheme)
        let banding = banding.banding(signatureLength: length)
        var built = MinHashLSH(signatureLength: length, banding: banding)
        for threadCount in threadCounts {
            var index = MinHashLSH(signatureLength: length, banding: banding)
            let seconds = Sampler.time { index.insert(contentsOf: signatures, threads: threadCount) }
            try io.print(String(format: "  build, %d thread(s), %@: %.3f s, %.0f docs/s, %.1f bytes/doc", threadCount,
                         "\(banding)", seconds, Double(documents.count) / seconds, Double(index.byteCount) / Double(documents.count)))
            built = index
        }
        var latencies: [Double] = []
        var sink = 0
        let step = max(1, documents.count / max(1, queries))
        for row in stride(from: 0, to: documents.count, by: step) {
            let query = Array(signatures[row])
            latencies.append(Sampler.time { sink &+= built.candidates(for: query).count })
        }
        blackHole(sink)
        latencies.sort()
        let total = latencies.reduce(0, +)
        try io.print(String(format: "  query, 1 thread: %d queries, %.0f queries/s, p50 %.2f µs, p99 %.2f µs, %.2f candidates/query",
                     latencies.count, Double(latencies.count) / total, latencies[latencies.count / 2] * 1e6,
                     latencies[min(latencies.count - 1, latencies.count * 99 / 100)] * 1e6, Double(sink) / Double(latencies.count)))
        var insertLatencies: [Double] = []
        var streaming = MinHashLSH(signatureLength: length, banding: banding)
        for row in 0..<signatures.count {
            let signature = Array(signatures[row])
            insertLatencies.append(Sampler.time { streaming.insert(signature) })
        }
        insertLatencies.sort()
        try io.print(String(format: "  insert one by one, 1 thread: %.0f docs/s, p50 %.2f µs, p99 %.2f µs",
                     Double(insertLatencies.count) / insertLatencies.reduce(0, +), insertLatencies[insertLatencies.count / 2] * 1e6,
                     insertLatencies[insertLatencies.count * 99 / 100] * 1e6))
        let path = NSTemporaryDirectory() + "simbench-dedupe-\(ProcessInfo.processInfo.processIdentifier).lsh"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let save = try Sampler.time { try built.save(to: path) }
        var loaded: MinHashLSH?
        let load = try Sampler.time { loaded = try MinHashLSH(contentsOf: path, expectedBanding: banding) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        try io.print(String(format: "  save %.3f s, load %.3f s, file %.1f MB (%.1f bytes/doc), %d documents loaded",
                     save, load, Double(size) / 1e6, Double(size) / Double(documents.count), loaded?.count ?? 0))
    }

    private func loadDocuments() throws -> [Document] {
        if let generate {
            var generator = CorpusGenerator(options: CorpusGeneratorOptions(documentCount: generate, seed: corpusSeed.corpusSeed))
            var documents: [Document] = []
            documents.reserveCapacity(generate)
            while let (document, _) = generator.next() { documents.append(document) }
            return documents
        }
        return try CorpusReader.readAll(paths: inputs, options: CorpusOptions()).documents
    }
}
