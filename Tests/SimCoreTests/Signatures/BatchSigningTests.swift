import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreIO

@Suite("Batch signing")
struct BatchSigningTests {
    static let schemes: [any SignatureScheme] = [
        MinHash(signatureLength: 128, seed: 1), OnePermutationMinHash(signatureLength: 128, seed: 1), SuperMinHash(signatureLength: 64, seed: 1),
        BBitMinHash(SuperMinHash(signatureLength: 64, seed: 1), bits: 2),
    ]

    /// The wire stories plus an empty document and many short generated ones (more chunks than
    /// threads), so chunking is exercised.
    static func corpus() throws -> [Document] {
        var documents = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories]).documents
        documents.append(Document(id: "empty", text: ""))
        var generator = SplitMix64(seed: 3)
        for n in 0..<60 {
            let words = (0..<(n * 7 % 50)).map { _ in "t\(generator.next() % 40)" }
            documents.append(Document(id: "g\(n)", text: words.joined(separator: " ")))
        }
        return documents
    }

    @Test("rows equal one-by-one signatures, for 1, 2 and 3 threads and both input forms", arguments: schemes.indices)
    func matchesSingle(index: Int) throws {
        let scheme = Self.schemes[index]
        let documents = try Self.corpus()
        let options = ShinglingOptions(unit: .words(3), seed: 5)
        let shingler = Shingler(options: options)
        let expected = documents.flatMap { document in
            document.utf8.withUnsafeBytes { bytes in
                shingler.withShingleHashes(ofUTF8: bytes) { scheme.signature(ofHashes: $0) }
            }
        }
        for threads in [1, 2, 3] {
            let matrix = SignatureMatrix(signing: documents, options: options, scheme: scheme, threads: threads)
            #expect(matrix.count == documents.count && matrix.signatureLength == scheme.signatureLength)
            #expect(matrix.values == expected, "\(scheme.name), \(threads) threads")
            let fromBytes = SignatureMatrix(signingUTF8: documents.map(\.utf8), options: options, scheme: scheme, threads: threads)
            #expect(fromBytes == matrix)
        }
        let empty = documents.firstIndex { $0.id == "empty" }!
        let emptyRow = SignatureMatrix(signing: documents, options: options, scheme: scheme)[empty]
        #expect(Set(emptyRow).count == 1)
    }

    @Test("an empty corpus gives an empty matrix; bytes per document is 8k")
    func emptyCorpus() {
        let matrix = SignatureMatrix(signing: [], scheme: MinHash(signatureLength: 16))
        #expect(matrix.count == 0 && matrix.signatureLength == 16 && matrix.bytesPerDocument == 128)
    }

    @Test("matrix estimates: 000 vs 001 near their exact Jaccard, a row with itself is 1")
    func matrixEstimate() throws {
        let documents = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories]).documents
        let scheme = OnePermutationMinHash(signatureLength: 256, seed: 4)
        let matrix = SignatureMatrix(signing: documents, scheme: scheme)
        let shingler = Shingler()
        let exact = shingler.shingles(ofUTF8: documents[0].utf8).jaccard(with: shingler.shingles(ofUTF8: documents[1].utf8))
        #expect(matrix.estimatedJaccard(0, 0, scheme: scheme) == 1)
        // 4σ with σ = √(J(1−J)/k).
        #expect(abs(matrix.estimatedJaccard(0, 1, scheme: scheme) - exact) <= 4 * (exact * (1 - exact) / 256).squareRoot())
    }
}
