import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreIO

@Suite("SimHash")
struct SimHashTests {
    /// A text of `count` words drawn from a 5,000-word synthetic vocabulary.
    static func words(_ count: Int, generator: inout SplitMix64) -> [String] {
        (0..<count).map { _ in "w\(generator.next() % 5000)" }
    }

    @Test("Hamming distance grows monotonically with the number of edits (mean over 20 seeds)", arguments: [64, 128])
    func monotonicInEdits(bitCount: Int) {
        let simhash = SimHash(bitCount: bitCount, seed: 1)
        let shingler = Shingler(options: ShinglingOptions(unit: .words(3)))
        let editCounts = [0, 10, 40, 100, 200, 400]
        var totals = [Double](repeating: 0, count: editCounts.count)
        for trial in 0..<20 {
            var generator = SplitMix64(seed: UInt64(trial))
            let base = Self.words(1000, generator: &generator)
            let original = simhash.fingerprint(of: shingler.weightedShingles(of: base.joined(separator: " ")))
            for (slot, edits) in editCounts.enumerated() {
                var edited = base
                // Replace `edits` evenly spread words with fresh ones.
                for e in 0..<edits { edited[e * base.count / max(edits, 1)] = "x\(generator.next())" }
                let print = simhash.fingerprint(of: shingler.weightedShingles(of: edited.joined(separator: " ")))
                totals[slot] += Double(print.hammingDistance(to: original))
            }
        }
        #expect(totals[0] == 0)
        for slot in 1..<totals.count {
            #expect(totals[slot] > totals[slot - 1], "bits \(bitCount): \(totals)")
        }
    }

    @Test("raw hashes with repeats and the weighted set give the same fingerprint")
    func weightsAreMultiplicities() {
        var hashes = randomHashes(300, seed: 3)
        hashes += hashes.prefix(100) + hashes.prefix(7)
        for bitCount in [64, 128] {
            let simhash = SimHash(bitCount: bitCount, seed: 4)
            let raw = hashes.withUnsafeBufferPointer { simhash.fingerprint(of: $0) }
            #expect(raw == simhash.fingerprint(of: WeightedShingleSet(hashes)))
            #expect(raw != simhash.fingerprint(of: WeightedShingleSet(hashes.suffix(200))))
        }
    }

    @Test("a heavy shingle dominates: one hash with weight above all others' sum gives its own bits")
    func weightDominates() {
        let simhash = SimHash(seed: 0)
        let heavy: UInt64 = 12345
        let hashes = [UInt64](repeating: heavy, count: 101) + randomHashes(100, seed: 1)
        let print = hashes.withUnsafeBufferPointer { simhash.fingerprint(of: $0) }
        let alone = simhash.fingerprint(of: WeightedShingleSet([heavy]))
        #expect(print == alone)
    }

    @Test("the 128-bit fingerprint's low word is the 64-bit fingerprint; empty documents give 0")
    func widths() {
        let hashes = randomHashes(500, seed: 8)
        let narrow = hashes.withUnsafeBufferPointer { SimHash(bitCount: 64, seed: 6).fingerprint(of: $0) }
        let wide = hashes.withUnsafeBufferPointer { SimHash(bitCount: 128, seed: 6).fingerprint(of: $0) }
        #expect(wide.low == narrow.low && wide.high != 0)
        #expect(SimHash().fingerprint(of: WeightedShingleSet([UInt64]())) == SimHashFingerprint(low: 0))
        #expect(SimHashFingerprint(low: 0b1011).hammingDistance(to: SimHashFingerprint(low: 0b0001)) == 2)
    }

    @Test("cos(π·x) series matches the libm cosine to 1e-12")
    func cosine() {
        for step in 0...100 {
            let x = Double(step) / 100
            #expect(abs(_cosPi(x) - _cosPiReference(x)) < 1e-12, "x = \(x)")
        }
    }

    @Test("batch fingerprints equal one-by-one fingerprints, for any thread count")
    func batch() throws {
        let documents = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories]).documents
        let options = ShinglingOptions(unit: .words(5))
        let shingler = Shingler(options: options)
        for bitCount in [64, 128] {
            let simhash = SimHash(bitCount: bitCount, seed: 2)
            let single = documents.map { simhash.fingerprint(of: shingler.weightedShingles(ofUTF8: $0.utf8)) }
            for threads in [1, 2, 3] {
                #expect(simhash.fingerprints(of: documents, options: options, threads: threads) == single)
            }
        }
    }
}

extension Shingler {
    func weightedShingles(ofUTF8 bytes: [UInt8]) -> WeightedShingleSet {
        bytes.withUnsafeBytes { weightedShingles(ofUTF8: $0) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
func _cosPiReference(_ x: Double) -> Double { cos(Double.pi * x) }
func _acos(_ x: Double) -> Double { acos(x) }
