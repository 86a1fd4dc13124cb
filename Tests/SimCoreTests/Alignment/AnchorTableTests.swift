import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreInternals

/// The parts of ``ReuseIndex`` that make it fast: the sharded anchor table and its candidate
/// pairs, the distinct winnowed anchors, the order pairs are aligned in, and the token cache.
@Suite("Reuse index internals")
struct AnchorTableTests {
    /// Documents of random anchors drawn from a small pool, so that anchors are shared by many
    /// documents; the pool's hashes spread over every shard (top bits) and include 0.
    static func randomAnchors(documents: Int, seed: UInt64) -> [[UInt64]] {
        var generator = SplitMix64(seed: seed)
        let pool = [0] + (1..<400).map { _ in generator.next() }
        return (0..<documents).map { _ in
            var anchors: [UInt64] = []
            for _ in 0..<Int(generator.next() % 40) {
                let anchor = pool[Int(generator.next() % UInt64(pool.count))]
                if !anchors.contains(anchor) { anchors.append(anchor) }
            }
            return anchors
        }
    }

    /// Pairs sharing at least `minimumShared` anchors each held by 2...`cap` documents, by
    /// brute force.
    static func bruteForcePairs(_ documents: [[UInt64]], minimumShared: Int, cap: Int) -> [UInt64] {
        var frequency: [UInt64: Int] = [:]
        for anchors in documents { for anchor in anchors { frequency[anchor, default: 0] += 1 } }
        var pairs: [UInt64] = []
        for first in documents.indices {
            for second in (first + 1)..<documents.count {
                let shared = Set(documents[first]).intersection(documents[second]).filter { frequency[$0]! <= cap }
                if shared.count >= minimumShared { pairs.append(UInt64(first) << 32 | UInt64(second)) }
            }
        }
        return pairs
    }

    @Test("candidate pairs equal brute force, for every cap, thread count and batching", arguments: [1, 2, 5])
    func sharedAnchorPairs(threads: Int) {
        let documents = Self.randomAnchors(documents: 300, seed: 17)
        let whole = _AnchorTable()
        var all = documents
        whole.insert(&all, threads: threads)
        #expect(all.isEmpty)
        // The same documents in three batches of uneven sizes.
        let batched = _AnchorTable()
        for range in [0..<1, 1..<120, 120..<300] {
            var batch = Array(documents[range])
            batched.insert(&batch, threads: threads)
        }
        #expect(whole.documentCount == 300 && batched.documentCount == 300)
        for (minimumShared, cap) in [(2, 300), (2, 40), (1, 25), (3, 60)] {
            let expected = Self.bruteForcePairs(documents, minimumShared: minimumShared, cap: cap)
            #expect(expected.count > 50, "cap \(cap): too few pairs to test")
            #expect(whole.sharedAnchorPairs(minimumShared: minimumShared, cap: cap, threads: threads) == expected)
            #expect(batched.sharedAnchorPairs(minimumShared: minimumShared, cap: cap, threads: 1) == expected)
        }
    }

    @Test("every anchor's entry lists its documents, newest first, each once")
    func entries() {
        let documents = Self.randomAnchors(documents: 200, seed: 5)
        let table = _AnchorTable()
        var lists = documents
        table.insert(&lists, threads: 2)
        var holders: [UInt64: [Int]] = [:]
        for (document, anchors) in documents.enumerated() {
            for anchor in anchors { holders[anchor, default: []].insert(document, at: 0) }
        }
        let reader = table.reader
        for (anchor, expected) in holders {
            let entry = reader.entry(of: anchor)
            var found: [Int] = []
            entry.forEachDocument(above: -1) { found.append($0) }
            #expect(entry.count == expected.count && found == expected, "anchor \(anchor)")
            var above: [Int] = []
            entry.forEachDocument(above: 100) { above.append($0) }
            #expect(above == expected.filter { $0 > 100 })
        }
        #expect(reader.entry(of: 0x1234_5678_9ABC_DEF1).count == 0)
    }

    @Test("repeats are removed in place, first occurrences kept in order, 0 included")
    func removeRepeats() {
        let scratch = ScratchBuffer<UInt64>()
        var values: [UInt64] = [7, 0, 3, 7, 0, 9, 3, 3, 12, 0]
        _removeRepeats(&values, set: scratch)
        #expect(values == [7, 0, 3, 9, 12])
        var many = (0..<5_000).map { UInt64($0 % 1_234) &* 0x9E37_79B9_7F4A_7C15 }
        _removeRepeats(&many, set: scratch)
        #expect(many == (0..<1_234).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 })
        var one: [UInt64] = [0]
        _removeRepeats(&one, set: scratch)
        #expect(one == [0])
    }

    @Test("winnowed anchors: the window minima in order of position, each hash once")
    func winnowing() {
        let hashes: [UInt64] = [5, 3, 8, 3, 9, 9, 1, 4, 3, 6]
        let anchors = hashes.withUnsafeBufferPointer {
            _winnowedAnchors($0, window: 3, seen: ScratchBuffer<UInt64>())
        }
        // Windows of 3: minima at positions 1, 3 (the rightmost 3), 6; 3 again at 8 is a repeat.
        #expect(anchors == [3, 1])
    }

    @Test("winnowed anchors equal the definition, window by window, for small and large windows with ties", arguments: [1, 2, 4, 7, 30])
    func winnowingBruteForce(window: Int) {
        var generator = SplitMix64(seed: UInt64(window))
        let seen = ScratchBuffer<UInt64>()
        for length in [1, 2, 3, 5, 17, 200] {
            // A pool of 12 values: many ties and repeats.
            let hashes = (0..<length).map { _ in generator.next() % 12 }
            let width = min(window, length)
            var positions: [Int] = []
            for end in (width - 1)..<length {
                var minimum = end - width + 1
                for position in (end - width + 1)...end where hashes[position] <= hashes[minimum] { minimum = position }
                if positions.last != minimum { positions.append(minimum) }
            }
            var expected: [UInt64] = []
            for position in positions where !expected.contains(hashes[position]) { expected.append(hashes[position]) }
            let found = hashes.withUnsafeBufferPointer { _winnowedAnchors($0, window: window, seen: seen) }
            #expect(found == expected, "length \(length): \(hashes)")
        }
    }

    @Test("the alignment order is a permutation that keeps each component's pairs together")
    func candidateOrder() {
        // Two cliques interleaved in input order (even and odd documents) and one lone pair.
        var candidates: [UInt64] = []
        for first in 0..<8 {
            for second in (first + 1)..<8 where first % 2 == second % 2 { candidates.append(UInt64(first) << 32 | UInt64(second)) }
        }
        candidates.append(UInt64(8) << 32 | 9)
        let order = _CandidateOrder.order(of: candidates, documentCount: 10)
        #expect(order.sorted() == Array(candidates.indices))
        let parity = order.map { candidates[$0] >> 32 >= 8 ? 2 : Int(candidates[$0] >> 32) % 2 }
        #expect(parity == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2])
        #expect(_CandidateOrder.order(of: [], documentCount: 3).isEmpty)
    }

    @Test("the token cache tokenizes a document once while it is held, and never drops the pinned one")
    func tokenCache() {
        let options = AlignmentOptions()
        let corpus = (0..<4).map { Document(id: "\($0)", text: (0..<(10 + $0)).map { "w\($0)" }.joined(separator: " ")) }
        let cache = _TokenCache(options: options, capacity: 2)
        #expect(cache.tokens(of: 0, in: corpus, pinned: -1).count == 10)
        #expect(cache.tokens(of: 1, in: corpus, pinned: 0).count == 11)
        #expect(cache.tokens(of: 0, in: corpus, pinned: -1).count == 10)
        #expect(cache.tokenized == 2)
        // Document 1 is the least recently used, but 0 is pinned anyway: 1 makes room for 2.
        #expect(cache.tokens(of: 2, in: corpus, pinned: 0).count == 12)
        #expect(cache.tokens(of: 0, in: corpus, pinned: 2).count == 10)
        #expect(cache.tokenized == 3)
        // 0 was used last, 2 is pinned: 0 makes room for 3 although 2 is older.
        #expect(cache.tokens(of: 3, in: corpus, pinned: 2).count == 13)
        #expect(cache.tokens(of: 2, in: corpus, pinned: -1).count == 12)
        #expect(cache.tokenized == 4)
    }

    /// A text's n-gram fingerprints, as ``ReuseIndex`` files them.
    static func prints(_ text: String, options: AlignmentOptions = AlignmentOptions()) -> [UInt16] {
        let shingler = Shingler(options: ShinglingOptions(unit: .words(options.ngramWidth), seed: options.seed, normalization: options.normalization))
        return Array(text.utf8).withUnsafeBytes { bytes in
            shingler.withShingleHashes(ofUTF8: bytes) { $0.map(_GramPrints.print(of:)) }
        }
    }

    @Test("the fingerprint test never turns away a pair with a passage, and turns away most pairs without one")
    func gramPrintFilter() {
        let documents = Array(ReuseIndexTests.corpus.documents.prefix(120)).map { String(decoding: $0.utf8, as: UTF8.self) }
        let prints = documents.map { Self.prints($0) }
        let aligner = PassageAligner(), set = _GramPrintSet(), options = AlignmentOptions()
        var withPassage = 0, withoutPassage = 0, turnedAway = 0
        for first in documents.indices {
            prints[first].withUnsafeBufferPointer { set.fill($0, document: first) }
            for second in documents.indices where second != first {
                let possible = prints[second].withUnsafeBufferPointer { set.mayHavePassage($0, options: options) }
                if aligner.align(documents[first], documents[second]).passages.isEmpty {
                    withoutPassage += 1
                    if !possible { turnedAway += 1 }
                } else {
                    withPassage += 1
                    #expect(possible, "pair \(first), \(second) has a passage but was turned away")
                }
            }
        }
        #expect(withPassage > 100)
        #expect(turnedAway * 10 > withoutPassage * 9, "\(turnedAway) of \(withoutPassage) pairs without a passage turned away")
        // A shared seven-word phrase (three n-grams, seven words) cannot be a 12-word passage;
        // twelve shared words in a row can.
        var generator = SplitMix64(seed: 3)
        func words(_ count: Int) -> String { (0..<count).map { _ in "w\(generator.next() % 100_000)" }.joined(separator: " ") }
        let phrase = "the minister said on thursday that talks", passage = words(12)
        let a = words(40) + " " + phrase + " " + words(20) + " " + passage + " " + words(30)
        let b = words(30) + " " + phrase + " " + words(50)
        let c = words(10) + " " + passage + " " + words(10)
        Self.prints(a).withUnsafeBufferPointer { set.fill($0, document: 0) }
        #expect(Self.prints(b).withUnsafeBufferPointer { set.mayHavePassage($0, options: options) } == false)
        #expect(Self.prints(c).withUnsafeBufferPointer { set.mayHavePassage($0, options: options) })
        #expect(aligner.align(a, c).passages.count == 1)
    }

    @Test("boilerplate lines are the same for every thread count", arguments: [2, 5])
    func boilerplateThreads(threads: Int) {
        let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(documentCount: 400, seed: 9))
        let documents = corpus.documents.enumerated().map { number, document in
            Document(id: document.id, text: "Markets \(number % 3)\n" + String(decoding: document.utf8, as: UTF8.self)
                     + "\nComments (\(number % 2))\n© Copyright AFP 2024. All rights reserved.")
        }
        let options = BoilerplateOptions(minimumDocuments: 10, minimumFraction: 0.05)
        let one = BoilerplateLines(documents: documents, options: options, threads: 1)
        let many = BoilerplateLines(documents: documents, options: options, threads: threads)
        #expect(one.lines.count >= 6)
        #expect(many.lines == one.lines)
        #expect(one.lines.first == BoilerplateLines.Line(text: "© Copyright AFP 2024. All rights reserved.", documents: 400))
        let (blankedModel, blanked) = BoilerplateLines.blanking(documents, options: options, threads: threads)
        #expect(blankedModel.lines == one.lines)
        #expect(blanked.map(\.utf8) == documents.map { one.blanking($0.utf8) })
    }
}
