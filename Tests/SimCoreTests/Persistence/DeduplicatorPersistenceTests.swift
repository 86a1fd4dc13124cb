import Foundation
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

    @Test("a saved file is its envelope around the sections, written row by row into one buffer: the signature section holds every row in the store's layout")
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
        // The same payload written by the one-piece writer gives the same bytes.
        let other = MinHashLSHPersistenceTests.temporaryPath("dedup-layout-payload")
        defer { try? FileManager.default.removeItem(atPath: other) }
        try _IndexFile.write(
            payload: Array(file[_IndexFile.headerSize..<(file.count - 8)]), magic: Deduplicator<OnePermutationMinHash>.fileMagic,
            version: Deduplicator<OnePermutationMinHash>.fileFormatVersion, to: other)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: other))) == file)
        // The signature section: every row, expanded from its filled bins, as `words` gives them.
        let words = engine.state.filed.signatures.words
        let rowBytes = words.withUnsafeBytes { Array($0) }
        let found = (0...(file.count - rowBytes.count)).contains { Array(file[$0..<$0 + rowBytes.count]) == rowBytes }
        #expect(words.count == 150 * 128 && found)
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
        let rest = Array(Self.documents[300...])
        #expect(resumed.insert(contentsOf: rest) == original.insert(contentsOf: rest))
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
        #expect(throws: IndexFileError.unsupportedVersion(found: 4, supported: 3)) {
            var bytes = MinHashLSHPersistenceTests.bytes(path)
            bytes[8] = 4
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
