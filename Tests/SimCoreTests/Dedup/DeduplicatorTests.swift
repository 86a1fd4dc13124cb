import Dispatch
import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreInternals
import SimCoreIO

@Suite("Deduplicator")
struct DeduplicatorTests {
    static func documents(_ texts: [String]) -> [Document] {
        texts.enumerated().map { Document(id: "\($0.offset)", utf8: Array($0.element.utf8)) }
    }

    @Test("wire stories, default settings: 000 and 001 are one story; 003 and 004 stay alone")
    func wireStories() throws {
        let corpus = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories], options: CorpusOptions())
        let documents = corpus.documents.sorted { $0.id < $1.id }
        for verification in DeduplicationOptions.Verification.allCases {
            var options = DeduplicationOptions()
            options.verification = verification
            let deduplicator = Deduplicator(options: options)
            let results = deduplicator.insert(contentsOf: documents)
            let names = documents.map { String($0.id.prefix(3)) }
            #expect(names == ["000", "001", "002", "003", "004"])
            #expect(results.map(\.verdict.isDuplicate) == [false, true, false, false, false], "\(verification): \(results)")
            if case .duplicate(let original, let similarity) = results[1].verdict {
                #expect(original == 0)
                #expect(similarity > 0.85 && similarity < 0.97, "\(verification): \(similarity)")
            }
            #expect(deduplicator.clusters() == [DuplicateCluster(representative: 0, members: [0, 1])])
            #expect(deduplicator.keptDocuments() == [0, 2, 3, 4])
        }
    }

    @Test("Jaccard measure on the wire stories: 000 and 001 (J = 0.62) stay apart at 0.8")
    func wireStoriesJaccard() throws {
        let corpus = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories], options: CorpusOptions())
        var options = DeduplicationOptions()
        options.measure = .jaccard
        let deduplicator = Deduplicator(options: options)
        let results = deduplicator.insert(contentsOf: corpus.documents.sorted { $0.id < $1.id })
        #expect(results.allSatisfy { !$0.verdict.isDuplicate })
        #expect(deduplicator.keptDocuments() == [0, 1, 2, 3, 4])
    }

    /// Precision and recall of verified duplicate pairs against ExactAllPairs at Jaccard 0.8.
    ///
    /// Corpus: fixed seed, 10,000 documents (originals of 100–160 words; every 4th gets 1–3
    /// copies with 0–3 word substitutions), 3,948 true pairs, 28% of them with J in
    /// [0.8, 0.85), and 1,206 more pairs in [0.7, 0.8): a hard corpus, dense near the threshold.
    /// Bounds: exact verification, precision and recall ≥ 0.95. Estimated verification (k = 128,
    /// standard error about 0.035 near J = 0.8) cannot classify the pairs near the threshold
    /// reliably: precision and recall ≥ 0.90 (measured 0.94 and 0.92).
    @Test("10,000 documents, Jaccard 0.8: precision and recall ≥ 0.95 against exact all-pairs")
    func precisionRecall() {
        let seed: UInt64 = 7
        let corpus = NearDuplicateCorpus(count: 10_000, seed: seed, editRange: 0...3)
        let documents = Self.documents(corpus.documents)
        let shingler = Shingler()
        let sets = documents.map { shingler.shingles(ofUTF8: $0.utf8) }
        let exact = ExactAllPairs.pairs(in: sets, measure: .jaccard, threshold: 0.8)
        let truth = Set(exact.map { [$0.first, $0.second] })
        print("truth \(truth.count); J in [0.8, 0.85): \(exact.filter { $0.similarity < 0.85 }.count)")
        #expect(truth.count > 1_000, "seed \(seed): only \(truth.count) true pairs")
        for verification in DeduplicationOptions.Verification.allCases {
            var options = DeduplicationOptions()
            options.measure = .jaccard
            options.verification = verification
            let deduplicator = Deduplicator(options: options)
            deduplicator.insert(contentsOf: documents)
            let found = Set(deduplicator.verifiedPairs().map { [$0.first, $0.second] })
            let truePositives = found.intersection(truth).count
            let precision = Double(truePositives) / Double(max(1, found.count))
            let recall = Double(truePositives) / Double(max(1, truth.count))
            #expect(precision >= (verification == .exact ? 0.95 : 0.90), "seed \(seed), \(verification): precision \(precision) (\(truePositives)/\(found.count))")
            #expect(recall >= (verification == .exact ? 0.95 : 0.90), "seed \(seed), \(verification): recall \(recall) (\(truePositives)/\(truth.count))")
            print("dedupe P/R seed \(seed) \(verification) \(deduplicator.banding!): truth \(truth.count) found \(found.count) precision \(precision) recall \(recall)")
        }
    }
}

@Suite("Deduplicator streaming")
struct DeduplicatorStreamingTests {
    static let corpus = NearDuplicateCorpus(count: 600, seed: 13, groupEvery: 2)

    @Test("batches on 1 and 2 threads give the verdicts of one-by-one inserts", arguments: [DeduplicationOptions.Measure.jaccard, .overlap])
    func batchEqualsStreaming(measure: DeduplicationOptions.Measure) {
        let documents = DeduplicatorTests.documents(Self.corpus.documents)
        var options = DeduplicatorOptionsForTests.with(measure)
        options.threads = 1
        let streaming = Deduplicator(options: options)
        let expected = documents.map { streaming.insert($0) }
        #expect(expected.filter(\.verdict.isDuplicate).count > 100)
        for threads in [1, 2] {
            let batch = Deduplicator(options: options)
            let first = batch.insert(contentsOf: Array(documents[0..<250]), threads: threads)
            let second = batch.insert(contentsOf: Array(documents[250...]), threads: threads)
            #expect(first + second == expected)
            #expect(batch.clusters() == streaming.clusters())
        }
    }

    @Test("inserts from 4 threads at once give the same clusters as one thread")
    func concurrentInserts() async {
        let documents = DeduplicatorTests.documents(Self.corpus.documents)
        let sequential = Deduplicator(options: DeduplicatorOptionsForTests.with(.jaccard))
        sequential.insert(contentsOf: documents)
        let shared = Deduplicator(options: DeduplicatorOptionsForTests.with(.jaccard))
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: documents.count, by: 4) { shared.insert(documents[index]) }
                }
            }
        }
        #expect(shared.count == documents.count)
        func groups(_ deduplicator: Deduplicator<OnePermutationMinHash>) -> Set<Set<String>> {
            Set(deduplicator.clusters().map { Set($0.members.map { deduplicator.id(of: $0) }) })
        }
        #expect(groups(shared) == groups(sequential))
        #expect(groups(sequential).count > 50)
    }

    @Test("representative: the longest member, ties to the first inserted; documents without shingles stay alone",
          arguments: [DeduplicationOptions.Measure.jaccard, .overlap], [DeduplicationOptions.Verification.estimated, .exact])
    func representatives(measure: DeduplicationOptions.Measure, verification: DeduplicationOptions.Verification) {
        var options = DeduplicatorOptionsForTests.with(measure)
        options.verification = verification
        let deduplicator = Deduplicator(options: options)
        let base = (0..<60).map { "w\($0)" }.joined(separator: " ")
        let results = deduplicator.insert(contentsOf: DeduplicatorTests.documents([base, base + " tail", base, "", "", "!!!", "— …"]))
        #expect(results[0].verdict == .new)
        #expect(results[2].verdict == .duplicate(of: 0, similarity: 1.0))
        #expect(results[3...].allSatisfy { $0.verdict == .new })
        #expect(deduplicator.clusters() == [DuplicateCluster(representative: 1, members: [0, 1, 2])])
        #expect(deduplicator.keptDocuments() == [1, 3, 4, 5, 6])
    }
}

enum DeduplicatorOptionsForTests {
    static func with(_ measure: DeduplicationOptions.Measure) -> DeduplicationOptions {
        var options = DeduplicationOptions()
        options.measure = measure
        return options
    }
}

@Suite("UnionFind")
struct UnionFindTests {
    @Test("unions, finds and groups")
    func basics() {
        var sets = UnionFind(count: 6)
        let merged = [sets.union(0, 3), sets.union(3, 5), sets.union(5, 0)]
        #expect(merged == [true, true, false])
        let appended = sets.append()
        #expect(appended == 6)
        sets.union(6, 1)
        let roots = [sets.find(5), sets.find(0), sets.find(1)]
        #expect(roots[0] == roots[1] && roots[2] != roots[0])
        let all = sets.groups()
        let pairs = sets.groups(minimumSize: 2)
        #expect(all == [[0, 3, 5], [1, 6], [2], [4]])
        #expect(pairs == [[0, 3, 5], [1, 6]])
    }
}

@Suite("Distinct count")
struct DistinctCountTests {
    @Test("hash-table distinct count equals the sorted set's, zeros and repeats included (seeded)")
    func agreesWithSort() {
        var generator = SplitMix64(seed: 41)
        let scratch = ScratchBuffer<UInt64>()
        for length in [0, 1, 2, 17, 500, 3_000] {
            let values = (0..<length).map { _ in generator.next() % 3 == 0 ? generator.next() % 40 : generator.next() }
            let counted = values.withUnsafeBufferPointer { _distinctCount($0, scratch: scratch) }
            #expect(counted == ShingleSet(values).count, "length \(length)")
        }
    }
}
