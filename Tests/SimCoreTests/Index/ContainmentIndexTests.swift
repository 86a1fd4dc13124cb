import Testing
@testable import SimCore
import SimCoreInternals

@Suite("ContainmentIndex")
struct ContainmentIndexTests {
    @Test("size partitions are ⌊2·log₂ size⌋")
    func partitions() {
        #expect([1, 2, 3, 4, 5, 6, 8, 11, 12, 1_000].map(ContainmentIndex.partition(ofSize:)) == [0, 2, 3, 4, 4, 5, 6, 6, 7, 19])
    }

    /// An index of fewer key bits saves its postings (a compact engine's state file), so its
    /// keys must never change: the value below is pinned. An exact index's are never saved.
    @Test("posting keys: a band's low half shared across rows and partitions with 64 key bits; the whole key mixed, and pinned, with fewer")
    func postingKeys() {
        let prefixKey: UInt64 = 0x0123_4567_89AB_CDEF
        #expect(ContainmentIndex.key(prefixKey: prefixKey, rows: 3, partition: 17, lowHalf: nil) == 0x84EF_816B_454A_677E)
        var random = SplitMix64(seed: 3)
        for _ in 0..<500 {
            // One band of one document: its 1- to 4-row prefix keys, the first shared.
            let firstRowKey = random.next()
            let prefixKeys = [firstRowKey, random.next(), random.next(), random.next()]
            let lowHalf = ContainmentIndex.lowHalf(firstRowKey: firstRowKey)
            #expect(lowHalf >> 32 == 0)
            let keys = (0..<40).flatMap { partition in
                (1...4).map { ContainmentIndex.key(prefixKey: prefixKeys[$0 - 1], rows: $0, partition: partition, lowHalf: lowHalf) }
            }
            // One low half for every row count in every partition, and so one filter block;
            // 160 different high halves.
            #expect(Set(keys.map { $0 & 0xFFFF_FFFF }).count == 1)
            #expect(Set(keys.map { $0 >> 32 }).count == 160)
            #expect(Set(keys.map { _KeyFilterView.position(of: $0, blockCount: 1 << 20).block }).count == 1)
            // The high half of a partition-local key is the whole mixed key's.
            let whole = ContainmentIndex.key(prefixKey: prefixKeys[2], rows: 3, partition: 5, lowHalf: nil)
            #expect(keys[5 * 4 + 2] >> 32 == whole >> 32)
            // Another band prefix, another low half.
            let other = ContainmentIndex.key(
                prefixKey: prefixKey, rows: 1, partition: 0, lowHalf: ContainmentIndex.lowHalf(firstRowKey: random.next()))
            #expect(other & 0xFFFF_FFFF != keys[0] & 0xFFFF_FFFF)
        }
        func index(keyBits: Int) -> ContainmentIndex {
            ContainmentIndex(
                signatureLength: 128, maximumRowsPerBand: 4, falsePositiveWeight: 0.5, falseNegativeWeight: 0.5, keyBits: keyBits)
        }
        #expect(index(keyBits: 64).partitionLocalKeys && !index(keyBits: 32).partitionLocalKeys)
        #expect(ContainmentIndex().partitionLocalKeys)
    }

    @Test("banding per converted threshold: lower thresholds probe with shorter prefixes")
    func banding() {
        let index = ContainmentIndex(signatureLength: 128)
        #expect(index.bandCount == 32)
        let low = index.banding(forJaccardThreshold: 0.2)
        let high = index.banding(forJaccardThreshold: 0.9)
        #expect(low.rowsPerBand < high.rowsPerBand)
        #expect(high.bandCount <= 32 && high.rowsPerBand <= 4)
    }

    /// Queries of 40–80 shingles planted inside documents 3–8 times their size, 90% of the
    /// query inside (Jaccard 0.1–0.3, far below what a Jaccard index at 0.8 would find).
    /// With the weights ``Deduplicator`` uses (false positives 0.1, false negatives 0.9).
    /// Bound: the containing document is a candidate for ≥ 90% of 200 queries (seeded), and
    /// documents sharing nothing are never candidates.
    @Test("finds containing documents whose Jaccard with the query is low (seeded)")
    func recall() {
        let seed: UInt64 = 31
        let scheme = TestMinHash(signatureLength: 128, seed: seed)
        var generator = SplitMix64(seed: seed)
        let defaults = DeduplicationOptions()
        var index = ContainmentIndex(
            signatureLength: 128, falsePositiveWeight: defaults.falsePositiveWeight, falseNegativeWeight: defaults.falseNegativeWeight)
        var queries: [([UInt64], Int)] = []
        var documents: [[UInt64]] = []
        for _ in 0..<200 {
            let size = 40 + Int(generator.next() % 41)
            let query = (0..<size).map { _ in generator.next() }
            let inside = Int(Double(size) * 0.9)
            let factor = 3 + Int(generator.next() % 6)
            let host = Array(query.prefix(inside)) + (0..<(size * factor - inside)).map { _ in generator.next() }
            documents.append(host)
            queries.append((query, size))
        }
        for (number, document) in documents.enumerated() {
            let inserted = index.insert(scheme.signature(of: document), size: document.count)
            #expect(inserted == number)
        }
        var found = 0
        for (number, (query, size)) in queries.enumerated() {
            let candidates = index.candidates(for: scheme.signature(of: query), size: size, threshold: 0.8, direction: .queryInDocument)
            if candidates.contains(number) { found += 1 }
        }
        print("containment recall, seed \(seed): \(found) of 200")
        #expect(Double(found) / 200 >= 0.9, "seed \(seed): \(found) of 200")
        let stranger = (0..<60).map { _ in generator.next() }
        #expect(index.candidates(for: scheme.signature(of: stranger), size: 60, threshold: 0.8).isEmpty)
    }

    @Test("batch insert on 1 and 2 threads equals one-by-one inserts; remove hides documents")
    func batch() {
        let scheme = TestMinHash(signatureLength: 32, seed: 2)
        var generator = SplitMix64(seed: 8)
        let sets: [[UInt64]] = (0..<120).map { i in (0..<(5 + i % 50)).map { _ in generator.next() % 500 } }
        let signatures = SignatureMatrix(signatureLength: 32, values: sets.flatMap { scheme.signature(of: $0) })
        let sizes = sets.map { Set($0).count }
        var sequential = ContainmentIndex(signatureLength: 32, maximumRowsPerBand: 4)
        for (set, size) in zip(sets, sizes) { sequential.insert(scheme.signature(of: set), size: size) }
        for threads in [1, 2] {
            var batch = ContainmentIndex(signatureLength: 32, maximumRowsPerBand: 4)
            batch.insert(contentsOf: signatures, sizes: sizes, threads: threads)
            for (set, size) in zip(sets, sizes) {
                let query = scheme.signature(of: set)
                #expect(batch.candidates(for: query, size: size, threshold: 0.5) == sequential.candidates(for: query, size: size, threshold: 0.5))
            }
        }
        let query = scheme.signature(of: sets[3])
        #expect(sequential.candidates(for: query, size: sizes[3], threshold: 0.9).contains(3))
        sequential.remove(3)
        #expect(!sequential.candidates(for: query, size: sizes[3], threshold: 0.9).contains(3))
    }

    /// Filing that finds each row's own-partition candidates
    /// (``ContainmentIndex/insertFindingEarlier(prefixKeys:sizes:filedRows:threshold:threads:alongside:)``),
    /// with the other partitions looked up, must give exactly what a query after a plain
    /// filing gives below the row's document: over batches of 1 to 1,500 rows (the first into
    /// an empty index, later ones across merges into frozen layers), sizes over many
    /// partitions, near-copies, empty rows, and a set filed 80 times (past the 64 a row keeps:
    /// those rows overflow and look everything up).
    @Test("candidates found while filing, the other partitions looked up, equal a query after filing", arguments: [64, 32])
    func findingWhileFiling(keyBits: Int) {
        let k = 32
        let scheme = TestMinHash(signatureLength: k, seed: 5)
        var random = SplitMix64(seed: 41)
        let pool: [[UInt64]] = (0..<400).map { i in (0..<(3 + (i * 37) % 300)).map { _ in random.next() } }
        func make() -> ContainmentIndex {
            ContainmentIndex(
                signatureLength: k, maximumRowsPerBand: 4, falsePositiveWeight: 0.1, falseNegativeWeight: 0.9, keyBits: keyBits)
        }
        for threshold in [0.8, 0.5] {
            var plain = make()
            var finding = make()
            let width = plain.keysPerDocument
            var rowsFound = 0
            var overflowed = 0
            var remaining = 7_000
            while remaining > 0 {
                let rowCount = Swift.min(remaining, [1, 7, 300, 1_500][Int(random.next() % 4)])
                remaining -= rowCount
                var keys = [UInt64](repeating: 0, count: rowCount * width)
                var sizes: [Int] = []
                var filedRows: [Int32] = []
                for row in 0..<rowCount {
                    let pick = random.next() % 20
                    var set = pick == 0 ? [0xABCD, 0xBCDE, 0xCDEF] : pool[Int(random.next() % UInt64(pool.count))]
                    if pick == 1 { set = [] }
                    if pick > 1 && set.count > 3 {
                        // A near-copy: a few members changed or dropped.
                        for _ in 0..<Int(random.next() % 3) { set[Int(random.next() % UInt64(set.count))] = random.next() }
                        if random.next() % 2 == 0 { set.removeLast(Int(random.next() % UInt64(set.count / 3 + 1))) }
                    }
                    sizes.append(Set(set).count)
                    guard !set.isEmpty else { continue }
                    filedRows.append(Int32(row))
                    scheme.signature(of: set).withUnsafeBufferPointer { signature in
                        keys.withUnsafeMutableBufferPointer { plain.prefixKeys(of: signature.baseAddress!, into: $0.baseAddress! + row * width) }
                    }
                }
                let first = plain.count
                let found = keys.withUnsafeBufferPointer { keys in
                    plain.insert(prefixKeys: keys, sizes: sizes, filedRows: filedRows, threads: 1)
                    return finding.insertFindingEarlier(
                        prefixKeys: keys, sizes: sizes, filedRows: filedRows, threshold: threshold, threads: 2).found
                }
                let plainCollector = _CandidateCollector(shards: plain.tables)
                let findingCollector = _CandidateCollector(shards: finding.tables)
                keys.withUnsafeBufferPointer { keys in
                    for row in 0..<rowCount {
                        let rowKeys = UnsafeBufferPointer(rebasing: keys[(row * width)..<((row + 1) * width)])
                        var expected: [Int] = []
                        plain.forEachCandidate(
                            prefixKeys: rowKeys, size: sizes[row], threshold: threshold, direction: .either, collector: plainCollector
                        ) { if $0 < first + row { expected.append($0) } }
                        var got: [Int] = []
                        if found.isOverflowed(row) {
                            overflowed += 1
                        } else {
                            var own = 0
                            found.forEachDocument(ofRow: row) { _ in own += 1 }
                            if own > 0 { rowsFound += 1 }
                            finding.forEachCandidate(
                                prefixKeys: rowKeys, size: sizes[row], threshold: threshold, direction: .either,
                                collector: findingCollector, found: found, row: row
                            ) { if $0 < first + row { got.append($0) } }
                            #expect(got == expected, "row \(row) of a batch from \(first), threshold \(threshold)")
                        }
                    }
                }
            }
            print("finding while filing, \(keyBits) key bits, threshold \(threshold): rows with own-partition candidates \(rowsFound), overflowed \(overflowed)")
            #expect(rowsFound > 2_000 && overflowed > 100, "\(rowsFound) rows found, \(overflowed) overflowed")
            #expect(finding.tables.map(\.entryCount) == plain.tables.map(\.entryCount))
            #expect(finding.tables.contains { $0.layers.entryCount > 0 }, "no frozen layer crossed")
        }
    }

    @Test("bandings chosen on first query, from several threads at once, equal choosing all 201 in order on one thread", arguments: [(128, 4, 0.1, 0.9), (64, 3, 0.5, 0.5), (256, 8, 0.2, 0.8)])
    func lazyBandings(k: Int, depth: Int, falsePositiveWeight: Double, falseNegativeWeight: Double) {
        let index = ContainmentIndex(
            signatureLength: k, maximumRowsPerBand: depth, falsePositiveWeight: falsePositiveWeight,
            falseNegativeWeight: falseNegativeWeight)
        // The reference: every grid step chosen in order on one thread by a table of its own.
        let sequential = _BandingChoices(
            bandCount: Swift.min(255, k / depth), maximumRowsPerBand: depth, falsePositiveWeight: falsePositiveWeight,
            falseNegativeWeight: falseNegativeWeight)
        let expected: [BandingParameters] = (0...200).map { step in
            let choice = sequential.choice(step: step)
            return BandingParameters(bandCount: Int(choice >> 8), rowsPerBand: Int(choice & 0xFF))
        }
        #expect(expected.allSatisfy { $0.bandCount >= 1 && $0.rowsPerBand >= 1 && $0.rowsPerBand <= depth })
        // Lower thresholds never probe with longer prefixes than higher ones.
        #expect(expected[20].rowsPerBand <= expected[180].rowsPerBand)
        let seen = concurrentChunks(count: 4, threads: 4) { workers in
            workers.map { worker in
                (0...200).map { offset in
                    let step = (offset &* 37 &+ worker &* 50) % 201
                    return (step, index.banding(forJaccardThreshold: (Double(step) + 0.5) / 200))
                }
            }
        }.flatMap { $0 }.flatMap { $0 }
        for (step, banding) in seen { #expect(banding == expected[step], "step \(step)") }
        #expect(seen.count == 4 * 201)
    }
}
