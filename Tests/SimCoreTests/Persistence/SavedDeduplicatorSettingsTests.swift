import Foundation
import Testing
@testable import SimCore

@Suite("SavedDeduplicatorSettings")
struct SavedDeduplicatorSettingsTests {
    static func variants() -> [(SignatureSchemeKind, Int, UInt64, DeduplicationOptions)] {
        var jaccard = DeduplicationOptions()
        jaccard.measure = .jaccard
        jaccard.threshold = 0.65
        jaccard.verification = .exact
        jaccard.banding = BandingParameters(bandCount: 10, rowsPerBand: 6)
        jaccard.shingling = ShinglingOptions(unit: .characters(7), seed: 9)
        var exact = DeduplicationOptions()
        exact.threshold = 1
        var weights = DeduplicationOptions()
        weights.falsePositiveWeight = 0.3
        weights.falseNegativeWeight = 0.7
        weights.maximumRowsPerBand = 3
        var compact = DeduplicationOptions()
        compact.measure = .jaccard
        compact.verificationBits = 8
        // 4-bit lanes with an odd k: 13 values, the row's last three lanes padding.
        var nibbles = DeduplicationOptions()
        nibbles.verificationBits = 4
        return [
            (.oph, 128, 0, DeduplicationOptions()), (.minhash, 64, 42, jaccard), (.superminhash, 32, 7, exact), (.oph, 100, 3, weights),
            (.oph, 128, 5, compact), (.oph, 13, 6, nibbles),
        ]
    }

    @Test("every setting reads back from a saved file, verification bits included", arguments: 0..<6)
    func roundTrip(variant: Int) throws {
        let (kind, k, seed, options) = Self.variants()[variant]
        let path = MinHashLSHPersistenceTests.temporaryPath("settings-\(variant)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        func save<S: SignatureScheme>(_ scheme: S) throws {
            let deduplicator = Deduplicator(scheme: scheme, options: options)
            deduplicator.insert(contentsOf: DeduplicatorTests.reprintedStories(count: 12, seed: 2))
            try deduplicator.save(to: path)
        }
        try save(kind.make(signatureLength: k, seed: seed))
        let saved = try SavedDeduplicatorSettings(contentsOf: path)
        #expect(saved.scheme == kind && saved.signatureLength == k && saved.seed == seed)
        var expected = options
        expected.threads = saved.options.threads
        #expect(saved.options == expected)
        #expect(saved.documentCount == 12)
    }

    @Test("a parameter line with an unknown field or value is refused, naming it", arguments: [
        "scheme=oph k=128 seed=0 measure=cosine threshold=0.8",
        "scheme=lsh k=128",
        "scheme=oph k=128 seed=0 measure=containment threshold=0.8 verification=estimated banding=auto fp=0.1 fn=0.9 rmax=4 shingling={} extra=1",
        "scheme=oph k=128 seed=0 measure=containment threshold=0.8 verification=estimated banding=auto fp=0.1 fn=0.9 rmax=4 shingling={} verification-bits=7",
        "scheme=oph k=128 seed=0 measure=containment threshold=0.8 verification=estimated banding=auto fp=0.1 fn=0.9 rmax=4 shingling={} verification-bits=3",
    ])
    func refusesUnknown(line: String) {
        for version: UInt32 in [1, 2] {
            #expect(throws: IndexFileError.self) { try SavedDeduplicatorSettings(parameterLine: line, documentCount: 0, formatVersion: version) }
        }
    }

    @Test("a file that is not a deduplicator state is refused")
    func notAState() throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("not-state")
        defer { try? FileManager.default.removeItem(atPath: path) }
        MinHashLSHPersistenceTests.write(Array("hello".utf8), path)
        #expect(throws: IndexFileError.self) { try SavedDeduplicatorSettings(contentsOf: path) }
    }
}
