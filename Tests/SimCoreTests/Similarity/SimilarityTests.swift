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

    @Test("the intersection kernel counts shared values exactly on every variant")
    func intersectionKernel() {
        // Sizes around the block widths (4 and 8), shared values at block edges, values with the
        // top bit set (unsigned order), identical, disjoint and interleaved sets.
        var random = SplitMix64(seed: 2_718)
        let variants = SignatureKernelISA.allCases.filter(\.isSupported)
        #expect(variants.contains(.portable))
        for round in 0..<150 {
            let pool = (0..<(1 + round % 90)).map { _ in random.next() | (round % 3 == 0 ? 1 << 63 : 0) }
            let a = ShingleSet(pool.filter { _ in random.next() % 3 != 0 })
            let b = round % 7 == 0 ? a : ShingleSet(pool.filter { _ in random.next() % 2 == 0 } + (0..<(round % 11)).map { _ in random.next() })
            let expected = Set(a.hashes).intersection(b.hashes).count
            #expect(a.intersectionCount(with: b) == expected, "seed 2718, round \(round)")
            for isa in variants {
                let got = a.hashes.withUnsafeBufferPointer { x in b.hashes.withUnsafeBufferPointer { y in _intersectionCount(x, y, isa: isa) } }
                #expect(got == expected, "seed 2718, round \(round), \(isa)")
            }
        }
        // Exact values: blocks of eight that meet only at their last and first values.
        let evens = ShingleSet((0..<40).map { UInt64($0 * 2) })
        let shifted = ShingleSet((0..<40).map { UInt64($0 * 2 + 14) })
        #expect(evens.intersectionCount(with: shifted) == 33)
        #expect(ShingleSet((0..<64).map(UInt64.init)).intersectionCount(with: ShingleSet((64..<128).map(UInt64.init))) == 0)
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

    /// Sets drawn from a small pool (many shared hashes, some from the extremes of the range
    /// and of the shards), with whole documents repeated, and empty ones.
    static func tiedCorpus(seed: UInt64, count: Int) -> [ShingleSet] {
        var random = SplitMix64(seed: seed)
        var pool: [UInt64] = (0..<(20 + Int(random.next() % 300))).map { _ in random.next() }
        pool += [0, 1, UInt64.max, UInt64.max - 1, UInt64(1) << 63, (UInt64(1) << 63) - 1]
        var sets: [ShingleSet] = []
        for _ in 0..<count {
            if !sets.isEmpty && random.next() % 4 == 0 {
                sets.append(sets[Int(random.next() % UInt64(sets.count))])
                continue
            }
            let size = Int(random.next() % 40)
            sets.append(ShingleSet((0..<size).map { _ in pool[Int(random.next() % UInt64(pool.count))] }))
        }
        return sets
    }

    @Test("shared entries, counted shard by shard on several threads, equal counting in a dictionary", arguments: [1, 2, 3, 7, 8])
    func sharedEntries(threads: Int) {
        for seed in [6, 7, 8] as [UInt64] {
            let sets = Self.tiedCorpus(seed: seed, count: 700)
            var counts: [UInt64: Int] = [:]
            for set in sets { for hash in set.hashes { counts[hash, default: 0] += 1 } }
            let (entries, starts, keyCount) = _PrefixIndex.sharedEntries(of: sets, threads: threads)
            #expect(keyCount == counts.values.filter { $0 > 1 }.count, "seed \(seed)")
            #expect(starts.count == sets.count + 1 && starts.last == entries.count)
            // Each document: one entry per shared hash, with its frequency.
            var holdersOfKey: [UInt64: [Int]] = [:]
            var holdersOfHash: [UInt64: [Int]] = [:]
            var keysInRange = true
            for (document, set) in sets.enumerated() {
                let shared = set.hashes.filter { counts[$0]! > 1 }
                let mine = entries[starts[document]..<starts[document + 1]]
                #expect(mine.map { Int($0 >> 32) }.sorted() == shared.map { counts[$0]! }.sorted(), "seed \(seed), document \(document)")
                for entry in mine {
                    keysInRange = keysInRange && entry & 0xFFFF_FFFF < UInt64(keyCount)
                    holdersOfKey[entry & 0xFFFF_FFFF, default: []].append(document)
                }
                for hash in shared { holdersOfHash[hash, default: []].append(document) }
            }
            // One key per shared hash: the keys' documents are the hashes' documents.
            #expect(keysInRange, "seed \(seed)")
            let byKey = holdersOfKey.values.map { $0.map(String.init).joined(separator: ",") }.sorted()
            let byHash = holdersOfHash.values.map { $0.map(String.init).joined(separator: ",") }.sorted()
            #expect(byKey == byHash, "seed \(seed)")
            // The same entries on one thread.
            let single = _PrefixIndex.sharedEntries(of: sets, threads: 1)
            #expect(single.entries == entries && single.starts == starts, "seed \(seed)")
        }
        let empty = _PrefixIndex.sharedEntries(of: [], threads: threads)
        #expect(empty.entries.isEmpty && empty.starts == [0] && empty.keyCount == 0)
        let lone = _PrefixIndex.sharedEntries(of: [ShingleSet([1, 2, 3])], threads: threads)
        #expect(lone.entries.isEmpty && lone.starts == [0, 0] && lone.keyCount == 0)
    }

    @Test("all pairs with many ties and repeated documents equals the naive reference on 1, 2 and 7 threads", arguments: [11, 12, 13, 14] as [UInt64])
    func allPairsWithTies(seed: UInt64) {
        let sets = Self.tiedCorpus(seed: seed, count: 120)
        for measure in SimilarityMeasure.allCases {
            for threshold in [0.3, 0.6, 0.8, 1.0] {
                let expected = Self.naivePairs(sets, measure, threshold)
                for threads in [1, 2, 7] {
                    let found = ExactAllPairs.pairs(in: sets, measure: measure, threshold: threshold, threads: threads)
                    #expect(found == expected, "seed \(seed), \(measure) ≥ \(threshold), \(threads) threads")
                }
            }
        }
    }

    @Test("all pairs of no document, one document, and empty documents", arguments: [1, 2, 7])
    func allPairsEdgeCases(threads: Int) {
        for measure in SimilarityMeasure.allCases {
            #expect(ExactAllPairs.pairs(in: [], measure: measure, threshold: 0.5, threads: threads).isEmpty)
            #expect(ExactAllPairs.pairs(in: [ShingleSet([1, 2, 3])], measure: measure, threshold: 0.5, threads: threads).isEmpty)
            #expect(ExactAllPairs.pairs(in: [ShingleSet([UInt64]()), ShingleSet([UInt64]())], measure: measure, threshold: 0.5, threads: threads).isEmpty)
            let twins = ExactAllPairs.pairs(in: [ShingleSet([5, 9]), ShingleSet([UInt64]()), ShingleSet([5, 9])], measure: measure, threshold: 1, threads: threads)
            let expected = measure == .containment
                ? [SimilarPair(first: 0, second: 2, similarity: 1), SimilarPair(first: 2, second: 0, similarity: 1)]
                : [SimilarPair(first: 0, second: 2, similarity: 1)]
            #expect(twins == expected, "\(measure)")
        }
    }

    @Test("selection moves the smallest values to the front", arguments: [0, 1, 2, 17, 18, 100, 1_000])
    func selectSmallest(size: Int) {
        var random = SplitMix64(seed: UInt64(size))
        // Distinct values with long runs of equal high halves, as (frequency << 32 | key) has.
        let values = (0..<size).map { UInt64($0) | (random.next() % 4) << 32 }.shuffled(using: &random)
        let sorted = values.sorted()
        for count in Set([0, 1, size / 3, size / 2, size - 1, size]) where count >= 0 {
            var work = values
            work.withUnsafeMutableBufferPointer { _selectSmallest(count, of: $0) }
            #expect(work.prefix(count).sorted() == Array(sorted.prefix(count)), "size \(size), count \(count)")
            #expect(work.sorted() == sorted)
        }
    }
}
