import Testing
@testable import SimCore

/// The engine's per-document arrays kept narrow: set sizes as bits, verified pairs in 16 bytes.
@Suite("Compact per-document state")
struct CompactDocumentStateTests {
    @Test("set sizes kept as bits read back as they came, and turn into counts at the first count above 1, across words")
    func setSizes() {
        var random = SplitMix64(seed: 3)
        let bits = (0..<1_000).map { _ in Int(random.next() % 2) }
        var sizes = _SetSizes()
        // Appends of 1, 63, 64 and the rest straddle the 64-bit words.
        for range in [0..<1, 1..<64, 64..<128, 128..<1_000] { sizes.append(contentsOf: bits[range]) }
        #expect(sizes.isBits && sizes.count == 1_000)
        #expect(Array(sizes) == bits)
        #expect(sizes.byteCount == 16 * 8)
        let counts = [0, 7, 1, 2_147_483_646]
        sizes.append(contentsOf: counts)
        #expect(!sizes.isBits && sizes.count == 1_004)
        #expect(Array(sizes) == bits + counts)
        #expect(sizes.byteCount == 1_004 * 4)
        sizes.append(contentsOf: [1, 0])
        #expect(Array(sizes.suffix(3)) == [2_147_483_646, 1, 0])
        var empty = _SetSizes()
        empty.append(contentsOf: [Int]())
        #expect(empty.isEmpty && empty.isBits && empty.byteCount == 0)
    }

    @Test("verified pairs kept in 16 bytes, in pages, read back as the pairs appended")
    func verifiedPairs() {
        let pairs = [
            SimilarPair(first: 0, second: 1, similarity: 0.8),
            SimilarPair(first: 5, second: Int(Int32.max), similarity: 1),
            SimilarPair(first: 3, second: 4, similarity: 0.812_345_678_901_234_5),
        ]
        var kept = _VerifiedPairs()
        for pair in pairs { kept.append(pair) }
        #expect(Array(kept) == pairs)
        #expect(Array(_VerifiedPairs(pairs)) == pairs)
        // 16 bytes a pair, in pages whose first one starts at 16 places.
        #expect(kept.byteCount == 16 * 16)
        for index in 3..<70_000 { kept.append(SimilarPair(first: index, second: index + 1, similarity: 0.9)) }
        #expect(kept.count == 70_000 && kept[69_999].second == 70_000)
        #expect(kept.byteCount == 2 * 65_536 * 16)
    }
}
