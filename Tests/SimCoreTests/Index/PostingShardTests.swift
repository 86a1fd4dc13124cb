import Testing
@testable import SimCore

@Suite("Posting shards (compact layers and a recent one)")
struct PostingShardTests {
    /// The brute-force reference: a dictionary from each key's top `keyBits` bits to the
    /// documents filed under it. A lookup of `key` must return its list, as a sorted multiset.
    struct Multimap {
        let keyBits: Int
        var lists: [UInt64: [Int32]] = [:]

        init(keyBits: Int, _ filed: [(key: UInt64, document: Int32)] = []) {
            self.keyBits = keyBits
            for entry in filed { file(entry.key, entry.document) }
        }

        func prefix(_ key: UInt64) -> UInt64 { keyBits == 64 ? key : key >> UInt64(64 - keyBits) }

        mutating func file(_ key: UInt64, _ document: Int32) { lists[prefix(key), default: []].append(document) }

        func documents(_ key: UInt64) -> [Int32] { (lists[prefix(key)] ?? []).sorted() }
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
        #expect(shard.layers.entryCount > 0 && shard.recent.entryCount > 0, "both kinds of layer in use")
        let probes = keys.enumerated().filter { $0.offset % 97 == 0 }.map(\.element) + [0, .max, 12_345]
        let reference = Multimap(keyBits: keyBits, filed)
        for key in probes {
            #expect(Self.lookup(shard, key) == reference.documents(key), "key \(key), seed \(seed)")
        }
        let sorted = filed.map { _PostingEntry(prefix: shard.prefix(of: $0.key), document: UInt32($0.document)) }
            .sorted { ($0.prefix, $0.document) < ($1.prefix, $1.document) }
        #expect(shard.sortedEntries == sorted)
        shard.compact()
        #expect(shard.recent.entryCount == 0 && shard.layers.layers.map(\.count) == [filed.count])
        for key in probes {
            #expect(Self.lookup(shard, key) == reference.documents(key), "after compact: key \(key)")
        }
    }

    /// The frozen layer sizes, oldest first.
    static func layerSizes(_ shard: _PostingShard) -> [Int] { shard.layers.layers.map(\.count) }

    @Test("the merge policy, single inserts with a merge floor of 4: exact layer sizes")
    func mergePolicyExact() {
        // Worked by hand from the policy (recent threshold max(4, frozen/4); the newest layer
        // joins the run while it holds fewer than 4 times the run): a run of 4 stays beside a
        // layer of 16 or more; from 20 entries the threshold grows (5, 6, 7, 9, 11, 14), and each
        // second run takes in the run before it and the oldest layer.
        let expected: [Int: [Int]] = [
            4: [4], 8: [8], 12: [12], 16: [16], 20: [16, 4], 25: [25], 31: [25, 6], 38: [38], 47: [38, 9], 58: [58],
        ]
        var shard = _PostingShard(keyBits: 32, mergeFloor: 4)
        var sizes: [Int: [Int]] = [:]
        var previous: [Int] = []
        for document in 0..<60 {
            shard.insert(key: UInt64(document % 7) << 40, document: Int32(document))
            let now = Self.layerSizes(shard)
            if now != previous { sizes[document + 1] = now }
            previous = now
        }
        #expect(sizes == expected)
        #expect(shard.entryCount == 60 && shard.recent.entryCount == 2)
        #expect(Self.lookup(shard, 3 << 40) == Array(stride(from: 3, to: 60, by: 7)).map(Int32.init))
        // An exact shard merges at recent == frozen: it always keeps one layer.
        var exact = _PostingShard(keyBits: 64, mergeFloor: 4)
        for document in 0..<60 {
            exact.insert(key: UInt64(document % 7), document: Int32(document))
            #expect(Self.layerSizes(exact).count <= 1, "after \(document + 1) entries")
        }
        #expect(Self.layerSizes(exact) == [32] && exact.recent.entryCount == 28)
    }

    @Test("several frozen layers: lookups agree with a brute-force multimap across many merges", arguments: [64, 32, 12])
    func layeredAgreesWithBruteForce(keyBits: Int) {
        let seed: UInt64 = 20_261_130 &+ UInt64(keyBits)
        let keys = Self.keys(count: 12_000, seed: seed)
        // Runs of at most 64 entries (the ceiling) once the shard holds 256, so layers pile up
        // as they do past a quarter of a million entries with the default 2¹⁶; an exact
        // shard's runs reach their ceiling of 512 (16 × 32) at 1,024 entries, and its layers
        // pile up past that.
        var shard = _PostingShard(keyBits: keyBits, mergeFloor: 16, mergeCeiling: keyBits == 64 ? 32 : 64)
        var filed: [(key: UInt64, document: Int32)] = []
        var random = SplitMix64(seed: seed ^ 0xBA7C)
        var document: Int32 = 0
        var position = 0
        var mostLayers = 0
        var merges = 0
        var reference = Multimap(keyBits: keyBits)
        while position < keys.count {
            let size = Swift.min(keys.count - position, Int(random.next() % 300) + 1)
            let before = Self.layerSizes(shard)
            let filedBefore = filed.count
            if random.next() % 2 == 0 {
                for key in keys[position..<position + size] {
                    shard.insert(key: key, document: document)
                    filed.append((key, document))
                    if random.next() % 3 != 0 { document += 1 }
                }
            } else {
                var documents: [Int32] = []
                for _ in 0..<size {
                    documents.append(document)
                    if random.next() % 3 != 0 { document += 1 }
                }
                let batch = Array(keys[position..<position + size])
                batch.withUnsafeBufferPointer { k in documents.withUnsafeBufferPointer { shard.insert(keys: k, documents: $0) } }
                filed += zip(batch, documents).map { ($0, $1) }
            }
            position += size
            for entry in filed[filedBefore...] { reference.file(entry.key, entry.document) }
            let sizes = Self.layerSizes(shard)
            if sizes != before { merges += 1 }
            mostLayers = Swift.max(mostLayers, sizes.count)
            // Each layer at least 4 times the next, never an empty one.
            for i in sizes.indices.dropFirst() {
                #expect(sizes[i] > 0 && sizes[i - 1] >= _PostingShard.layerRatio * sizes[i], "layers \(sizes), seed \(seed)")
            }
            #expect(shard.entryCount == filed.count, "seed \(seed)")
            // Probe a few keys after each step: some just filed, some older, one absent.
            for key in [keys[position - size], keys[position - 1], keys[Int(random.next() % UInt64(position))], random.next()] {
                #expect(Self.lookup(shard, key) == reference.documents(key), "key \(key), seed \(seed)")
            }
        }
        if keyBits == 64 {
            #expect(mostLayers >= 2 && merges >= 15, "an exact shard's runs past its ceiling: layers \(mostLayers), merges \(merges)")
        } else {
            #expect(mostLayers >= 3 && merges >= 20, "layers \(mostLayers), merges \(merges), seed \(seed)")
        }
        let sorted = filed.map { _PostingEntry(prefix: shard.prefix(of: $0.key), document: UInt32($0.document)) }
            .sorted { ($0.prefix, $0.document) < ($1.prefix, $1.document) }
        #expect(shard.sortedEntries == sorted, "seed \(seed)")
        let copy = shard
        shard.compact()
        #expect(Self.layerSizes(shard) == [filed.count] && shard.recent.entryCount == 0)
        #expect(shard.sortedEntries == sorted)
        for key in keys.enumerated().filter({ $0.offset % 101 == 0 }).map(\.element) {
            let want = reference.documents(key)
            #expect(Self.lookup(shard, key) == want && Self.lookup(copy, key) == want, "after compact: key \(key), seed \(seed)")
        }
    }

    @Test("a merge empties a truncated shard's recent table in place (an exact shard's starts small again), unless another copy of the shard reads it",
          arguments: [64, 32])
    func mergeKeepsTheRecentTable(keyBits: Int) {
        let keys = Self.keys(count: 12_000, seed: 3_122_026 &+ UInt64(keyBits))
        var shard = _PostingShard(keyBits: keyBits, mergeFloor: 16, mergeCeiling: 64)
        var reference = Multimap(keyBits: keyBits)
        var document: Int32 = 0
        var position = 0
        // Files the next `count` keys: as a batch finding earlier documents (a document per
        // key) when `finding`, else one by one (a new document every other key).
        func file(_ count: Int, finding: Bool) {
            let batch = Array(keys[position..<position + count])
            let documents = (0..<count).map { document + Int32(finding ? $0 : $0 / 2) }
            if finding {
                _ = batch.withUnsafeBufferPointer { k in
                    documents.withUnsafeBufferPointer { d in
                        shard.insertFindingEarlier(keys: k, documents: d, firstDocument: document, rowCount: count)
                    }
                }
            } else {
                for (key, filed) in zip(batch, documents) { shard.insert(key: key, document: filed) }
            }
            for (key, filed) in zip(batch, documents) { reference.file(key, filed) }
            document = documents[count - 1] + 1
            position += count
        }
        func agrees(_ copy: _PostingShard, _ expected: Multimap) -> Bool {
            keys[..<position].enumerated().allSatisfy { $0.offset % 7 != 0 || Self.lookup(copy, $0.element) == expected.documents($0.element) }
                && Self.lookup(copy, 0x0123_4567_89AB_CDEF) == expected.documents(0x0123_4567_89AB_CDEF)
        }
        // Past the first merges, where the recent table has grown to its size for a while.
        file(1_500, finding: false)
        for finding in [false, true, false, true] {
            let table = ObjectIdentifier(shard.recent)
            let slots = shard.recent.slotCount
            let layers = Self.layerSizes(shard)
            // Single inserts or a batch finding earlier documents, up to past the next merge.
            var merged = false
            while !merged {
                file(8, finding: finding)
                merged = Self.layerSizes(shard) != layers
            }
            if keyBits < 64 {
                #expect(ObjectIdentifier(shard.recent) == table && shard.recent.slotCount >= slots,
                        "\(keyBits) key bits, finding \(finding): the merge made a new recent table")
            } else {
                #expect(shard.recent.slotCount == 16, "exact shard, finding \(finding): the merge kept a table of \(shard.recent.slotCount) slots")
            }
            #expect(shard.recent.entryCount < 8 && shard.recent.entryCount == shard.entryCount - Self.layerSizes(shard).reduce(0, +))
            #expect(agrees(shard, reference), "\(keyBits) key bits, finding \(finding)")
        }
        // A copy taken before a merge keeps what it held, whether the shard's recent table was
        // copied by an insert first or merged at once by a batch that reaches the threshold;
        // the shard that merged holds its own table from then on.
        for way in 0..<3 {
            let copy = shard
            let copied = reference
            let layers = Self.layerSizes(shard)
            if way == 2 {
                let count = shard.mergeThreshold
                let batch = Array(keys[position..<position + count])
                let documents = (0..<count).map { document + Int32($0) }
                batch.withUnsafeBufferPointer { k in documents.withUnsafeBufferPointer { shard.insert(keys: k, documents: $0) } }
                for (key, filed) in zip(batch, documents) { reference.file(key, filed) }
                document += Int32(count)
                position += count
            }
            while Self.layerSizes(shard) == layers { file(8, finding: way == 1) }
            #expect(ObjectIdentifier(shard.recent) != ObjectIdentifier(copy.recent))
            #expect(agrees(copy, copied), "\(keyBits) key bits, way \(way): the copy changed with the shard's merge")
        }
        #expect(agrees(shard, reference), "\(keyBits) key bits")
        // A compaction leaves a small table.
        shard.compact()
        #expect(shard.recent.entryCount == 0 && shard.recent.slotCount == 16 && agrees(shard, reference))
    }

    @Test("the recent table hands back its entries sorted, and finds every key after its doublings: keys displaced by probing, keys wrapped past the last slot, long lists, wide keys sharing a low word; a key's one document in its slot",
          arguments: [64, 32, 12])
    func recentSortedEntries(keyBits: Int) {
        var random = SplitMix64(seed: 4_242 &+ UInt64(keyBits))
        let limit: UInt64 = keyBits == 64 ? .max : (1 << UInt64(keyBits)) - 1
        for size in [0, 1, 7, 100, 5_000, 40_000] {
            let table = _RecentPostings(keyBits: keyBits)
            var reference: [_PostingEntry] = []
            var keys: [UInt64] = []
            var filedUnder: [UInt64: [Int32]] = [:]
            var wrongEarlier = 0
            for document in 0..<Int32(size) {
                let key: UInt64
                switch random.next() % 8 {
                // Near the top of the range: homes in the last slots, so probing wraps.
                case 0: key = limit - random.next() % 64
                // Runs of neighbouring keys: one home, displaced by probing.
                case 1 where !keys.isEmpty: key = Swift.min(limit, keys[Int(random.next() % UInt64(keys.count))] &+ random.next() % 4)
                // A key filed again: its list grows.
                case 2 where !keys.isEmpty: key = keys[Int(random.next() % UInt64(keys.count))]
                // A wide key that shares another's low word and home (top bits), differing in
                // its high word only.
                case 3 where keyBits > 32 && !keys.isEmpty:
                    key = keys[Int(random.next() % UInt64(keys.count))] ^ (1 << UInt64(32 + random.next() % 15))
                default: key = random.next() & limit
                }
                keys.append(key)
                // The head handed back reads the key's earlier documents, latest first: none,
                // the one kept in the slot, or a list.
                let previous = table.insert(key: key, document: document)
                var earlier: [Int32] = []
                table.view.forEachDocument(fromEntry: previous) { earlier.append($0) }
                if earlier != (filedUnder[key] ?? []).reversed() { wrongEarlier += 1 }
                filedUnder[key, default: []].append(document)
                reference.append(_PostingEntry(prefix: key, document: UInt32(document)))
            }
            #expect(wrongEarlier == 0, "\(keyBits) key bits, \(size) entries: \(wrongEarlier) inserts read other earlier documents")
            // Only keys filed more than once take entries (2 for the second document, 1 for each
            // after it): the entries' capacity is the first power of two ≥ 16 that holds them.
            let listed = filedUnder.values.reduce(0) { $0 + ($1.count > 1 ? $1.count : 0) }
            var capacity = 16
            while capacity < listed { capacity *= 2 }
            #expect(table.byteCount == table.slotCount * (keyBits > 32 ? 12 : 8) + capacity * 8, "\(keyBits) key bits, \(size) entries")
            reference.sort { ($0.prefix, $0.document) < ($1.prefix, $1.document) }
            #expect(table.sortedEntries == reference, "\(keyBits) key bits, \(size) entries")
            #expect(_RecentPostings(copying: table).sortedEntries == reference, "\(keyBits) key bits, \(size) entries")
            // Every key is found from its home after the doublings (growSlots files every key
            // again), with its documents latest first.
            let byKey = Dictionary(grouping: reference, by: \.prefix)
            let view = table.view
            var wrong = 0
            for (key, entries) in byKey {
                var found: [UInt32] = []
                view.forEachDocument(withKey: key) { found.append(UInt32($0)) }
                if found != entries.map(\.document).reversed() { wrong += 1 }
            }
            #expect(wrong == 0, "\(keyBits) key bits, \(size) entries: \(wrong) keys not found as filed")
        }
    }

    @Test("a batch filed finding earlier documents finds, for each row, the documents filed before it under its key (the entry that finds), across merges within the batch",
          arguments: [64, 32, 12])
    func findingEarlierAgreesWithBruteForce(keyBits: Int) {
        let seed: UInt64 = 30_112_026 &+ UInt64(keyBits)
        let keys = Self.keys(count: 20_000, seed: seed)
        // A merge floor of 16 and ceiling of 64: batches of up to 400 entries cross several
        // merges each (an exact shard merges whenever its recent table reaches its frozen size).
        var shard = _PostingShard(keyBits: keyBits, mergeFloor: 16, mergeCeiling: 64)
        var reference = Multimap(keyBits: keyBits)
        var random = SplitMix64(seed: seed ^ 0xF11E)
        var document: Int32 = 0
        var position = 0
        var rowsFound = 0
        var rowsOverflowed = 0
        var mergesInBatch = 0
        while position < keys.count {
            let size = Swift.min(keys.count - position, Int(random.next() % 400) + 1)
            var batch = Array(keys[position..<position + size])
            position += size
            // Now and then a hot key: filed under more documents than a row keeps.
            if random.next() % 16 == 0 { batch = batch.map { random.next() % 2 == 0 ? 0x5EED_5EED : $0 } }
            switch random.next() % 4 {
            case 0:
                // Plain inserts between the batches that find (some documents under two keys).
                for key in batch {
                    shard.insert(key: key, document: document)
                    reference.file(key, document)
                    if random.next() % 4 != 0 { document += 1 }
                }
                document += 1
            default:
                // Increasing documents from `first` on, some rows skipped (empty documents). In
                // half the batches a document has 1 to 3 entries, of which one or none finds
                // (`finds`, as a containment index files them).
                let first = document
                let masked = random.next() % 2 == 0
                var documents: [Int32] = []
                var finds: [Bool] = []
                while documents.count < size {
                    document += random.next() % 8 == 0 ? 2 : 1
                    let entries = masked ? Swift.min(size - documents.count, 1 + Int(random.next() % 3)) : 1
                    let finder = masked ? Int(random.next() % UInt64(entries + 1)) : 0
                    for entry in 0..<entries {
                        documents.append(document - 1)
                        finds.append(entry == finder)
                    }
                }
                let rowCount = Int(document - first) + Int(random.next() % 3)
                document = first + Int32(rowCount)
                var expected = [[Int32]](repeating: [], count: rowCount)
                for (entry, (key, filed)) in zip(batch, documents).enumerated() {
                    if finds[entry] { expected[Int(filed - first)] = reference.documents(key) }
                    reference.file(key, filed)
                }
                let layersBefore = Self.layerSizes(shard)
                let found = batch.withUnsafeBufferPointer { k in
                    documents.withUnsafeBufferPointer { d in
                        finds.withUnsafeBufferPointer {
                            shard.insertFindingEarlier(
                                keys: k, documents: d, firstDocument: first, rowCount: rowCount, finds: masked ? $0 : nil)
                        }
                    }
                }
                if Self.layerSizes(shard) != layersBefore { mergesInBatch += 1 }
                #expect(found.rowStarts.count == rowCount + 1, "seed \(seed)")
                // A row past the limit is overflowed and keeps nothing; the others keep all.
                let overflowed = Set(found.overflowRows.map(Int.init))
                for row in 0..<rowCount {
                    var got: [Int32] = []
                    found.forEachDocument(ofRow: row) { got.append($0) }
                    let over = expected[row].count > _PostingShard.foundLimit
                    #expect(overflowed.contains(row) == over, "row \(row), seed \(seed)")
                    #expect(got.sorted() == (over ? [] : expected[row]), "row \(row), seed \(seed)")
                    if !got.isEmpty { rowsFound += 1 }
                    if over { rowsOverflowed += 1 }
                }
            }
            #expect(shard.entryCount == reference.lists.values.reduce(0) { $0 + $1.count }, "seed \(seed)")
            for key in [batch[0], batch[size - 1], random.next()] {
                #expect(Self.lookup(shard, key) == reference.documents(key), "key \(key), seed \(seed)")
            }
        }
        // An exact shard doubles its one layer at each merge (about 10 merges in 20,000
        // entries); the others merge every 64 entries once past 512.
        print("finding earlier, \(keyBits) key bits: rows with earlier documents \(rowsFound), overflowed \(rowsOverflowed), batches that merged \(mergesInBatch)")
        #expect(rowsFound > 1_000 && rowsOverflowed > 100 && mergesInBatch >= (keyBits == 64 ? 5 : 20),
                "rows \(rowsFound), overflowed \(rowsOverflowed), batches that merged \(mergesInBatch)")
    }

    @Test("a batched lookup over several shards returns what one lookup per shard returns", arguments: [64, 32, 12])
    func batchedLookupAgrees(keyBits: Int) {
        let seed: UInt64 = 7_700 &+ UInt64(keyBits)
        var random = SplitMix64(seed: seed)
        // Five shards of 0 to 4,000 entries (several frozen layers each, and an empty shard).
        var shards: [_PostingShard] = []
        var keysByShard: [[UInt64]] = []
        for shard in 0..<5 {
            var postings = _PostingShard(keyBits: keyBits, mergeFloor: 16, mergeCeiling: 64)
            let keys = Self.keys(count: shard * 1_000, seed: seed &+ UInt64(shard))
            for (document, key) in keys.enumerated() { postings.insert(key: key, document: Int32(document / 2)) }
            shards.append(postings)
            keysByShard.append(keys)
        }
        #expect(shards.map { $0.layers.layers.count }.max()! >= (keyBits == 64 ? 1 : 3), "seed \(seed)")
        let collector = _CandidateCollector(shards: shards)
        for _ in 0..<300 {
            // Per shard, a filed key (or a key sharing its top bits), or a random one.
            let query = keysByShard.map { keys in
                keys.isEmpty || random.next() % 4 == 0 ? random.next() : keys[Int(random.next() % UInt64(keys.count))] ^ (random.next() & 0xFF)
            }
            var batched: [Int32] = []
            query.withUnsafeBufferPointer { keys in
                _ShardView.forEachDocument(in: collector.views, withKeys: keys, scratch: collector.scratch) { batched.append($0) }
            }
            var single: [Int32] = []
            for (shard, key) in zip(shards, query) { shard.forEachDocument(withKey: key) { single.append($0) } }
            #expect(batched.sorted() == single.sorted(), "query \(query), seed \(seed)")
        }
    }

    @Test("packed values appended one by one read back at every width, whether the last value fills, spills past or ends inside a word",
          arguments: [1, 7, 19, 32, 44, 63, 64])
    func packedValuesRoundTrip(width: Int) {
        var random = SplitMix64(seed: UInt64(width))
        let mask = width == 64 ? UInt64.max : (1 << UInt64(width)) - 1
        for count in [0, 1, 2, 3, 63, 64, 65, 129, 1_000] {
            let values = (0..<count).map { index in index % 5 == 0 ? mask : random.next() & mask }
            // Words for the values plus two of padding, filled with ones first: the appender
            // must store whole words, not OR into zeros.
            let words = (count * width + 63) / 64 + 2
            let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
            defer { buffer.deallocate() }
            buffer.initialize(repeating: .max, count: words)
            var appender = _BitAppender(words: buffer)
            for value in values { appender.append(value, width: width) }
            appender.finish()
            let read = (0..<count).map { _PackedBits.value(buffer, index: $0, width: width) }
            #expect(read == values, "width \(width), count \(count)")
            // Every bit from the first value to the last, read as windows at every shift.
            for bit in stride(from: 0, to: count * width, by: 13) {
                let expected = (0..<64).reduce(UInt64(0)) { window, offset in
                    let position = bit + offset
                    guard position < count * width else { return window | (buffer[position / 64] >> UInt64(position % 64) & 1) << UInt64(offset) }
                    let value = values[position / width] >> UInt64(position % width) & 1
                    return window | value << UInt64(offset)
                }
                #expect(_PackedBits.window(buffer, bit: bit) == expected, "width \(width), count \(count), bit \(bit)")
            }
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
            let reference = Multimap(keyBits: 64, filed)
            #expect(shard.sortedEntries == entries, "count \(count)")
            for key in filed.map(\.key) + [0, 6, 7, .max] {
                #expect(Self.lookup(shard, key) == reference.documents(key), "count \(count), key \(key)")
            }
        }
    }

    @Test("a merge by the C kernel writes, bit for bit, the layer that appending the merged entries one by one writes",
          arguments: [64, 33, 32, 12, 1])
    func mergeKernelAgreesWithAppends(keyBits: Int) {
        var random = SplitMix64(seed: 12_032_026 &+ UInt64(keyBits))
        let mask: UInt64 = keyBits == 64 ? .max : (1 << UInt64(keyBits)) - 1
        // Sorted entries with repeated prefixes and repeated (prefix, document) pairs, documents
        // below `limit`.
        func entries(_ count: Int, limit: Int) -> [_PostingEntry] {
            var made: [_PostingEntry] = []
            for _ in 0..<count {
                let prefix = !made.isEmpty && random.next() % 4 == 0 ? made[Int(random.next() % UInt64(made.count))].prefix : random.next() & mask
                made.append(_PostingEntry(prefix: prefix, document: UInt32(random.next() % UInt64(limit))))
            }
            return made.sorted { ($0.prefix, $0.document) < ($1.prefix, $1.document) }
        }
        func bytes(_ layer: _FrozenPostings) -> [UInt8] {
            // The layer's one block of arrays starts at its upper bits.
            Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(layer.view.upper), count: layer.byteCount))
        }
        var cases = 0
        for layerCount in 0...3 {
            for sizes in [[0, 0, 0], [1, 0, 5], [3, 1, 1], [700, 90, 2_000], [5_000, 1_300, 300], [64, 64, 64]] {
                let limits = [1 << 12, 1 << 20, 1 << 9]
                let layers = (0..<layerCount).map { index in
                    let filed = entries(sizes[index], limit: limits[index])
                    return _FrozenPostings(keyBits: keyBits, count: filed.count, documentLimit: limits[index]) { writer in
                        for entry in filed { writer.append(prefix: entry.prefix, document: entry.document) }
                    }
                }
                let run = entries(sizes[2] / 2 + 1, limit: 1 << 21)
                let merged = _FrozenPostings(keyBits: keyBits, merging: layers, with: run)
                var count = run.count
                var limit = run.reduce(1) { Swift.max($0, Int($1.document) + 1) }
                for layer in layers {
                    count += layer.count
                    if layer.count > 0 { limit = Swift.max(limit, layer.documentLimit) }
                }
                let appended = _FrozenPostings(keyBits: keyBits, count: count, documentLimit: limit) { writer in
                    withExtendedLifetime(layers) {
                        _FrozenView.merge(layers.map(\.view), with: run) { writer.append(prefix: $0, document: $1) }
                    }
                }
                #expect(merged.count == count && bytes(merged) == bytes(appended),
                        "\(keyBits) key bits, \(layerCount) layers of \(sizes.prefix(layerCount)), run of \(run.count)")
                cases += 1
            }
        }
        #expect(cases == 24)
    }

    @Test("a shard saved and read back is the same; bad postings are refused", arguments: [64, 32])
    func persistence(keyBits: Int) throws {
        var shard = _PostingShard(keyBits: keyBits)
        let keys = Self.keys(count: 3_000, seed: 7)
        for (document, key) in keys.enumerated() { shard.insert(key: key, document: Int32(document / 2)) }
        var writer = _BinaryWriter()
        shard.write(to: &writer)
        let bytes = writer.bytes
        // The counting pass of a streamed save counts the same bytes without producing them.
        var counter = _BinaryWriter.counting
        shard.write(to: &counter)
        #expect(counter.byteCount == bytes.count)
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

    @Test("sorting postings by (prefix, document) gives the standard library's order, in one pass or two, for every key width",
          arguments: [1, 12, 13, 16, 20, 22, 32, 64])
    func sortByPrefix(keyBits: Int) {
        var generator = SplitMix64(seed: UInt64(keyBits))
        // 0-256 entries take the standard sort, up to 2^12 buckets one pass, more two passes;
        // 13 and 16 key bits reach a second pass with no bits below it (shift 0), and 2^21
        // entries the most buckets (2^22: a second pass of 12 bits).
        let counts = [0, 1, 200, 257, 3_000, 5_000, 70_000] + (keyBits >= 22 ? [1 << 21] : [])
        for count in counts {
            let keyMask = keyBits == 64 ? UInt64.max : (1 << UInt64(keyBits)) - 1
            var entries = (0..<count).map { _ in
                _PostingEntry(prefix: generator.next() & keyMask, document: UInt32(truncatingIfNeeded: generator.next() % 1_000))
            }
            // Runs of one key (a popular band key's documents, out of order), and keys that
            // differ only in their low bits, which the passes do not look at.
            for index in stride(from: 0, to: count, by: 7) where index > 0 { entries[index].prefix = entries[index - 1].prefix }
            for index in stride(from: 0, to: count, by: 11) { entries[index].prefix = entries[0].prefix ^ (UInt64(index) & 3 & keyMask) }
            let expected = entries.sorted { $0.prefix < $1.prefix || ($0.prefix == $1.prefix && $0.document < $1.document) }
            _sortByPrefix(&entries, keyBits: keyBits)
            #expect(entries == expected, "\(keyBits) key bits, \(count) entries")
        }
    }
}
