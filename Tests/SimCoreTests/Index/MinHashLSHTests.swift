import Testing
@testable import SimCore

@Suite("MinHashLSH")
struct MinHashLSHTests {
    /// A random set of `count` hashes.
    static func randomSet(_ count: Int, _ generator: inout SplitMix64) -> [UInt64] {
        (0..<count).map { _ in generator.next() }
    }

    @Test("insert, query, remove")
    func basics() {
        let scheme = TestMinHash(signatureLength: 32, seed: 3)
        var generator = SplitMix64(seed: 11)
        let a = Self.randomSet(50, &generator)
        let b = Self.randomSet(50, &generator)
        var index = MinHashLSH(signatureLength: 32, banding: BandingParameters(bandCount: 8, rowsPerBand: 4))
        let numbers = [a, b, a].map { index.insert(scheme.signature(of: $0)) }
        #expect(numbers == [0, 1, 2])
        #expect(index.candidates(for: scheme.signature(of: a)) == [0, 2])
        #expect(index.candidates(for: scheme.signature(of: b)) == [1])
        let removedOnce = index.remove(0)
        let removedTwice = index.remove(0)
        #expect(removedOnce && !removedTwice)
        #expect(!index.contains(0) && index.contains(2))
        #expect(index.candidates(for: scheme.signature(of: a)) == [2])
        #expect(index.liveCount == 2 && index.count == 3)
    }

    @Test("empty documents are numbered but never candidates")
    func empty() {
        let scheme = TestMinHash(signatureLength: 16)
        var index = MinHashLSH(signatureLength: 16, banding: BandingParameters(bandCount: 4, rowsPerBand: 4))
        let empty = scheme.signature(of: [])
        #expect(empty.allSatisfy { $0 == .max })
        let numbers = [index.insert(empty), index.insert(empty)]
        #expect(numbers == [0, 1])
        #expect(index.candidates(for: empty).isEmpty)
    }

    @Test("batch build on 1 and 2 threads equals one-by-one inserts")
    func batch() {
        let scheme = TestMinHash(signatureLength: 64, seed: 5)
        var generator = SplitMix64(seed: 21)
        var sets = (0..<300).map { _ in Self.randomSet(40, &generator) }
        for i in stride(from: 0, to: 300, by: 3) { sets[i + 1] = Array(sets[i].dropFirst(2)) + [generator.next()] }
        sets[7] = []
        let signatures = SignatureMatrix(signatureLength: 64, values: sets.flatMap { scheme.signature(of: $0) })
        let banding = BandingParameters.optimal(threshold: 0.7, signatureLength: 64)
        var sequential = MinHashLSH(signatureLength: 64, banding: banding)
        for row in 0..<signatures.count { sequential.insert(Array(signatures[row])) }
        for threads in [1, 2] {
            var batch = MinHashLSH(signatureLength: 64, banding: banding)
            let first = batch.insert(contentsOf: signatures, threads: threads)
            #expect(first == 0..<300)
            // A second batch goes into non-empty shards.
            var twice = batch
            let second = twice.insert(contentsOf: signatures, threads: threads)
            #expect(second == 300..<600)
            for row in 0..<signatures.count {
                let query = Array(signatures[row])
                let expected = sequential.candidates(for: query)
                #expect(batch.candidates(for: query) == expected)
                #expect(twice.candidates(for: query) == expected + expected.map { $0 + 300 })
            }
        }
        #expect(sequential.candidates(for: Array(signatures[0])).contains(1))
    }

    /// Pairs of sets with an exact Jaccard similarity become candidates at the S-curve's rate.
    ///
    /// Bound: 300 pairs per similarity, so the measured rate's standard deviation is at most
    /// 0.029; the tolerance is 0.1 (about 3.4 standard deviations) around `1 − (1 − sʳ)ᵇ`.
    @Test("candidate probability follows the S-curve (seeded, tolerance 0.1)")
    func sCurve() {
        let seed: UInt64 = 2024
        let k = 128
        let scheme = TestMinHash(signatureLength: k, seed: seed)
        let banding = BandingParameters.optimal(threshold: 0.8, signatureLength: k)
        var generator = SplitMix64(seed: seed)
        let trials = 300
        let size = 60
        for shared in [20, 40, 48, 52, 56, 58] {
            let jaccard = Double(shared) / Double(2 * size - shared)
            var index = MinHashLSH(signatureLength: k, banding: banding)
            var queries: [[UInt64]] = []
            for _ in 0..<trials {
                let common = Self.randomSet(shared, &generator)
                index.insert(scheme.signature(of: common + Self.randomSet(size - shared, &generator)))
                queries.append(scheme.signature(of: common + Self.randomSet(size - shared, &generator)))
            }
            var hits = 0
            for (trial, query) in queries.enumerated() where index.candidates(for: query).contains(trial) { hits += 1 }
            let measured = Double(hits) / Double(trials)
            let expected = banding.candidateProbability(similarity: jaccard)
            #expect(abs(measured - expected) <= 0.1,
                    "seed \(seed), \(banding), J=\(jaccard): measured \(measured), expected \(expected)")
        }
    }
}
