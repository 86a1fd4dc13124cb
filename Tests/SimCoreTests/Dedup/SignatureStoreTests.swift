import Testing
@testable import SimCore

/// A store that keeps filled bins only against one that keeps every value.
@Suite("Signature store, filled bins only")
struct FilledBinStoreTests {
    /// `count` signatures of documents from empty to long (every bin filled), seeded.
    static func signatures(_ scheme: OnePermutationMinHash, count: Int, seed: UInt64) -> [UInt64] {
        var random = SplitMix64(seed: seed)
        var rows: [UInt64] = []
        for row in 0..<count {
            let size = row % 97 == 0 ? 0 : Int(random.next() % (row % 5 == 0 ? 2_000 : 120))
            // Near-copies of the row before, so that estimates span [0, 1].
            let hashes = (0..<size).map { _ in random.next() % 3 == 0 ? UInt64(row) &* 31 &+ random.next() % 40 : random.next() }
            rows += FilledBinsTests.signature(scheme, hashes)
        }
        return rows
    }

    @Test("rows, saved words, estimates and reloaded rows equal those of a store of whole rows, across pages",
          arguments: [128, 100])
    func agreesWithWholeRows(k: Int) {
        let scheme = OnePermutationMinHash(signatureLength: k, seed: 41)
        let count = 3_000
        let rows = Self.signatures(scheme, count: count, seed: UInt64(k))
        var whole = _SignatureStore(signatureLength: k)
        var filled = _SignatureStore(signatureLength: k, filledBinsScheme: scheme)
        #expect(whole.filledBinsScheme == nil && filled.filledBinsScheme != nil)
        // In batches of different sizes, as filing appends them.
        var start = 0
        for size in [1, 700, 64, 2_235] {
            rows[start * k..<(start + size) * k].withUnsafeBufferPointer {
                whole.append(rows: $0)
                filled.append(rows: $0)
            }
            start += size
        }
        #expect(filled.count == count)
        for row in 0..<count {
            let expected = Array(rows[row * k..<(row + 1) * k])
            #expect(filled.withRow(row) { Array($0) } == expected, "row \(row)")
        }
        var random = SplitMix64(seed: 77)
        for _ in 0..<2_000 {
            let (a, b) = (Int(random.next() % UInt64(count)), Int(random.next() % UInt64(count)))
            let estimate = whole.estimatedJaccard(a, b, scheme: scheme)
            #expect(filled.estimatedJaccard(a, b, scheme: scheme) == estimate)
            let rowA = Array(rows[a * k..<(a + 1) * k])
            #expect(rowA.withUnsafeBufferPointer { filled.estimatedJaccard(wholeRow: $0, b, scheme: scheme) } == estimate)
        }
        let words = filled.words
        #expect(words == whole.words)
        #expect(words == rows)
        var reloaded = _SignatureStore(signatureLength: k, filledBinsScheme: scheme)
        words.withUnsafeBufferPointer { reloaded.append(words: $0) }
        #expect(reloaded.words == words)
        #expect(filled.byteCount < whole.byteCount)
    }

    @Test("rows read from a file that their filled bins would not give back are kept whole, UInt64.max in the last lane included",
          arguments: [128, 100])
    func loadedRows(k: Int) {
        let scheme = OnePermutationMinHash(signatureLength: k, seed: 2)
        let signed = FilledBinsTests.signature(scheme, (0..<30).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 })
        var damaged = signed
        damaged[3] ^= 1
        // Lane k − 1 holding UInt64.max (whose bin is the last) beside values of other bins
        // (lane i holds a value of bin i + 1): as a filled value it would leave nothing to
        // densify from, and expanding would never end.
        var foreign = (0..<k).map { lane in UInt64((Double((lane + 1) % k) + 0.5) / Double(k) * 18_446_744_073_709_551_616.0) }
        foreign[k - 1] = .max
        let rows = signed + damaged + foreign + signed
        var store = _SignatureStore(signatureLength: k, filledBinsScheme: scheme)
        rows.withUnsafeBufferPointer { store.append(rows: $0, checked: true) }
        for row in 0..<4 {
            #expect(store.withRow(row) { Array($0) } == Array(rows[row * k..<(row + 1) * k]), "row \(row)")
        }
        var fromWords = _SignatureStore(signatureLength: k, filledBinsScheme: scheme)
        rows.withUnsafeBufferPointer { fromWords.append(words: $0) }
        #expect(fromWords.words == rows)
        // Signed rows are trusted, and kept as their filled values, as loaded rows that pass.
        var signedOnly = _SignatureStore(signatureLength: k, filledBinsScheme: scheme)
        signed.withUnsafeBufferPointer { signedOnly.append(rows: $0) }
        #expect(signedOnly.withRow(0) { Array($0) } == signed)
    }

    @Test("rows of fewer than k/8 filled bins are kept whole; a scheme without a probe table, or truncated values, keep every row whole")
    func fewFilledBins() {
        let k = 128
        let scheme = OnePermutationMinHash(signatureLength: k, seed: 6)
        var random = SplitMix64(seed: 12)
        var store = _SignatureStore(signatureLength: k, filledBinsScheme: scheme)
        var rows: [UInt64] = []
        // 2,000 documents of 3 shingles (at most 3 bins filled): whole, they need two pages of
        // 1,024 rows; as filled bins, a few values each, one.
        for _ in 0..<2_000 { rows += FilledBinsTests.signature(scheme, (0..<3).map { _ in random.next() }) }
        rows.withUnsafeBufferPointer { store.append(rows: $0) }
        #expect(store.byteCount == 2 * (1 << 17) * 8 + 2_000 * 8)
        #expect(store.words == rows)
        #expect(_SignatureStore(signatureLength: 5_000, filledBinsScheme: OnePermutationMinHash(signatureLength: 5_000)).filledBinsScheme == nil)
        #expect(_SignatureStore(signatureLength: k, bits: 8, filledBinsScheme: scheme).filledBinsScheme == nil)
        #expect(_SignatureStore(signatureLength: 64, filledBinsScheme: scheme).filledBinsScheme == nil)
    }

    @Test("short documents take their filled bins' values and a locator; documents filling every bin, k values and a locator")
    func bytes() {
        let k = 128
        let scheme = OnePermutationMinHash(signatureLength: k, seed: 0)
        var random = SplitMix64(seed: 8)
        var short = _SignatureStore(signatureLength: k, filledBinsScheme: scheme)
        var long = _SignatureStore(signatureLength: k, filledBinsScheme: scheme)
        let pageWords = 1 << 17
        var filledValues = 0
        var (pages, used) = (0, 0)
        // 10,000 rows: more than one 1 MiB page of whole rows.
        for _ in 0..<10_000 {
            let shortRow = FilledBinsTests.signature(scheme, (0..<46).map { _ in random.next() })
            let filled = FilledBinsTests.filledValues(scheme, shortRow).count
            filledValues += filled
            // A row starts a page when the page has no room left for k values.
            if pages == 0 || used + k > pageWords { (pages, used) = (pages + 1, 0) }
            used += filled
            shortRow.withUnsafeBufferPointer { short.append(rows: $0) }
            FilledBinsTests.signature(scheme, (0..<3_000).map { _ in random.next() }).withUnsafeBufferPointer { long.append(rows: $0) }
        }
        // Pages hold the values (a row never straddles two), and 8 bytes a row locate them.
        #expect(pages == 3)
        #expect(short.byteCount == pages * pageWords * 8 + 10_000 * 8)
        #expect(long.byteCount == 10 * pageWords * 8 + 10_000 * 8)
        // 46 shingles fill about 128 · (1 − e^(−46/128)) ≈ 39 bins.
        #expect((35...43).contains(filledValues / 10_000))
    }
}

/// Batches that pack their rows for a store of truncated values against batches of whole rows.
@Suite("Signature store, rows packed by their batch")
struct PackedBatchRowTests {
    @Test("a batch packing its rows gives the store the words, keys and filed rows of a batch of whole rows",
          arguments: [(4, 128), (8, 100), (16, 7)])
    func agreesWithWholeRows(bits: Int, k: Int) {
        let scheme = OnePermutationMinHash(signatureLength: k, seed: 5)
        var options = DeduplicationOptions()
        options.measure = .jaccard
        options.verificationBits = bits
        let keying = _IndexKeying.bands(BandingParameters(bandCount: 3, rowsPerBand: 2))
        // Empty, one-word, short and long texts, with repeats.
        let documents = (0..<300).map { index in
            Document(id: "\(index)", text: index % 37 == 0 ? "" : (0..<(1 + index % 90)).map { "w\(($0 * 7 + index / 3) % 211)" }.joined(separator: " "))
        }
        func store(packing: _PackedLanes?) -> (words: [UInt64], keys: [UInt64], filed: [Int32], wordsPerRow: Int) {
            let batch = _PreparedBatch(documents: documents, signatureLength: k, keying: keying, threads: 2, rowPacking: packing)
            for chunk in 0..<batch.chunkCount { batch.prepareChunk(chunk, scheme: scheme, options: options) }
            _ = batch.finish()
            var store = _SignatureStore(signatureLength: k, bits: bits)
            store.append(rowsOf: batch)
            let keys = batch.filedRows.flatMap { Array(batch.keys(ofRow: Int($0))) }
            return (store.words, keys, batch.filedRows, batch.rowWords)
        }
        let lanes = _SignatureStore(signatureLength: k, bits: bits).truncatedLanes
        #expect(lanes == _PackedLanes(bits: bits, signatureLength: k))
        let whole = store(packing: nil)
        let packed = store(packing: lanes)
        #expect(whole.wordsPerRow == k && packed.wordsPerRow == lanes!.wordsPerRow)
        // The first word where they differ (the arrays whole would print thousands of words).
        #expect(packed.words.count == whole.words.count)
        #expect(packed.words.indices.first { packed.words[$0] != whole.words[$0] } == nil)
        #expect(packed.words.count == documents.count * lanes!.wordsPerRow)
        #expect(packed.keys == whole.keys)
        #expect(packed.filed == whole.filed)
        #expect(!packed.filed.contains(0) && packed.filed.count == 300 - 9)
        #expect(_SignatureStore(signatureLength: k).truncatedLanes == nil)
    }
}
