import Testing
@testable import SimCore

/// The filled bins of one-permutation signatures: what a signature store keeps of a whole
/// signature, and how it gets the signature back.
@Suite("One-permutation filled bins")
struct FilledBinsTests {
    static func signature(_ scheme: OnePermutationMinHash, _ hashes: [UInt64]) -> [UInt64] {
        hashes.withUnsafeBufferPointer { input in
            [UInt64](unsafeUninitializedCapacity: scheme.signatureLength) { output, count in
                scheme.sign(input, into: UnsafeMutableBufferPointer(rebasing: output[0..<scheme.signatureLength]))
                count = scheme.signatureLength
            }
        }
    }

    static func filledValues(_ scheme: OnePermutationMinHash, _ signature: [UInt64]) -> [UInt64] {
        signature.withUnsafeBufferPointer { signature in
            [UInt64](unsafeUninitializedCapacity: scheme.signatureLength) { filled, count in
                count = scheme.filledValues(of: signature, into: filled.baseAddress!)
            }
        }
    }

    static func expanded(_ scheme: OnePermutationMinHash, _ filled: [UInt64]) -> [UInt64] {
        filled.withUnsafeBufferPointer { filled in
            [UInt64](unsafeUninitializedCapacity: scheme.signatureLength) { output, count in
                scheme.expand(filledValues: filled, into: UnsafeMutableBufferPointer(rebasing: output[0..<scheme.signatureLength]))
                count = scheme.signatureLength
            }
        }
    }

    @Test("the filled values are the filled bins' minima in bin order, and expanding them gives the signature back",
          arguments: [1, 2, 3, 8, 100, 128, 131, 256, 512])
    func roundTrip(k: Int) {
        let seed: UInt64 = 17
        let scheme = OnePermutationMinHash(signatureLength: k, seed: seed)
        var random = SplitMix64(seed: 2_718)
        // From no shingle (an empty document) through a few bins to every bin filled.
        for size in [0, 1, 2, 5, 10, 43, 128, 300, 2_000] {
            let hashes = (0..<size).map { _ in random.next() }
            let signature = Self.signature(scheme, hashes)
            let filled = Self.filledValues(scheme, signature)
            #expect(filled == _referenceOPHMinima(hashes, signatureLength: k, seed: seed).filter { $0 != .max }, "k \(k), \(size) hashes")
            #expect(Self.expanded(scheme, filled) == signature, "k \(k), \(size) hashes")
        }
    }

    @Test("every filled-bins kernel variant keeps the portable one's values, whichever lanes match",
          arguments: [2, 4, 8, 16, 64, 128, 512])
    func kernels(k: Int) throws {
        let scheme = OnePermutationMinHash(signatureLength: k, seed: 5)
        let shift = UInt64(64 - k.trailingZeroBitCount)
        let variants = SignatureKernelISA.allCases.filter(\.isSupported)
        var random = SplitMix64(seed: 1_618)
        for percent in [0, 3, 30, 70, 100] {
            for round in 0..<4 {
                // Lane i holds its own value (top bits i) with the given chance, else another
                // lane's; lane 0 always its own (signature[0] == UInt64.max means empty).
                let signature = (0..<k).map { lane -> UInt64 in
                    let own = lane == 0 || random.next() % 100 < UInt64(percent)
                    let bin = own ? UInt64(lane) : (UInt64(lane) + 1 + random.next() % UInt64(k - 1)) % UInt64(k)
                    return bin << shift | random.next() >> (64 - shift)
                }
                let expected = signature.enumerated().filter { Int($0.element >> shift) == $0.offset }.map(\.element)
                #expect(Self.filledValues(scheme, signature) == expected, "k \(k), \(percent)%, round \(round)")
                for isa in variants {
                    #expect(try #require(scheme._filledValues(of: signature, isa: isa)) == expected, "k \(k), \(percent)%, \(isa)")
                }
            }
        }
    }
}

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
        var filled = _SignatureStore(signatureLength: k, sparse: scheme)
        #expect(whole.sparse == nil && filled.sparse != nil)
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
        var reloaded = _SignatureStore(signatureLength: k, sparse: scheme)
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
        var store = _SignatureStore(signatureLength: k, sparse: scheme)
        rows.withUnsafeBufferPointer { store.append(rows: $0, loaded: true) }
        for row in 0..<4 {
            #expect(store.withRow(row) { Array($0) } == Array(rows[row * k..<(row + 1) * k]), "row \(row)")
        }
        var fromWords = _SignatureStore(signatureLength: k, sparse: scheme)
        rows.withUnsafeBufferPointer { fromWords.append(words: $0) }
        #expect(fromWords.words == rows)
        // Signed rows are trusted, and kept as their filled values, as loaded rows that pass.
        var signedOnly = _SignatureStore(signatureLength: k, sparse: scheme)
        signed.withUnsafeBufferPointer { signedOnly.append(rows: $0) }
        #expect(signedOnly.withRow(0) { Array($0) } == signed)
    }

    @Test("short documents take their filled bins' values and a locator; documents filling every bin, k values and a locator")
    func bytes() {
        let k = 128
        let scheme = OnePermutationMinHash(signatureLength: k, seed: 0)
        var random = SplitMix64(seed: 8)
        var short = _SignatureStore(signatureLength: k, sparse: scheme)
        var long = _SignatureStore(signatureLength: k, sparse: scheme)
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
