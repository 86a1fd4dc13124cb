import Foundation
import SimCoreFixtures
import Testing
@testable import SimCore

@Suite("Deduplicator persistence")
struct DeduplicatorPersistenceTests {
    static let documents = DeduplicatorTests.reprintedStories(count: 400, seed: 17)

    @Test("save, load, continue: the same clusters, pairs, ids and later verdicts as never stopping",
          arguments: [(DeduplicationOptions.Measure.jaccard, DeduplicationOptions.Verification.exact), (.overlap, .estimated)])
    func resume(measure: DeduplicationOptions.Measure, verification: DeduplicationOptions.Verification) throws {
        var options = DeduplicatorOptionsForTests.with(measure)
        options.verification = verification
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-\(measure)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let original = Deduplicator(options: options)
        original.insert(contentsOf: Array(Self.documents[0..<300]))
        try original.save(to: path)
        let resumed = try Deduplicator(contentsOf: path, scheme: OnePermutationMinHash(signatureLength: 128, seed: 0), options: options)
        #expect(resumed.count == 300)
        #expect(resumed.id(of: 299) == original.id(of: 299))
        #expect(resumed.verifiedPairs() == original.verifiedPairs())
        #expect(resumed.clusters() == original.clusters())
        #expect(original.clusters().count > 20)
        let rest = Array(Self.documents[300...])
        #expect(resumed.insert(contentsOf: rest) == original.insert(contentsOf: rest))
    }

    @Test("a saved file is its envelope around the sections, streamed as they are produced: the signature section holds each row's length and its filled bins as the store keeps them")
    func fileLayout() throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-layout")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let engine = Deduplicator()
        engine.insert(contentsOf: Array(Self.documents[0..<150]))
        try engine.save(to: path)
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        // magic | version | reserved | payload length | payload | XXH3-64 of everything before.
        func word(at offset: Int) -> UInt64 { file[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        #expect(Array(file[0..<8]) == Deduplicator<OnePermutationMinHash>.fileMagic)
        #expect(Int(word(at: 16)) == file.count - _IndexFile.headerSize - 8)
        #expect(word(at: file.count - 8) == Array(file[..<(file.count - 8)]).withUnsafeBytes { XXH3.hash64($0, seed: 0) })
        // The payload is the sections as a writer that keeps its bytes holds them, and no
        // posting shards (whole signatures: the index is built again on load).
        var payload = _BinaryWriter()
        engine.writeDocumentSections(to: &payload, version: Deduplicator<OnePermutationMinHash>.fileFormatVersion, pairs: engine.clustering.pairs)
        payload.write(UInt64(0))
        #expect(Array(file[_IndexFile.headerSize..<(file.count - 8)]) == payload.bytes)
        // The signature section: the row lengths, then every row's filled values as kept.
        let store = engine.state.filed.signatures
        var stored: [UInt64] = []
        store.forEachStoredRow { stored.append(contentsOf: $0) }
        let lengths = store.storedRowLengths
        var section: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { section.append(contentsOf: $0) } }
        append(UInt64(lengths.count))
        lengths.forEach(append)
        append(UInt64(stored.count))
        stored.forEach(append)
        let found = (0...(file.count - section.count)).contains { Array(file[$0..<$0 + section.count]) == section }
        #expect(found)
        #expect(lengths.count == 150 && stored.count == lengths.reduce(0) { $0 + Int($1) } && stored.count == store.storedWordCount)
        // Paragraph-length stories fill most of 128 bins, short ones fewer: some rows are shorter than k.
        #expect(lengths.contains { $0 < 128 })
        // Each row densifies to what the store reads back.
        var offset = 0
        let scheme = OnePermutationMinHash(signatureLength: 128, seed: 0)
        for (row, length) in lengths.enumerated() {
            var whole = [UInt64](repeating: 0, count: 128)
            stored[offset..<offset + Int(length)].withUnsafeBufferPointer { filled in
                whole.withUnsafeMutableBufferPointer { scheme.expand(filledValues: filled, into: $0) }
            }
            #expect(store.withRow(row, Array.init) == whole)
            offset += Int(length)
        }
    }

    @Test("format version 4 holds filled bins, version 3 every value: both load in batches of any size to the same engine",
          arguments: [(DeduplicationOptions.Measure.jaccard, DeduplicationOptions.Verification.estimated), (.jaccard, .exact), (.overlap, .estimated)])
    func filledBinsFile(measure: DeduplicationOptions.Measure, verification: DeduplicationOptions.Verification) throws {
        let name = "\(measure)-\(verification)"
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-v4-\(name)")
        let older = MinHashLSHPersistenceTests.temporaryPath("dedup-v3-\(name)")
        let resaved = MinHashLSHPersistenceTests.temporaryPath("dedup-v3-resaved-\(name)")
        defer { for file in [path, older, resaved] { try? FileManager.default.removeItem(atPath: file) } }
        var options = DeduplicatorOptionsForTests.with(measure)
        options.verification = verification
        let scheme = OnePermutationMinHash(signatureLength: 128, seed: 0)
        // Empty documents among the others: they are numbered but not filed, so a run's rows
        // and its filed rows differ.
        let documents = Self.documents.enumerated().map { $0.offset % 13 == 5 ? Document(id: $0.element.id, text: "") : $0.element }
        let original = Deduplicator(options: options)
        original.insert(contentsOf: Array(documents[0..<300]))
        try original.save(to: path)
        try original._save(to: older, formatVersion: 3)
        let (current, previous) = (MinHashLSHPersistenceTests.bytes(path), MinHashLSHPersistenceTests.bytes(older))
        // Version 3 held k values a row; version 4 the filled values and a 2-byte length a row.
        let kept = original.state.filed.signatures.storedWordCount
        #expect(previous.count - current.count == 8 * (300 * 128 - kept) - (8 + 2 * 300))
        #expect(kept < 300 * 128)
        let reference = original.state.filed.signatures.words
        let pairs = original.verifiedPairs()
        let postings = original.state.filed.index.shards.map(\.sortedEntries)
        #expect(postings.count > 1 && postings.allSatisfy { $0.count > 250 })
        #expect(original.state.filed.sizes.filter { $0 == 0 }.count == 23)
        let rest = Array(documents[300...])
        let expected = original.insert(contentsOf: rest)
        // Runs of keys filed at once: one per 10 or 64 documents (each of the first into an
        // exact shard's recent table, key by key), each batch's alone, or all in one.
        for (file, batch, run) in [(path, 7, 10), (path, 7, 64), (path, 16_384, 1 << 20), (older, 7, 1), (older, 300, 1 << 20)] {
            let loaded = try Deduplicator(source: .path(file), scheme: scheme, options: options, loadBatch: batch, indexRun: run)
            #expect(loaded.count == 300)
            #expect(loaded.verifiedPairs() == pairs)
            #expect(loaded.state.filed.signatures.words == reference)
            if file == older && batch == 7 {
                // A version-3 state saved again is the version-4 file, byte for byte.
                try loaded.save(to: resaved)
                #expect(MinHashLSHPersistenceTests.bytes(resaved) == current)
            }
            // The same postings, however the runs split them into layers.
            #expect(loaded.state.filed.index.shards.map(\.sortedEntries) == postings, "\(file), runs of \(run)")
            #expect(loaded.insert(contentsOf: rest) == expected, "\(file), batches of \(batch), runs of \(run)")
        }
    }

    /// The little-endian `u64` at `offset` of `file`.
    static func word(at offset: Int, in file: [UInt8]) -> Int {
        Int(file[offset..<offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// Where the row lengths' count is in a format-4 state file: after the 24-byte header, the
    /// parameter line, the document count, the byte counts and the sizes.
    static func rowLengthsOffset(in file: [UInt8]) -> Int {
        var offset = 24
        offset += 8 + word(at: offset, in: file)        // parameter line
        offset += 8                                     // document count
        offset += 8 + 8 * word(at: offset, in: file)    // byte counts
        return offset + 8 + 4 * word(at: offset, in: file)  // sizes
    }

    @Test("a version-4 row longer than k is refused; a whole row that is no signature of the scheme is kept as it came")
    func damagedRows() throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-v4-rows")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let engine = Deduplicator()
        // The first document fills every bin (a row kept whole), the others are short.
        let long = Document(id: "long", text: (0..<2_000).map { "w\($0)" }.joined(separator: " "))
        engine.insert(contentsOf: [long] + Array(Self.documents[0..<20]))
        try engine.save(to: path)
        let file = MinHashLSHPersistenceTests.bytes(path)
        let offset = Self.rowLengthsOffset(in: file)
        #expect(Self.word(at: offset, in: file) == 21)
        let lengths = offset + 8
        #expect(file[lengths] == 128 && file[lengths + 1] == 0, "the long document's row is whole")
        let values = lengths + 2 * 21 + 8
        func refused(_ edit: (inout [UInt8]) -> Void) -> IndexFileError? {
            var damaged = file
            edit(&damaged)
            let sealed = IndexFileFormat.resealed(damaged)
            do {
                _ = try Deduplicator(source: .bytes(sealed, name: "damaged"), scheme: OnePermutationMinHash(signatureLength: 128, seed: 0))
                return nil
            } catch let error as IndexFileError {
                return error
            } catch {
                return nil
            }
        }
        #expect(refused { $0[lengths] = 129 } == .corrupt("a row longer than k = 128"))
        // Lane 0 of the whole row takes a value of the last bin: no longer the scheme's, so its
        // filled bins alone would not give it back. It is kept whole and reads back as saved.
        var damaged = file
        for byte in 0..<8 { damaged[values + byte] = byte == 0 ? 0xFE : 0xFF }
        let loaded = try Deduplicator(source: .bytes(IndexFileFormat.resealed(damaged), name: "damaged"), scheme: OnePermutationMinHash(signatureLength: 128, seed: 0))
        var row = engine.state.filed.signatures.withRow(0, Array.init)
        row[0] = .max - 1
        #expect(loaded.state.filed.signatures.withRow(0, Array.init) == row)
        try loaded._checkInvariants()
    }

    @Test("other options, damaged and truncated files are refused")
    func refusals() throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-refusals")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let deduplicator = Deduplicator()
        deduplicator.insert(contentsOf: Array(Self.documents[0..<50]))
        try deduplicator.save(to: path)
        var other = DeduplicationOptions()
        other.threshold = 0.7
        let error = #expect(throws: IndexFileError.self) { try Deduplicator(contentsOf: path, options: other) }
        if case .parameterMismatch(let detail) = error {
            #expect(detail.contains("threshold=0.8") && detail.contains("threshold=0.7"))
        } else {
            Issue.record("expected a parameter mismatch, got \(String(describing: error))")
        }
        #expect(throws: IndexFileError.parameterMismatch(
            "file has \(Deduplicator().fileParameters()); expected \(Deduplicator(scheme: OnePermutationMinHash(signatureLength: 64)).fileParameters())")) {
            try Deduplicator(contentsOf: path, scheme: OnePermutationMinHash(signatureLength: 64))
        }
        let bytes = MinHashLSHPersistenceTests.bytes(path)
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x10
        MinHashLSHPersistenceTests.write(flipped, path)
        #expect(throws: IndexFileError.checksumMismatch) { try Deduplicator(contentsOf: path) }
        MinHashLSHPersistenceTests.write(Array(bytes.prefix(bytes.count - 100)), path)
        #expect(throws: IndexFileError.truncated(expectedBytes: bytes.count, actualBytes: bytes.count - 100)) {
            try Deduplicator(contentsOf: path)
        }
    }

    @Test("compact verification signatures: save, load, continue exactly as never stopping",
          arguments: [(DeduplicationOptions.Measure.jaccard, 8), (.jaccard, 16), (.overlap, 8), (.jaccard, 4), (.overlap, 4)])
    func resumeCompact(measure: DeduplicationOptions.Measure, bits: Int) throws {
        var options = DeduplicatorOptionsForTests.with(measure)
        options.verificationBits = bits
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-compact-\(measure)-\(bits)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let original = Deduplicator(options: options)
        original.insert(contentsOf: Array(Self.documents[0..<300]))
        try original.save(to: path)
        let resumed = try Deduplicator(contentsOf: path, options: options)
        #expect(resumed.count == 300)
        #expect(resumed.verifiedPairs() == original.verifiedPairs())
        #expect(resumed.assignments() == original.assignments())
        #expect(original.clusters().count > 20)
        // A version-3 file of the same engine (the same sections but for the row lengths, here
        // none) loads to the same engine, and saved again is this version's file.
        let older = path + ".v3"
        defer { try? FileManager.default.removeItem(atPath: older) }
        try original._save(to: older, formatVersion: 3)
        let fromOlder = try Deduplicator(contentsOf: older, options: options)
        try fromOlder.save(to: older)
        #expect(MinHashLSHPersistenceTests.bytes(older) == MinHashLSHPersistenceTests.bytes(path))
        let rest = Array(Self.documents[300...])
        let expected = original.insert(contentsOf: rest)
        #expect(resumed.insert(contentsOf: rest) == expected)
        #expect(fromOlder.insert(contentsOf: rest) == expected)
        // The file is refused by an engine that keeps another number of bits.
        var other = options
        other.verificationBits = 64
        #expect(throws: IndexFileError.self) { try Deduplicator(contentsOf: path, options: other) }
    }

    @Test("version-1 files load, into whole or compact engines, and continue as never stopping", arguments: [64, 8])
    func version1(bits: Int) throws {
        let options = DeduplicatorOptionsForTests.with(.jaccard)
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-v1-\(bits)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let original = Deduplicator(options: options)
        original.insert(contentsOf: Array(Self.documents[0..<300]))
        try original._save(to: path, formatVersion: 1)
        var compact = options
        compact.verificationBits = bits
        let resumed = try Deduplicator(contentsOf: path, options: compact)
        #expect(resumed.assignments() == original.assignments())
        let rest = Array(Self.documents[300...])
        let expected = original.insert(contentsOf: rest)
        let got = resumed.insert(contentsOf: rest)
        if bits == 64 {
            #expect(got == expected)
        } else {
            // Truncated signatures may change a borderline verdict, never the documents' numbers.
            #expect(got.map(\.document) == expected.map(\.document))
            let agreeing = zip(got, expected).filter { $0.verdict.isDuplicate == $1.verdict.isDuplicate }.count
            #expect(agreeing * 100 >= got.count * 95, "\(agreeing) of \(got.count) verdicts agree")
        }
        #expect(throws: IndexFileError.unsupportedVersion(found: 5, supported: 4)) {
            var bytes = MinHashLSHPersistenceTests.bytes(path)
            bytes[8] = 5
            // Keep the checksum valid so that the version is what is refused.
            let body = Array(bytes[0..<bytes.count - 8])
            let sum = body.withUnsafeBytes { XXH3.hash64($0, seed: 0) }
            bytes.replaceSubrange(bytes.count - 8..<bytes.count, with: withUnsafeBytes(of: sum.littleEndian, Array.init))
            MinHashLSHPersistenceTests.write(bytes, path)
            return try Deduplicator(contentsOf: path, options: compact)
        }
    }

    @Test("version-2 files of compact engines (whole keys in hash tables) load and continue as never stopping",
          arguments: [DeduplicationOptions.Measure.jaccard, .overlap])
    func version2(measure: DeduplicationOptions.Measure) throws {
        var options = DeduplicatorOptionsForTests.with(measure)
        options.verificationBits = 8
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-v2-\(measure)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let head = Array(Self.documents[0..<300])
        let original = Deduplicator(options: options)
        original.insert(contentsOf: head)
        let whole = Deduplicator(options: DeduplicatorOptionsForTests.with(measure))
        whole.insert(contentsOf: head)
        try original._save(to: path, formatVersion: 2, keysFrom: whole)
        let resumed = try Deduplicator(contentsOf: path, options: options)
        #expect(resumed.count == 300)
        #expect(resumed.verifiedPairs() == original.verifiedPairs())
        #expect(resumed.assignments() == original.assignments())
        let rest = Array(Self.documents[300...])
        #expect(resumed.insert(contentsOf: rest) == original.insert(contentsOf: rest))
    }

    /// Saves `engine` with `first` inserted, loads it in batches of 4, checks the reloaded file
    /// is the same bytes, and that both continue alike with `rest`.
    static func roundTrip<S: SignatureScheme>(
        _ scheme: S, options: DeduplicationOptions, first: [Document], rest: [Document], name: String
    ) throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-shape-\(name)")
        let again = path + ".again"
        defer { for file in [path, again] { try? FileManager.default.removeItem(atPath: file) } }
        let original = Deduplicator(scheme: scheme, options: options)
        original.insert(contentsOf: first)
        try original.save(to: path)
        let loaded = try Deduplicator(source: .path(path), scheme: scheme, options: options, loadBatch: 4)
        try loaded._checkInvariants()
        #expect(loaded.count == first.count, "\(name)")
        try loaded.save(to: again)
        #expect(MinHashLSHPersistenceTests.bytes(again) == MinHashLSHPersistenceTests.bytes(path), "\(name)")
        #expect(loaded.insert(contentsOf: rest) == original.insert(contentsOf: rest), "\(name)")
    }

    @Test("every shape of signature row saves, loads in batches, saves to the same bytes and continues alike")
    func rowShapes() throws {
        let first = Array(Self.documents[0..<40]) + [Document(id: "empty", text: "")]
        let rest = Array(Self.documents[40..<80])
        var compact = DeduplicationOptions()
        compact.verificationBits = 8
        // No documents; one-permutation rows of filled bins (k a power of two, and not: the
        // scalar path); k past the probe table's 4,096 (every row whole); another scheme.
        try Self.roundTrip(OnePermutationMinHash(signatureLength: 128), options: DeduplicationOptions(), first: [], rest: rest, name: "empty")
        try Self.roundTrip(OnePermutationMinHash(signatureLength: 128), options: compact, first: [], rest: rest, name: "empty-compact")
        try Self.roundTrip(OnePermutationMinHash(signatureLength: 96, seed: 4), options: DeduplicationOptions(), first: first, rest: rest, name: "k96")
        try Self.roundTrip(OnePermutationMinHash(signatureLength: 8_192, seed: 4), options: DeduplicationOptions(), first: Array(first.prefix(12)), rest: Array(rest.prefix(6)), name: "k8192")
        try Self.roundTrip(MinHash(signatureLength: 64, seed: 2), options: DeduplicationOptions(), first: first, rest: rest, name: "minhash")
        try Self.roundTrip(OnePermutationMinHash(signatureLength: 128), options: compact, first: first, rest: rest, name: "compact")
    }

    @Test("row lengths that disagree with the documents, the values or the engine are refused")
    func rowLengthRefusals() throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-row-lengths")
        defer { try? FileManager.default.removeItem(atPath: path) }
        /// The file of 12 documents saved by an engine with `bits`, and where its row lengths' count is.
        func saved(bits: Int) throws -> (file: [UInt8], lengths: Int) {
            var options = DeduplicationOptions()
            options.verificationBits = bits
            let engine = Deduplicator(options: options)
            engine.insert(contentsOf: Array(Self.documents[0..<12]))
            try engine.save(to: path)
            let file = MinHashLSHPersistenceTests.bytes(path)
            return (file, Self.rowLengthsOffset(in: file))
        }
        func load(_ file: [UInt8], bits: Int) -> IndexFileError? {
            var options = DeduplicationOptions()
            options.verificationBits = bits
            do {
                _ = try Deduplicator(source: .bytes(IndexFileFormat.resealed(file), name: "edited"), scheme: OnePermutationMinHash(signatureLength: 128), options: options)
                return nil
            } catch {
                return error as? IndexFileError
            }
        }
        func count(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(value).littleEndian, Array.init) }
        // Whole signatures: 12 lengths; one fewer, or one row's length raised past its values.
        let (whole, at) = try saved(bits: 64)
        #expect(whole[at] == 12)
        var fewer = whole
        fewer.replaceSubrange(at..<at + 8 + 24, with: count(11) + Array(whole[at + 8..<at + 8 + 22]))
        #expect(load(fewer, bits: 64) == .corrupt("row lengths for 11 of 12 documents"))
        var longer = whole
        longer[at + 8] &+= 1
        if case .corrupt = load(longer, bits: 64) {} else { Issue.record("a length past the values loads") }
        // A compact engine's rows all have one length: lengths in its file are refused.
        let (packed, start) = try saved(bits: 8)
        #expect(Array(packed[start..<start + 8]) == count(0))
        let withLengths = Array(packed[..<start]) + count(12) + [UInt8](repeating: 16, count: 24) + Array(packed[(start + 8)...])
        #expect(load(withLengths, bits: 8) == .corrupt("row lengths for an engine whose rows all have one length"))
        #expect(load(packed, bits: 8) == nil)
    }

    @Test("progress: a save reports bytes from (0, size) to (size, size), a load documents from (0, n) a batch at a time to (n, n)",
          arguments: [64, 8])
    func progress(bits: Int) throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-progress-\(bits)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = DeduplicationOptions()
        options.verificationBits = bits
        let engine = Deduplicator(options: options)
        engine.insert(contentsOf: Array(Self.documents[0..<50]))
        var saving: [(done: Int, total: Int)] = []
        try engine.save(to: path) { saving.append(($0, $1)) }
        let size = MinHashLSHPersistenceTests.bytes(path).count
        #expect(saving.first?.done == 0 && saving.last?.done == size && saving.allSatisfy { $0.total == size })
        #expect(zip(saving, saving.dropFirst()).allSatisfy { $0.done <= $1.done })
        var loading: [(done: Int, total: Int)] = []
        let loaded = try Deduplicator(source: .path(path), scheme: OnePermutationMinHash(signatureLength: 128), options: options, loadBatch: 16) {
            loading.append(($0, $1))
        }
        #expect(loading.map(\.done) == [0, 16, 32, 48, 50] && loading.allSatisfy { $0.total == 50 }, "\(loading)")
        #expect(loaded.count == 50)
        // The settings' first fields alone, without reading the whole file for its checksum.
        var damaged = MinHashLSHPersistenceTests.bytes(path)
        damaged[damaged.count / 2] ^= 1
        let unchecked = try SavedDeduplicatorSettings(source: .bytes(damaged, name: "damaged"), verifyingChecksum: false)
        #expect(unchecked.documentCount == 50 && unchecked.options.verificationBits == bits)
        #expect(throws: IndexFileError.checksumMismatch) { try SavedDeduplicatorSettings(source: .bytes(damaged, name: "damaged")) }
    }

    @Test("a count or parameter field past any valid value is refused, never a trap")
    func hugeFields() throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-huge")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let deduplicator = Deduplicator()
        deduplicator.insert(contentsOf: Array(Self.documents[0..<20]))
        try deduplicator.save(to: path)
        var bytes = MinHashLSHPersistenceTests.bytes(path)
        // The document count follows the parameter line (its u64 length and bytes) at payload
        // offset 0, after the 24-byte header.
        let lineLength = Int(bytes[24]) | Int(bytes[25]) << 8
        let countOffset = 24 + 8 + lineLength
        for offset in countOffset..<countOffset + 8 { bytes[offset] = 0xFF }
        let body = Array(bytes[0..<bytes.count - 8])
        let sum = body.withUnsafeBytes { XXH3.hash64($0, seed: 0) }
        bytes.replaceSubrange(bytes.count - 8..<bytes.count, with: withUnsafeBytes(of: sum.littleEndian, Array.init))
        MinHashLSHPersistenceTests.write(bytes, path)
        #expect(throws: IndexFileError.self) { try Deduplicator(contentsOf: path) }
    }

    @Test("saves while 3 threads insert hold whole batches: every filed document with its verified pairs")
    func saveWhileInserting() async throws {
        let documents = Self.documents
        let byID = Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0) })
        let options = DeduplicatorOptionsForTests.with(.jaccard)
        let shared = Deduplicator(options: options)
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-concurrent-save")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var saved: [Int] = []
        try await withThrowingTaskGroup(of: [Int].self) { group in
            for worker in 0..<3 {
                group.addTask {
                    let mine = stride(from: worker, to: documents.count, by: 3).map { documents[$0] }
                    for start in stride(from: 0, to: mine.count, by: 5) {
                        shared.insert(contentsOf: Array(mine[start..<Swift.min(start + 5, mine.count)]), threads: 2)
                    }
                    return []
                }
            }
            group.addTask {
                var counts: [Int] = []
                // At least once, then as long as the inserts run (how many overlap them depends on
                // the scheduler; each file must be whole whenever it was taken).
                repeat {
                    try shared.save(to: path)
                    let loaded = try Deduplicator(contentsOf: path, options: options)
                    // The same documents inserted in the saved order on one thread: the same pairs.
                    let replay = Deduplicator(options: options)
                    replay.insert(contentsOf: (0..<loaded.count).map { byID[loaded.id(of: $0)]! }, threads: 1)
                    let (found, expected) = (loaded.verifiedPairs(), replay.verifiedPairs())
                    #expect(found == expected, "\(loaded.count) documents saved: \(found.count) pairs, \(expected.count) on replay")
                    counts.append(loaded.count)
                } while shared.count < documents.count
                return counts
            }
            for try await counts in group { saved += counts }
        }
        #expect(!saved.isEmpty && saved.allSatisfy { $0 <= documents.count })
    }
}
