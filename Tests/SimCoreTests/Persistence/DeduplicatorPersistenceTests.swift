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
          arguments: [(DeduplicationOptions.Measure.jaccard, 8), (.jaccard, 16), (.overlap, 8)])
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

    /// Writes the engine's state in format version 1, as builds before version 2 did.
    static func writeVersion1(_ deduplicator: Deduplicator<OnePermutationMinHash>, to path: String) throws {
        var writer = _BinaryWriter()
        deduplicator.lock.withLock {
            let state = deduplicator.state
            writer.write(array: Array(deduplicator.fileParameters(version: 1).utf8))
            writer.write(UInt64(state.documents.count))
            writer.write(array: state.documents.byteCounts.map { UInt64($0) })
            writer.write(array: state.filed.sizes)
            writer.write(array: state.filed.signatures.words)
            writer.write(array: state.documents.idLengths.map { UInt32($0) })
            writer.write(array: state.documents.idBytes)
            writer.write(array: state.filed.sets.map { UInt32($0.count) })
            writer.write(array: state.filed.sets.flatMap(\.hashes))
            writer.write(array: state.pairs.flatMap { [UInt64($0.first), UInt64($0.second), $0.similarity.bitPattern] })
        }
        try _IndexFile.write(payload: writer.bytes, magic: Array("SCDEDUP\u{0}".utf8), version: 1, to: path)
    }

    @Test("version-1 files load, into whole or compact engines, and continue as never stopping", arguments: [64, 8])
    func version1(bits: Int) throws {
        let options = DeduplicatorOptionsForTests.with(.jaccard)
        let path = MinHashLSHPersistenceTests.temporaryPath("dedup-v1-\(bits)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let original = Deduplicator(options: options)
        original.insert(contentsOf: Array(Self.documents[0..<300]))
        try Self.writeVersion1(original, to: path)
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
        #expect(throws: IndexFileError.unsupportedVersion(found: 3, supported: 2)) {
            var bytes = MinHashLSHPersistenceTests.bytes(path)
            bytes[8] = 3
            // Keep the checksum valid so that the version is what is refused.
            let body = Array(bytes[0..<bytes.count - 8])
            let sum = body.withUnsafeBytes { XXH3.hash64($0, seed: 0) }
            bytes.replaceSubrange(bytes.count - 8..<bytes.count, with: withUnsafeBytes(of: sum.littleEndian, Array.init))
            MinHashLSHPersistenceTests.write(bytes, path)
            return try Deduplicator(contentsOf: path, options: compact)
        }
    }
}
