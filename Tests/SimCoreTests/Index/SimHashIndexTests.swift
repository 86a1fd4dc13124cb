import Testing
@testable import SimCore

@Suite("SimHashIndex")
struct SimHashIndexTests {
    @Test("table count is C(B, d) and every table keys on B − d blocks")
    func tables() {
        let index = SimHashIndex(maximumDistance: 3, blockCount: 5)
        #expect(index.tableMasks.count == 10)
        #expect(Set(index.tableMasks.map(\.nonzeroBitCount)) == [25, 26])
        #expect(SimHashIndex(maximumDistance: 2, blockCount: 3).tableMasks.count == 3)
    }

    @Test("neighbors equal brute force (seeded)", arguments: [(3, 4), (3, 5), (2, 6), (0, 1)])
    func bruteForce(distance: Int, blocks: Int) {
        let seed: UInt64 = 77
        var generator = SplitMix64(seed: seed)
        var index = SimHashIndex(maximumDistance: distance, blockCount: blocks)
        var fingerprints: [UInt64] = []
        for i in 0..<2_000 {
            var value = generator.next()
            if i % 2 == 1 {
                value = fingerprints[i - 1]
                for _ in 0..<Int(generator.next() % UInt64(distance + 3)) { value ^= 1 << (generator.next() % 64) }
            }
            fingerprints.append(value)
            index.insert(value)
        }
        index.remove(10)
        for query in fingerprints.prefix(300) {
            let expected = fingerprints.indices.filter { $0 != 10 && (fingerprints[$0] ^ query).nonzeroBitCount <= distance }
            let found = index.neighbors(of: query)
            #expect(found.map(\.document) == expected, "seed \(seed), d=\(distance) B=\(blocks)")
            #expect(found.allSatisfy { $0.distance == (fingerprints[$0.document] ^ query).nonzeroBitCount })
        }
    }
}
