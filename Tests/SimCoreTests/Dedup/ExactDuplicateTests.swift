import Foundation
import Testing
@testable import SimCore

@Suite("Threshold 1: exact duplicates")
struct ExactDuplicateTests {
    static let base = "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat by the door"

    @Test("identical shingle sets are duplicates at 1, a one-word change and a subset are not",
          arguments: [DeduplicationOptions.Measure.jaccard, .overlap], [DeduplicationOptions.Verification.estimated, .exact])
    func exactOnly(measure: DeduplicationOptions.Measure, verification: DeduplicationOptions.Verification) {
        var options = DeduplicationOptions()
        options.measure = measure
        options.verification = verification
        options.threshold = 1
        #expect(options.findsExactDuplicates)
        let deduplicator = Deduplicator(options: options)
        let texts = [
            Self.base,
            "The QUICK brown fox — jumps over the lazy dog, while the cat sleeps on the warm mat by the door!",  // same tokens
            Self.base.replacingOccurrences(of: "warm", with: "cold"),                                         // one word changed
            String(Self.base.split(separator: " ").prefix(12).joined(separator: " ")),                        // a subset
            Self.base,
        ]
        let results = deduplicator.insert(contentsOf: texts.enumerated().map { Document(id: "d\($0.offset)", utf8: Array($0.element.utf8)) })
        #expect(results.map(\.verdict) == [.new, .duplicate(of: 0, similarity: 1), .new, .new, .duplicate(of: 0, similarity: 1)])
        #expect(deduplicator.banding == BandingParameters(bandCount: 1, rowsPerBand: 128))
        #expect(Set(deduplicator.clusters().map(\.members)) == [[0, 1, 4]])
    }

    @Test("sets that differ in one word are not exact duplicates even when their whole signatures agree (seed 3)")
    func identicalSignaturesDifferentSets() throws {
        var generator = SplitMix64(seed: 3)
        let words = (0..<2_000).map { _ in "w\(generator.next() % 100_000)" }
        let scheme = OnePermutationMinHash(signatureLength: 128, seed: 0)
        let shingler = Shingler()
        func signature(_ text: String) -> [UInt64] {
            var output = [UInt64](repeating: 0, count: 128)
            text.utf8.withContiguousStorageIfAvailable { bytes in
                shingler.withShingleHashes(ofUTF8: UnsafeRawBufferPointer(bytes)) { hashes in
                    output.withUnsafeMutableBufferPointer { scheme.sign(hashes, into: $0) }
                }
            }
            return output
        }
        let original = words.joined(separator: " ")
        // The first one-word change that leaves the whole signature as it was.
        let changed = try #require((1_000..<1_200).lazy.map { position -> String in
            var changed = words
            changed[position] = "different"
            return changed.joined(separator: " ")
        }.first { signature($0) == signature(original) }, "seed 3: no change in 200 kept the signature")
        var options = DeduplicationOptions()
        options.threshold = 1
        let deduplicator = Deduplicator(options: options)
        let results = deduplicator.insert(contentsOf: [
            Document(id: "a", utf8: Array(original.utf8)), Document(id: "b", utf8: Array(changed.utf8)),
        ])
        #expect(results.map(\.verdict) == [.new, .new], "seed 3")
    }

    @Test("the optimal banding at threshold 1 is one band of all k rows", arguments: [1, 16, 128])
    func optimalBanding(k: Int) {
        #expect(BandingParameters.optimal(threshold: 1, signatureLength: k, falsePositiveWeight: 0.1, falseNegativeWeight: 0.9)
                == BandingParameters(bandCount: 1, rowsPerBand: k))
    }

    @Test("an exact-duplicate engine saves and loads with its shingle sets")
    func persistence() throws {
        var options = DeduplicationOptions()
        options.threshold = 1
        let path = MinHashLSHPersistenceTests.temporaryPath("exact")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let original = Deduplicator(options: options)
        original.insert(contentsOf: [Document(id: "a", utf8: Array(Self.base.utf8))])
        try original.save(to: path)
        let resumed = try Deduplicator(contentsOf: path, options: options)
        #expect(resumed.insert(utf8: Array(Self.base.uppercased().utf8), id: "b").verdict == .duplicate(of: 0, similarity: 1))
    }
}
