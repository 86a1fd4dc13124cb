import Foundation
import SimCore
import SimCoreFixtures
import Testing

/// Output does not depend on the thread count: signatures, `bands`, `dedupe` and `reuse` are byte-identical
/// for 1, 2 and 7 threads on a generated corpus of 20,000 short documents (300 to 600 bytes, with
/// planted reprints), so that the chunking of work never shows in a result.
@Suite("determinism across thread counts")
struct DeterminismTests {
    static let threadCounts = [1, 2, 7]

    /// 20,000 generated documents (seed 13), short so that the suite stays quick.
    static let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(
        documentCount: 20_000, seed: 13, minimumStoryBytes: 300, maximumStoryBytes: 600, reprintProbability: 0.3))

    /// The corpus as a JSON Lines file, written once.
    static let corpusPath = CLI.corpusFile(corpus)

    @Test("signatures of every bandable scheme are byte-identical for 1, 2 and 7 threads",
          arguments: [SignatureSchemeKind.oph, .minhash, .superminhash])
    func signatures(kind: SignatureSchemeKind) {
        let scheme = kind.make(signatureLength: 64, seed: 11)
        let matrices = Self.threadCounts.map { SignatureMatrix(signing: Self.corpus.documents, scheme: scheme, threads: $0) }
        #expect(matrices[0].values.count == 20_000 * 64)
        for (threads, matrix) in zip(Self.threadCounts, matrices).dropFirst() {
            #expect(matrix == matrices[0], "\(kind.rawValue): \(threads) threads differ from 1")
        }
    }

    @Test("simdedup bands equals the band keys of signatures made on 1, 2 and 7 threads, byte for byte")
    func bands() throws {
        // `bands` streams on one thread; what it must agree with is every batch signing.
        let result = CLI.run(["bands", "--quiet", "--seed", "11", Self.corpusPath])
        try #require(result.status == 0, "\(result.errors)")
        let banding = BandingParameters.optimal(
            threshold: DeduplicationOptions().threshold, signatureLength: 128,
            falsePositiveWeight: DeduplicationOptions().falsePositiveWeight,
            falseNegativeWeight: DeduplicationOptions().falseNegativeWeight)
        let scheme = OnePermutationMinHash(signatureLength: 128, seed: 11)
        for threads in Self.threadCounts {
            let matrix = SignatureMatrix(
                signing: Self.corpus.documents, options: ShinglingOptions(unit: .words(5), seed: 11), scheme: scheme, threads: threads)
            var expected = ""
            for (row, document) in Self.corpus.documents.enumerated() {
                let signature = Array(matrix.values[row * 128..<(row + 1) * 128])
                let keys = signature.allSatisfy({ $0 == .max }) ? [] : BandKey.keys(of: signature, banding: banding)
                expected += #"{"id":"\#(document.id)","bands":[\#(keys.map { String(Int64(bitPattern: $0)) }.joined(separator: ","))]}"# + "\n"
            }
            #expect(result.output == expected, "\(threads) threads")
        }
        // `bands` has no --threads (it streams); its keys must equal every thread count's signing.
    }

    @Test("simdedup dedupe is byte-identical for 1, 2 and 7 threads, for both measures, both verifications and compact bits",
          arguments: [["--measure", "overlap"], ["--measure", "jaccard", "--verification", "exact"],
                      ["--measure", "jaccard", "--verification-bits", "8"], ["--measure", "overlap", "--verification-bits", "4"]])
    func dedupe(options: [String]) throws {
        let outputs = Self.threadCounts.map { threads in
            CLI.run(["dedupe", "--quiet", "--threads", String(threads)] + options + [Self.corpusPath])
        }
        for (threads, result) in zip(Self.threadCounts, outputs) {
            #expect(result.status == 0, "\(threads) threads: \(result.errors)")
        }
        #expect(outputs[0].output.split(separator: "\n").count == 20_000)
        for (threads, result) in zip(Self.threadCounts, outputs).dropFirst() {
            #expect(result.output == outputs[0].output, "\(options): \(threads) threads differ from 1")
        }
        // The corpus has duplicates to find, so identical outputs are not identical emptiness.
        #expect(outputs[0].output.contains(#""representative":false"#))
    }

    @Test("simdedup reuse (pairs and --passages groups) is byte-identical for 1, 2 and 7 threads", arguments: [false, true])
    func reuse(groups: Bool) throws {
        let outputs = Self.threadCounts.map { threads in
            CLI.run(["reuse", "--quiet", "--threads", String(threads)] + (groups ? ["--passages"] : []) + [Self.corpusPath])
        }
        for (threads, result) in zip(Self.threadCounts, outputs) {
            #expect(result.status == 0, "\(threads) threads: \(result.errors)")
        }
        // The generator plants reprints and reused paragraphs: there is reuse to report.
        #expect(outputs[0].output.split(separator: "\n").count > 100, "\(outputs[0].output.prefix(200))")
        for (threads, result) in zip(Self.threadCounts, outputs).dropFirst() {
            #expect(result.output == outputs[0].output, "reuse\(groups ? " --passages" : ""): \(threads) threads differ from 1")
        }
    }
}
