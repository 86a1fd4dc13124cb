import Testing
@testable import SimCore

@Suite("Posting shards (compact and recent layers)")
struct PostingShardTests {
    /// What a lookup of `key` must return: every document filed under a key with the same top
    /// `keyBits` bits, as a sorted multiset.
    static func expected(_ filed: [(key: UInt64, document: Int32)], key: UInt64, keyBits: Int) -> [Int32] {
        let shift = UInt64(64 - keyBits)
        return filed.filter { keyBits == 64 ? $0.key == key : $0.key >> shift == key >> shift }.map(\.document).sorted()
    }

    static func lookup(_ shard: _PostingShard, _ key: UInt64) -> [Int32] {
        var found: [Int32] = []
        shard.forEachDocument(withKey: key) { found.append($0) }
        return found.sorted()
    }

    /// Keys that repeat (several documents per key), share their top 32 bits without being
    /// equal, or are spread over all 64 bits.
    static func keys(count: Int, seed: UInt64) -> [UInt64] {
        var random = SplitMix64(seed: seed)
        var keys: [UInt64] = []
        for _ in 0..<count {
            switch random.next() % 4 {
            case 0 where !keys.isEmpty: keys.append(keys[Int(random.next() % UInt64(keys.count))])
            case 1 where !keys.isEmpty: keys.append(keys[Int(random.next() % UInt64(keys.count))] ^ (random.next() & 0xFFFF))
            default: keys.append(random.next())
            }
        }
        return keys
    }

    @Test("single inserts, batches and merges agree with a brute-force multimap", arguments: [64, 32])
    func agreesWithBruteForce(keyBits: Int) {
        let seed: UInt64 = 41
        let keys = Self.keys(count: 60_000, seed: seed)
        var shard = _PostingShard(keyBits: keyBits)
        var filed: [(key: UInt64, document: Int32)] = []
        var document: Int32 = 0
        var position = 0
        var random = SplitMix64(seed: seed ^ 0x5EED)
        // Batches of 1 to 5,000 entries, some single inserts, documents not decreasing (a
        // document may be filed under several keys), so the shard merges many times.
        while position < keys.count {
            let size = Swift.min(keys.count - position, Int(random.next() % 5_000) + 1)
            if random.next() % 3 == 0 {
                for key in keys[position..<position + size] {
                    shard.insert(key: key, document: document)
                    filed.append((key, document))
                    if random.next() % 2 == 0 { document += 1 }
                }
            } else {
                var documents: [Int32] = []
                for _ in 0..<size {
                    documents.append(document)
                    if random.next() % 2 == 0 { document += 1 }
                }
                let batch = Array(keys[position..<position + size])
                batch.withUnsafeBufferPointer { k in documents.withUnsafeBufferPointer { shard.insert(keys: k, documents: $0) } }
                filed += zip(batch, documents).map { ($0, $1) }
            }
            position += size
        }
        #expect(shard.entryCount == filed.count, "seed \(seed)")
        #expect(shard.frozen.count > 0 && shard.recent.entryCount > 0, "both layers in use")
        let probes = keys.enumerated().filter { $0.offset % 97 == 0 }.map(\.element) + [0, .max, 12_345]
        for key in probes {
            #expect(Self.lookup(shard, key) == Self.expected(filed, key: key, keyBits: keyBits), "key \(key), seed \(seed)")
        }
        let sorted = filed.map { _PostingEntry(prefix: shard.prefix(of: $0.key), document: UInt32($0.document)) }
            .sorted { ($0.prefix, $0.document) < ($1.prefix, $1.document) }
        #expect(shard.sortedEntries == sorted)
        shard.compact()
        #expect(shard.recent.entryCount == 0 && shard.frozen.count == filed.count)
        for key in probes {
            #expect(Self.lookup(shard, key) == Self.expected(filed, key: key, keyBits: keyBits), "after compact: key \(key)")
        }
    }

    @Test("frozen layers at the edges: empty, one entry, long runs in one bucket, long stretches of empty buckets")
    func frozenEdges() {
        for count in [0, 1, 2, 3, 64, 65, 200, 5_000] {
            // Half the keys in one bucket (small values: top bits 0), the rest spread: runs of
            // ones longer than a word and directory blocks with no entry.
            var random = SplitMix64(seed: UInt64(count))
            var filed: [(key: UInt64, document: Int32)] = []
            for document in 0..<count {
                filed.append((document % 2 == 0 ? UInt64(document % 7) : random.next(), Int32(document)))
            }
            let entries = filed.map { _PostingEntry(prefix: $0.key, document: UInt32($0.document)) }
                .sorted { ($0.prefix, $0.document) < ($1.prefix, $1.document) }
            let frozen = _FrozenPostings(keyBits: 64, count: entries.count, documentLimit: Swift.max(1, count)) { writer in
                for entry in entries { writer.append(prefix: entry.prefix, document: entry.document) }
            }
            let shard = _PostingShard(frozen: frozen)
            #expect(shard.sortedEntries == entries, "count \(count)")
            for key in filed.map(\.key) + [0, 6, 7, .max] {
                #expect(Self.lookup(shard, key) == Self.expected(filed, key: key, keyBits: 64), "count \(count), key \(key)")
            }
        }
    }

    @Test("a shard saved and read back is the same; bad postings are refused", arguments: [64, 32])
    func persistence(keyBits: Int) throws {
        var shard = _PostingShard(keyBits: keyBits)
        let keys = Self.keys(count: 3_000, seed: 7)
        for (document, key) in keys.enumerated() { shard.insert(key: key, document: Int32(document / 2)) }
        var writer = _BinaryWriter()
        shard.write(to: &writer)
        let bytes = writer.bytes
        let read = try bytes.withUnsafeBytes { raw in
            var reader = _BinaryReader(bytes: raw)
            return try _PostingShard(reading: &reader, keyBits: keyBits, documentLimit: 1_500)
        }
        #expect(read.sortedEntries == shard.sortedEntries)
        for key in keys.prefix(200) { #expect(Self.lookup(read, key) == Self.lookup(shard, key)) }

        func refuses(_ bytes: [UInt8], keyBits: Int = keyBits, documentLimit: Int = 1_500) -> Bool {
            bytes.withUnsafeBytes { raw in
                var reader = _BinaryReader(bytes: raw)
                do {
                    _ = try _PostingShard(reading: &reader, keyBits: keyBits, documentLimit: documentLimit)
                    return false
                } catch { return error is IndexFileError }
            }
        }
        #expect(refuses(bytes, keyBits: keyBits == 64 ? 32 : 64), "other key bits")
        #expect(refuses(bytes, documentLimit: 1_000), "documents past the limit")
        var entries = shard.sortedEntries
        entries.swapAt(10, 2_000)
        var unordered = _BinaryWriter()
        unordered.write(UInt64(keyBits))
        if keyBits <= 32 {
            unordered.write(array: entries.map { UInt32(truncatingIfNeeded: $0.prefix) })
        } else {
            unordered.write(array: entries.map(\.prefix))
        }
        unordered.write(array: entries.map(\.document))
        #expect(refuses(unordered.bytes), "entries out of order")
        var badBits = bytes
        badBits[7] = 0x80
        #expect(refuses(badBits), "a key-bit count past 64")
        #expect(refuses(Array(bytes.dropLast(3))), "truncated")
    }
}
