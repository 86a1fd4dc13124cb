import Testing
@testable import SimCore

@Suite("Key filters (blocked Bloom filters over a shard's prefixes)")
struct KeyFilterTests {
    /// Seeded: 25,000 keys in a filter made for them (16 bits a key), then 25,000 more (8 bits
    /// a key, its capacity). Design rates 0.3% and 3%; bounds 1% and 5% over 100,000 keys
    /// never inserted.
    @Test("no false negatives; false positives within bounds at 16 and at 8 bits a key")
    func rates() {
        var random = SplitMix64(seed: 7)
        let keys = (0..<50_000).map { _ in random.next() }
        let others = (0..<100_000).map { _ in random.next() }
        let filter = _KeyFilter(expectedKeys: 25_000)
        for key in keys[..<25_000] { filter.insert(key) }
        #expect(keys[..<25_000].allSatisfy { filter.view.mayContain($0) })
        let atMade = others.filter { filter.view.mayContain($0) }.count
        #expect(atMade < 1_000, "\(atMade) false positives of 100,000 at 16 bits a key")
        for key in keys[25_000...] { filter.insert(key) }
        #expect(filter.count == 50_000 && filter.capacity >= 50_000 && filter.capacity < 50_100)
        #expect(keys.allSatisfy { filter.view.mayContain($0) })
        let atCapacity = others.filter { filter.view.mayContain($0) }.count
        #expect(atCapacity < 5_000 && atCapacity > atMade, "\(atCapacity) false positives of 100,000 at 8 bits a key")
        // The view of no filter holds everything.
        #expect(others.allSatisfy { _KeyFilterView.all.mayContain($0) })
    }

    /// A filter filled region by region (``_KeyFilterFiller``) must hold exactly the bits and
    /// count of one filled by single inserts: filters of one block, at the direct limit (filled
    /// directly) and just past it (regions of 8 blocks); random prefixes, prefixes sharing low
    /// halves (as partition-local keys do), repeated prefixes and prefixes in key order;
    /// buffers flushed part-way and filled again.
    @Test("a filter filled region by region equals one filled by single inserts")
    func filler() {
        var random = SplitMix64(seed: 12)
        for expected in [10, _KeyFilterFiller.directBlockLimit * 32, _KeyFilterFiller.directBlockLimit * 32 + 100] {
            var prefixes = (0..<(expected * 3 / 4)).map { index -> UInt64 in
                switch index % 4 {
                case 0: random.next() & 0xFFFF_FFFF_0000_0000 | 0x1234_5678
                case 1: UInt64(index / 4)
                default: random.next()
                }
            }
            prefixes += prefixes.prefix(expected / 8)
            let single = _KeyFilter(expectedKeys: expected)
            for prefix in prefixes { single.insert(prefix) }
            let filled = _KeyFilter(expectedKeys: expected)
            let filler = _KeyFilterFiller(filling: filled)
            for prefix in prefixes[..<(prefixes.count / 3)] { filler.insert(prefix) }
            filler.flush()
            for prefix in prefixes[(prefixes.count / 3)...].sorted() { filler.insert(prefix) }
            filler.flush()
            #expect(filled.isIdentical(to: single), "\(expected) keys")
            #expect(filled.count == prefixes.count && prefixes.allSatisfy { filled.view.mayContain($0) })
        }
        // A filter with one more bit set differs.
        let a = _KeyFilter(expectedKeys: 100)
        let b = _KeyFilter(expectedKeys: 100)
        a.insert(1)
        b.insert(1)
        #expect(a.isIdentical(to: b))
        b.insert(2)
        #expect(!a.isIdentical(to: b))
    }

    @Test("a copy holds what the original held and nothing inserted into the original later")
    func copies() {
        let original = _KeyFilter(expectedKeys: 1_000)
        for key in 0..<UInt64(500) { original.insert(key) }
        let copy = _KeyFilter(copying: original)
        for key in 500..<UInt64(1_500) { original.insert(key) }
        #expect(copy.count == 500 && original.count == 1_500)
        #expect((0..<UInt64(500)).allSatisfy { copy.view.mayContain($0) })
        #expect((500..<UInt64(1_500)).filter { copy.view.mayContain($0) }.count < 100)
    }

    @Test("every block is one cache line: the blocks start on a 64-byte boundary, made or copied, small or of many pages")
    func blocksAreCacheLines() {
        for keys in [0, 1, 100, 10_000, 300_000, 3_000_000] {
            let made = _KeyFilter(expectedKeys: keys)
            let copy = _KeyFilter(copying: made)
            #expect(Int(bitPattern: made.view.words) % 64 == 0 && Int(bitPattern: copy.view.words) % 64 == 0, "\(keys) keys")
        }
    }

    /// Keys in batches of 1 to 3,000 and single inserts (so the filter is made anew many
    /// times, and the shard merges), then a copy that takes more keys.
    @Test("a filtered shard holds every key it filed, across growth, merges and copies", arguments: [64, 32])
    func shards(keyBits: Int) {
        var random = SplitMix64(seed: 19 &+ UInt64(keyBits))
        var shard = _PostingShard(keyBits: keyBits, filtered: true, mergeFloor: 256)
        var filed: [UInt64] = []
        var document: Int32 = 0
        while filed.count < 40_000 {
            let size = Int(random.next() % 3_000) + 1
            let batch = (0..<size).map { _ in random.next() }
            if random.next() % 4 == 0 {
                for key in batch { shard.insert(key: key, document: document) }
            } else {
                let documents = [Int32](repeating: document, count: size)
                batch.withUnsafeBufferPointer { k in documents.withUnsafeBufferPointer { shard.insert(keys: k, documents: $0) } }
            }
            filed += batch
            document += 1
        }
        // One more, into the recent table (whatever the last batch did).
        filed.append(random.next())
        shard.insert(key: filed[filed.count - 1], document: document)
        #expect(shard.layers.entryCount > 0 && shard.recent.entryCount > 0, "both kinds of layer in use")
        #expect(filed.allSatisfy { shard.view.mayHold(key: $0) })
        let absent = (0..<20_000).map { _ in random.next() }
        let passed = absent.filter { shard.view.mayHold(key: $0) }.count
        #expect(passed < 1_000, "\(passed) of 20,000 absent keys pass")
        // A filter held by one shard is written in place, not copied.
        let held = ObjectIdentifier(shard.filter!)
        let one = random.next()
        shard.insert(key: one, document: document)
        filed.append(one)
        #expect(ObjectIdentifier(shard.filter!) == held, "a uniquely held filter was copied")
        // A copy shares the filter until one of them inserts; then the copy has its own.
        var copy = shard
        #expect(copy.filter === shard.filter)
        let more = (0..<10).map { _ in random.next() }
        more.withUnsafeBufferPointer { k in [Int32](repeating: document, count: 10).withUnsafeBufferPointer { copy.insert(keys: k, documents: $0) } }
        #expect(copy.filter !== shard.filter)
        #expect((filed + more).allSatisfy { copy.view.mayHold(key: $0) })
        #expect(filed.allSatisfy { shard.view.mayHold(key: $0) })
        // A shard without a filter holds everything; given one from its entries, it holds
        // what it filed.
        var plain = _PostingShard(keyBits: keyBits)
        filed.withUnsafeBufferPointer { k in [Int32](repeating: 0, count: filed.count).withUnsafeBufferPointer { plain.insert(keys: k, documents: $0) } }
        #expect(plain.filter == nil && absent.allSatisfy { plain.view.mayHold(key: $0) })
        plain.addFilter()
        #expect(filed.allSatisfy { plain.view.mayHold(key: $0) })
        #expect(absent.filter { plain.view.mayHold(key: $0) }.count < 1_000)
    }

    /// 600 documents of 10 to 600 shingles (many size partitions), a third of them containing
    /// or contained in an earlier one; every document, and 100 never filed, queried both ways.
    @Test("a containment index finds the same candidates with and without its filters", arguments: [64, 32])
    func containmentCandidates(keyBits: Int) throws {
        let scheme = TestMinHash(signatureLength: 128, seed: 5)
        var random = SplitMix64(seed: 23 &+ UInt64(keyBits))
        var sets: [[UInt64]] = []
        for number in 0..<700 {
            let size = 10 + Int(random.next() % 591)
            if number % 3 == 0, let earlier = sets.last {
                // Inside an earlier set, or holding most of it.
                sets.append(random.next() % 2 == 0
                    ? Array(earlier.prefix(Swift.max(1, earlier.count * 9 / 10)))
                    : earlier + (0..<size).map { _ in random.next() })
            } else {
                sets.append((0..<size).map { _ in random.next() })
            }
        }
        func index(filtered: Bool) -> ContainmentIndex {
            var index = ContainmentIndex(
                signatureLength: 128, maximumRowsPerBand: 4, falsePositiveWeight: 0.1, falseNegativeWeight: 0.9, keyBits: keyBits,
                filtered: filtered)
            let signatures = SignatureMatrix(signatureLength: 128, values: sets[..<600].flatMap { scheme.signature(of: $0) })
            index.insert(contentsOf: signatures, sizes: sets[..<600].map { Set($0).count }, threads: 2)
            return index
        }
        let filtered = index(filtered: true)
        let plain = index(filtered: false)
        #expect(filtered.tables.allSatisfy { $0.filter != nil } && plain.tables.allSatisfy { $0.filter == nil })
        // Shards read from a file come without filters: restoring builds them.
        var restored = ContainmentIndex(
            signatureLength: 128, maximumRowsPerBand: 4, falsePositiveWeight: 0.1, falseNegativeWeight: 0.9, keyBits: keyBits,
            filtered: false)
        try restored.restore(shards: plain.tables, sizes: sets[..<600].map { Set($0).count }, filedRows: (0..<600).map(Int32.init))
        #expect(restored.tables.allSatisfy { $0.filter != nil })
        var found = 0
        for set in sets {
            let query = scheme.signature(of: set)
            for direction in [ContainmentIndex.Direction.either, .queryInDocument] {
                let candidates = filtered.candidates(for: query, size: Set(set).count, threshold: 0.8, direction: direction)
                #expect(candidates == plain.candidates(for: query, size: Set(set).count, threshold: 0.8, direction: direction))
                #expect(candidates == restored.candidates(for: query, size: Set(set).count, threshold: 0.8, direction: direction))
                found += candidates.count
            }
        }
        #expect(found > 1_400, "\(found) candidates: the queries find their own documents and others")
        // A query larger than any filed document has no partition of its own: no trap, and the
        // same candidates.
        let huge = Int(Int32.max) + 5
        let query = scheme.signature(of: sets[0])
        #expect(filtered.candidates(for: query, size: huge, threshold: 0.8) == plain.candidates(for: query, size: huge, threshold: 0.8))
    }
}
