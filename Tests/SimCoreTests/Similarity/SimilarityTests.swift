import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreIO

@Suite("Exact similarity")
struct SimilarityTests {
    @Test("Jaccard, containment and overlap on hand-made sets")
    func handMade() {
        let a = ShingleSet([1, 2, 3, 4])
        let b = ShingleSet([3, 4, 5])
        #expect(a.intersectionCount(with: b) == 2)
        #expect(a.jaccard(with: b) == 0.4)
        #expect(b.containment(in: a) == 2.0 / 3.0)
        #expect(a.containment(in: b) == 0.5)
        #expect(a.overlapCoefficient(with: b) == 2.0 / 3.0)
        #expect(ShingleSet([7, 7, 1]) == ShingleSet([1, 7]))
        #expect(ShingleSet([3, 4]).containment(in: a) == 1)
        #expect(a.jaccard(with: a) == 1)
        #expect(ShingleSet([1, 2]).jaccard(with: ShingleSet([3, 4])) == 0)
    }

    @Test("every measure is 0 with an empty set")
    func empty() {
        let empty = ShingleSet([UInt64]())
        for measure in SimilarityMeasure.allCases {
            #expect(measure.value(empty, empty) == 0)
            #expect(measure.value(empty, ShingleSet([1])) == 0)
            #expect(measure.value(ShingleSet([1]), empty) == 0)
        }
    }

    /// A random corpus of sets with planted near-copies, so every threshold has pairs to find.
    static func randomCorpus(seed: UInt64, count: Int, universe: UInt64 = 300) -> [ShingleSet] {
        var generator = SplitMix64(seed: seed)
        var sets: [ShingleSet] = []
        for index in 0..<count {
            if index > 0 && generator.next() % 3 == 0 {
                var copy = sets[Int(generator.next() % UInt64(index))].hashes
                let edits = Int(generator.next() % 6)
                for _ in 0..<edits {
                    if !copy.isEmpty && generator.next() % 2 == 0 {
                        copy.remove(at: Int(generator.next() % UInt64(copy.count)))
                    } else {
                        copy.append(generator.next() % universe)
                    }
                }
                sets.append(ShingleSet(copy))
            } else {
                let size = Int(generator.next() % 30)
                sets.append(ShingleSet((0..<size).map { _ in generator.next() % universe }))
            }
        }
        return sets
    }

    static func naivePairs(_ sets: [ShingleSet], _ measure: SimilarityMeasure, _ threshold: Double) -> [SimilarPair] {
        var pairs: [SimilarPair] = []
        for i in sets.indices {
            for j in sets.indices where measure == .containment ? i != j : i < j {
                let value = measure.value(sets[i], sets[j])
                if value >= threshold { pairs.append(SimilarPair(first: i, second: j, similarity: value)) }
            }
        }
        return pairs
    }

    /// A small universe makes most shingles shared; a large one makes most unique to one
    /// document, so that whole prefixes fall outside the index.
    @Test("all pairs equals the naive O(N²) reference", arguments: [1, 2, 3] as [UInt64], [300, 20_000] as [UInt64])
    func allPairsAgainstNaive(seed: UInt64, universe: UInt64) {
        let sets = Self.randomCorpus(seed: seed, count: 150, universe: universe)
        for measure in SimilarityMeasure.allCases {
            for threshold in [0.2, 0.5, 0.7, 0.8, 0.9, 1.0] {
                let expected = Self.naivePairs(sets, measure, threshold)
                for threads in [1, 3] {
                    let found = ExactAllPairs.pairs(in: sets, measure: measure, threshold: threshold, threads: threads)
                    #expect(found == expected, "seed \(seed), universe \(universe), \(measure) ≥ \(threshold), \(threads) threads")
                }
            }
        }
    }

    @Test("prefix length leaves room for ⌈t·n⌉ shared hashes despite rounding")
    func prefixLength() {
        #expect(ExactAllPairs.prefixLength(count: 5, threshold: 0.8) == 2)  // 0.8·5 = 4 must share
        #expect(ExactAllPairs.prefixLength(count: 10, threshold: 0.7) == 4)
        #expect(ExactAllPairs.prefixLength(count: 3, threshold: 1.0) == 1)
        #expect(ExactAllPairs.prefixLength(count: 0, threshold: 0.5) == 0)
    }

    @Test("the wire stories: the AFP reprint is contained, other outlets stay apart")
    func wireStories() throws {
        let corpus = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories])
        #expect(corpus.documents.map(\.id).map { String($0.prefix(3)) } == ["000", "001", "002", "003", "004"])
        let shingler = Shingler(options: ShinglingOptions(unit: .words(5)))
        let sets = corpus.documents.map { shingler.shingles(ofUTF8: $0.utf8) }
        #expect(sets[1].containment(in: sets[0]) >= 0.85)
        #expect(sets[0].jaccard(with: sets[1]) < 0.7)
        for i in sets.indices {
            for j in sets.indices where i != j && (i >= 3 || j >= 3) {
                #expect(sets[i].jaccard(with: sets[j]) < 0.05, "\(i) vs \(j)")
            }
        }
        let matrix = SimilarityMatrix(sets: sets, measure: .jaccard, threads: 2)
        for i in sets.indices {
            #expect(matrix.values[i][i] == 1)
            for j in sets.indices { #expect(matrix.values[i][j] == matrix.values[j][i]) }
        }
        let reprints = ExactAllPairs.pairs(in: sets, measure: .containment, threshold: 0.85)
        #expect(reprints.map { [$0.first, $0.second] } == [[1, 0]])
    }

    @Test("document frequencies, partitioned and counted on several threads, equal counting in a dictionary", arguments: [1, 2, 3, 8])
    func documentFrequencies(threads: Int) {
        var random = SplitMix64(seed: 6)
        // Hashes drawn from a small pool, so that many are shared; some from the extremes of the range.
        var pool: [UInt64] = (0..<3_000).map { _ in random.next() }
        pool += [0, 1, UInt64.max, UInt64.max - 1, UInt64(1) << 63]
        var sets: [ShingleSet] = []
        for _ in 0..<700 {
            let size = Int(random.next() % 60)
            var hashes: [UInt64] = []
            for _ in 0..<size { hashes.append(pool[Int(random.next() % UInt64(pool.count))]) }
            sets.append(ShingleSet(hashes))
        }
        var counts: [UInt64: Int32] = [:]
        for set in sets { for hash in set.hashes { counts[hash, default: 0] += 1 } }
        let expected = counts.filter { $0.value > 1 }.sorted { $0.key < $1.key }
        let (keys, frequencies) = _PrefixIndex.documentFrequencies(of: sets, threads: threads)
        #expect(keys == expected.map(\.key))
        #expect(frequencies == expected.map(\.value))
        #expect(_PrefixIndex.documentFrequencies(of: [], threads: threads).keys.isEmpty)
    }
}
