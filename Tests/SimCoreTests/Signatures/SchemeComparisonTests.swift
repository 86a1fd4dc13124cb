import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreIO

/// Every scheme on the same labelled pairs, checked against the exact similarity it estimates.
///
/// To compare a new scheme, add one line to ``SchemeComparisonTests/entries``.
@Suite("Scheme comparison")
struct SchemeComparisonTests {
    /// One scheme under comparison: how it estimates a pair, the exact value it estimates, and
    /// its standard deviation at that value (the bound is 4σ + 1/k).
    struct Entry: Sendable, CustomStringConvertible {
        let description: String
        let estimate: @Sendable (WeightedShingleSet, WeightedShingleSet) -> Double
        let exact: @Sendable (WeightedShingleSet, WeightedShingleSet) -> Double
        let deviation: @Sendable (Double) -> Double
        let resolution: Double

        /// A MinHash-family scheme estimating Jaccard; `factor` scales √(J(1−J)/k).
        static func minHash(_ scheme: some SignatureScheme, bits: Int? = nil) -> Entry {
            let k = Double(scheme.signatureLength)
            return Entry(
                description: scheme.name,
                estimate: { a, b in scheme.estimatedJaccard(scheme.signature(of: a.unweighted), scheme.signature(of: b.unweighted)) },
                exact: { a, b in a.unweighted.jaccard(with: b.unweighted) },
                deviation: { j in
                    guard let bits else { return (j * (1 - j) / k).squareRoot() }
                    let chance = 1 / Double(UInt64(1) << UInt64(bits))
                    let p = j + (1 - j) * chance
                    return (p * (1 - p) / k).squareRoot() / (1 - chance)
                },
                resolution: 1 / k)
        }

        /// SimHash estimating the angle θ/π between the weighted vectors (bit-flip probability).
        static func simHash(_ simhash: SimHash) -> Entry {
            let bits = Double(simhash.bitCount)
            return Entry(
                description: simhash.name,
                estimate: { a, b in Double(simhash.fingerprint(of: a).hammingDistance(to: simhash.fingerprint(of: b))) / bits },
                exact: { a, b in angleFraction(a, b) },
                deviation: { p in (p * (1 - p) / bits).squareRoot() },
                resolution: 2 / bits)
        }
    }

    static let entries: [Entry] = [
        .minHash(MinHash(signatureLength: 128, seed: 10)),
        .minHash(OnePermutationMinHash(signatureLength: 128, seed: 10)),
        .minHash(SuperMinHash(signatureLength: 128, seed: 10)),
        .minHash(BBitMinHash(MinHash(signatureLength: 128, seed: 10), bits: 1), bits: 1),
        .minHash(BBitMinHash(OnePermutationMinHash(signatureLength: 128, seed: 10), bits: 2), bits: 2),
        .minHash(BBitMinHash(SuperMinHash(signatureLength: 128, seed: 10), bits: 8), bits: 8),
        .simHash(SimHash(bitCount: 64, seed: 10)),
        .simHash(SimHash(bitCount: 128, seed: 10)),
    ]

    /// The labelled pairs: all pairs of the wire stories (word 5-grams) and synthetic pairs with
    /// Jaccard 0.1 ... 0.95.
    static func pairs() throws -> [(label: String, a: WeightedShingleSet, b: WeightedShingleSet)] {
        let documents = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories]).documents
        let shingler = Shingler()
        let sets = documents.map { shingler.weightedShingles(ofUTF8: $0.utf8) }
        var pairs: [(String, WeightedShingleSet, WeightedShingleSet)] = []
        for i in sets.indices {
            for j in sets.indices where j > i { pairs.append(("\(documents[i].id)~\(documents[j].id)", sets[i], sets[j])) }
        }
        var generator = SplitMix64(seed: 2026)
        for jaccard in [0.1, 0.3, 0.5, 0.62, 0.8, 0.95] {
            let (a, b, _) = SyntheticPairs.pair(jaccard: jaccard, unionSize: 1500, generator: &generator)
            pairs.append(("synthetic J=\(jaccard)", WeightedShingleSet(a.hashes), WeightedShingleSet(b.hashes)))
        }
        return pairs
    }

    @Test("every scheme agrees with the exact value within 4σ + resolution on every labelled pair", arguments: entries)
    func agreesWithExact(entry: Entry) throws {
        for (label, a, b) in try Self.pairs() {
            let exact = entry.exact(a, b)
            let estimate = entry.estimate(a, b)
            let bound = 4 * entry.deviation(exact) + entry.resolution
            #expect(abs(estimate - exact) <= bound, "\(entry) on \(label): exact \(exact), estimate \(estimate), bound \(bound)")
        }
    }

    @Test("every MinHash scheme ranks 000~001 (same AFP story) above 000~003 (another outlet)", arguments: entries)
    func ranksReprintsFirst(entry: Entry) throws {
        let pairs = try Self.pairs()
        let reprint = pairs.first { $0.label.hasPrefix("000_") && $0.label.contains("~001_") }!
        let other = pairs.first { $0.label.hasPrefix("000_") && $0.label.contains("~003_") }!
        let sameStory = entry.estimate(reprint.a, reprint.b)
        let different = entry.estimate(other.a, other.b)
        // SimHash reports a distance (smaller is closer); MinHash schemes a similarity.
        if entry.description.hasPrefix("simhash") {
            #expect(sameStory < different, "\(entry)")
        } else {
            #expect(sameStory > different, "\(entry)")
        }
    }
}

/// θ/π for the weighted shingle vectors of `a` and `b` (multiplicities as coordinates).
func angleFraction(_ a: WeightedShingleSet, _ b: WeightedShingleSet) -> Double {
    var dot = 0.0
    var i = 0
    var j = 0
    while i < a.hashes.count && j < b.hashes.count {
        if a.hashes[i] == b.hashes[j] {
            dot += Double(a.multiplicities[i]) * Double(b.multiplicities[j])
            i += 1
            j += 1
        } else if a.hashes[i] < b.hashes[j] {
            i += 1
        } else {
            j += 1
        }
    }
    let normA = a.multiplicities.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    let normB = b.multiplicities.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    guard normA > 0, normB > 0 else { return 0.5 }
    return _acos(min(1, dot / (normA * normB))) / Double.pi
}
