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
            "file has \(Deduplicator().fileParameters); expected \(Deduplicator(scheme: OnePermutationMinHash(signatureLength: 64)).fileParameters)")) {
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
}
