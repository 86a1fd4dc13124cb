import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreIO

@Suite("Signature estimators")
struct SignatureEstimatorsTests {
    @Test("SIMD equality count equals the scalar count for every length 0...40")
    func equalCount() {
        var generator = SplitMix64(seed: 1)
        for count in 0...40 {
            let a = (0..<count).map { _ in generator.next() % 4 }
            let b = (0..<count).map { _ in generator.next() % 4 }
            #expect(SignatureEstimators.equalCount(a, b) == zip(a, b).filter { $0 == $1 }.count, "n = \(count)")
        }
    }

    @Test("Hamming distance is the popcount of the XOR")
    func hamming() {
        let a: [UInt64] = [0, .max, 0b1010]
        let b: [UInt64] = [1, 0, 0b0110]
        let distance = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { SignatureEstimators.hammingDistance(a, $0) } }
        #expect(distance == 1 + 64 + 2)
    }

    @Test("containment from exact Jaccard and sizes is the exact containment")
    func containment() {
        var generator = SplitMix64(seed: 2)
        for (shared, onlyA, onlyB) in [(10, 0, 30), (50, 50, 0), (1, 99, 3), (0, 5, 5), (30, 10, 200)] {
            let common = (0..<shared).map { _ in generator.next() }
            let a = ShingleSet(common + (0..<onlyA).map { _ in generator.next() })
            let b = ShingleSet(common + (0..<onlyB).map { _ in generator.next() })
            let estimate = SignatureEstimators.containment(fromJaccard: a.jaccard(with: b), sizeOfA: a.count, sizeOfB: b.count)
            #expect(abs(estimate - a.containment(in: b)) < 1e-12, "\(shared) \(onlyA) \(onlyB)")
        }
        #expect(SignatureEstimators.containment(fromJaccard: 0.5, sizeOfA: 10, sizeOfB: 20) == 1)
        #expect(SignatureEstimators.containment(fromJaccard: 0.3, sizeOfA: 0, sizeOfB: 20) == 0)
    }

    @Test("estimated containment from OPH signatures of the wire stories: 001 in 000 within 0.1 of exact")
    func containmentFromSignatures() throws {
        let documents = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories]).documents
        let shingler = Shingler()
        let sets = documents.map { shingler.shingles(ofUTF8: $0.utf8) }
        let scheme = OnePermutationMinHash(signatureLength: 256, seed: 1)
        let estimate = scheme.estimatedContainment(
            of: scheme.signature(of: sets[1]), in: scheme.signature(of: sets[0]),
            sizeOfA: sets[1].count, sizeOfB: sets[0].count)
        #expect(abs(estimate - sets[1].containment(in: sets[0])) < 0.1, "estimate \(estimate)")
    }
}
