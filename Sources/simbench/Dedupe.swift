import ArgumentParser
import Foundation
import SimBenchKit
import SimCore

/// `simbench dedupe`: LSH index build, query latency, and end-to-end deduplication (raw text to
/// clusters) with throughput, peak memory and precision/recall against exact all-pairs.
struct Dedupe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Index build, query and end-to-end dedupe workloads on a corpus.",
        discussion: """
            Reads INPUTS (directories of .txt, .jsonl files, -) or, with --synthetic N, makes a seeded \
            corpus of N documents of about 6 KB (every 5th story gets 1 to 3 copies with 0 to 1% of \
            their words replaced). Each end-to-end run starts from raw text: shingling, signing \
            (one-permutation MinHash, k = --length), indexing, verification and clustering.
            """)

    @Argument(help: "Directories of .txt files, JSON Lines files, or - for standard input.")
    var inputs: [String] = []

    @Option(help: "Generate a seeded corpus of this many documents instead of reading INPUTS.")
    var synthetic: Int?

    @Option(help: "Seed of the synthetic corpus.")
    var seed: UInt64 = 1

    @Option(help: "Measure: jaccard or containment.")
    var measure: String = "jaccard"

    @Option(help: "Similarity threshold.")
    var threshold: Double = 0.8

    @Option(help: "Verification: estimated or exact.")
    var verification: String = "estimated"

    @Option(help: "Signature length k.")
    var length: Int = 128

    @Option(help: "Thread counts to run, comma-separated.")
    var threads: String = "1,2"

    @Option(help: "Queries timed one by one for latency percentiles.")
    var queries: Int = 10_000

    @Flag(help: "Skip the exact all-pairs ground truth (precision/recall).")
    var skipTruth = false

    func validate() throws {
        guard synthetic != nil || !inputs.isEmpty else { throw ValidationError("give INPUTS or --synthetic N") }
        guard SimilarityMeasure(rawValue: measure) != nil else { throw ValidationError("--measure must be jaccard or containment") }
        guard DeduplicationOptions.Verification(rawValue: verification) != nil else {
            throw ValidationError("--verification must be estimated or exact")
        }
        guard threshold > 0 && threshold < 1 else { throw ValidationError("--threshold must be in (0, 1)") }
        guard threadCounts.allSatisfy({ $0 >= 1 }) && !threadCounts.isEmpty else { throw ValidationError("--threads: e.g. 1,2") }
    }

    var threadCounts: [Int] { threads.split(separator: ",").compactMap { Int($0) } }

    func run() throws {
        let documents = try loadDocuments()
        let bytes = documents.reduce(0) { $0 + $1.utf8.count }
        print("corpus: \(documents.count) documents, \(String(format: "%.1f", Double(bytes) / 1e6)) MB, \(bytes / max(1, documents.count)) bytes/doc")
        var options = DeduplicationOptions()
        options.measure = SimilarityMeasure(rawValue: measure)!
        options.threshold = threshold
        options.verification = DeduplicationOptions.Verification(rawValue: verification)!
        let scheme = OnePermutationMinHash(length: length, seed: 0)
        print("dedupe: \(options.measure) ≥ \(threshold), \(options.verification) verification, \(scheme.name) k=\(length)")

        var reference: Set<[Int]>?
        if !skipTruth {
            let truthMeasure: SimilarityMeasure = options.measure == .jaccard ? .jaccard : .overlap
            var truth: [SimilarPair] = []
            let seconds = Sampler.time {
                let shingler = Shingler(options: options.shingling)
                let sets = documents.map { shingler.shingles(ofUTF8: $0.utf8) }
                truth = ExactAllPairs.pairs(in: sets, measure: truthMeasure, threshold: threshold)
            }
            reference = Set(truth.map { [$0.first, $0.second] })
            print("exact all-pairs (\(truthMeasure) ≥ \(threshold)): \(truth.count) pairs in \(String(format: "%.2f", seconds)) s")
        }

        // Baseline measured in this run: shingling + signing alone, the floor of end to end.
        for threadCount in threadCounts {
            let signing = Sampler.time {
                blackHole(SignatureMatrix(signing: documents, options: options.shingling, scheme: scheme, threads: threadCount))
            }
            print(String(format: "shingle+sign only, %d thread(s): %.0f docs/s (%.1f MB/s)", threadCount,
                         Double(documents.count) / signing, Double(bytes) / 1e6 / signing))
        }

        print("\nend to end (raw text → clusters):")
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
            var line = String(format: "  %d thread(s): %.2f s, %.0f docs/s (%.1f MB/s), %.1fx datasketch's 650 docs/s (reported, not measured here); kept %d; peak RSS %.0f MB (+%.0f MB over the loaded corpus); index state %.0f bytes/doc",
                              threadCount, seconds, rate, Double(bytes) / 1e6 / seconds, rate / 650, kept.count,
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
            print(line)
        }

        let streamed = Array(documents.prefix(20_000))
        print("\nstreaming, one insert call per document, \(streamed.count) documents, callers sharing one deduplicator:")
        for threadCount in threadCounts {
            options.threads = 1
            let deduplicator = Deduplicator(scheme: scheme, options: options)
            let seconds = Sampler.time {
                DispatchQueue.concurrentPerform(iterations: threadCount) { worker in
                    for index in stride(from: worker, to: streamed.count, by: threadCount) { deduplicator.insert(streamed[index]) }
                }
            }
            print(String(format: "  %d calling thread(s): %.0f docs/s, %d duplicates", threadCount, Double(streamed.count) / seconds,
                         deduplicator.count - deduplicator.keptDocuments().count))
        }

        guard options.measure == .jaccard else { return }
        print("\nMinHashLSH alone (signatures precomputed):")
        let signatures = SignatureMatrix(signing: documents, options: options.shingling, scheme: scheme)
        let banding = BandingParameters.optimal(
            threshold: threshold, signatureLength: length,
            falsePositiveWeight: options.falsePositiveWeight, falseNegativeWeight: options.falseNegativeWeight)
        var built = MinHashLSH(signatureLength: length, banding: banding)
        for threadCount in threadCounts {
            var index = MinHashLSH(signatureLength: length, banding: banding)
            let seconds = Sampler.time { index.insert(contentsOf: signatures, threads: threadCount) }
            print(String(format: "  build, %d thread(s), %@: %.3f s, %.0f docs/s, %.1f bytes/doc", threadCount,
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
        print(String(format: "  query, 1 thread: %d queries, %.0f queries/s, p50 %.2f µs, p99 %.2f µs, %.2f candidates/query",
                     latencies.count, Double(latencies.count) / total, latencies[latencies.count / 2] * 1e6,
                     latencies[min(latencies.count - 1, latencies.count * 99 / 100)] * 1e6, Double(sink) / Double(latencies.count)))
        var insertLatencies: [Double] = []
        var streaming = MinHashLSH(signatureLength: length, banding: banding)
        for row in 0..<signatures.count {
            let signature = Array(signatures[row])
            insertLatencies.append(Sampler.time { streaming.insert(signature) })
        }
        insertLatencies.sort()
        print(String(format: "  insert one by one, 1 thread: %.0f docs/s, p50 %.2f µs, p99 %.2f µs",
                     Double(insertLatencies.count) / insertLatencies.reduce(0, +), insertLatencies[insertLatencies.count / 2] * 1e6,
                     insertLatencies[insertLatencies.count * 99 / 100] * 1e6))
        let path = NSTemporaryDirectory() + "simbench-dedupe-\(ProcessInfo.processInfo.processIdentifier).lsh"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let save = try Sampler.time { try built.save(to: path) }
        var loaded: MinHashLSH?
        let load = try Sampler.time { loaded = try MinHashLSH(contentsOf: path, expectedBanding: banding) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(String(format: "  save %.3f s, load %.3f s, file %.1f MB (%.1f bytes/doc), %d documents loaded",
                     save, load, Double(size) / 1e6, Double(size) / Double(documents.count), loaded?.count ?? 0))
    }

    private func loadDocuments() throws -> [Document] {
        if let synthetic { return SyntheticNearDuplicates.documents(count: synthetic, seed: seed) }
        do {
            return try CorpusReader.readAll(paths: inputs, options: CorpusOptions()).documents
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// A seeded corpus of ~6 KB documents with planted near-duplicates, for `simbench dedupe`.
enum SyntheticNearDuplicates {
    static func documents(count: Int, seed: UInt64) -> [Document] {
        var generator = SplitMix64(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        let vocabulary: [[UInt8]] = (0..<30_000).map { _ in
            (0..<(3 + Int(generator.next() % 7))).map { _ in letters[Int(generator.next() % 26)] }
        }
        var documents: [Document] = []
        documents.reserveCapacity(count)
        var originals = 0
        while documents.count < count {
            let words = (0..<(800 + Int(generator.next() % 400))).map { _ in Int(generator.next() % 30_000) }
            documents.append(Document(id: "\(documents.count)", utf8: render(words, vocabulary)))
            originals += 1
            guard originals % 5 == 0 else { continue }
            for _ in 0..<(1 + Int(generator.next() % 3)) where documents.count < count {
                var copy = words
                for _ in 0..<Int(generator.next() % UInt64(words.count / 100 + 1)) {
                    copy[Int(generator.next() % UInt64(copy.count))] = Int(generator.next() % 30_000)
                }
                documents.append(Document(id: "\(documents.count)", utf8: render(copy, vocabulary)))
            }
        }
        return documents
    }

    private static func render(_ words: [Int], _ vocabulary: [[UInt8]]) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(words.count * 7)
        for (position, word) in words.enumerated() {
            if position > 0 { text.append(position % 15 == 0 ? UInt8(ascii: "\n") : UInt8(ascii: " ")) }
            text.append(contentsOf: vocabulary[word])
        }
        return text
    }
}
