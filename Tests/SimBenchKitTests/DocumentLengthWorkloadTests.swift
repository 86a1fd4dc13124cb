import SimCore
import Testing
@testable import SimBenchKit

@Suite("Per-document cost at document lengths (simbench lengths)")
struct DocumentLengthWorkloadTests {
    @Test("words are runs of non-space bytes; the cut ends after the Nth word")
    func words() {
        let text = Array("  one two\n\nthree\tfour  five ".utf8)
        #expect(DocumentLengthWorkload.wordCount(of: text) == 5)
        #expect(DocumentLengthWorkload.wordCount(of: []) == 0)
        #expect(DocumentLengthWorkload.wordCount(of: Array("   ".utf8)) == 0)
        #expect(String(decoding: text[..<DocumentLengthWorkload.endOfWords(1, in: text)], as: UTF8.self) == "  one")
        #expect(String(decoding: text[..<DocumentLengthWorkload.endOfWords(3, in: text)], as: UTF8.self) == "  one two\n\nthree")
        #expect(DocumentLengthWorkload.endOfWords(5, in: text) == text.count - 1)
        #expect(DocumentLengthWorkload.endOfWords(9, in: text) == text.count)
        // Multi-byte letters are part of their word.
        let accented = Array("été à Noël".utf8)
        #expect(String(decoding: accented[..<DocumentLengthWorkload.endOfWords(2, in: accented)], as: UTF8.self) == "été à")
    }

    @Test("each corpus has exactly the asked words per document, is the same for every thread count, and holds reprints")
    func corpora() {
        for words in [1, 50, 200] {
            let documents = DocumentLengthWorkload.documents(words: words, count: 300, seed: 3, threads: 1)
            #expect(documents.count == 300)
            #expect(documents.allSatisfy { DocumentLengthWorkload.wordCount(of: $0.utf8) == words }, "\(words) words")
            #expect(DocumentLengthWorkload.documents(words: words, count: 300, seed: 3, threads: 2).map(\.utf8) == documents.map(\.utf8))
        }
        // The generator's planted reprints survive the cut: the engine finds duplicates.
        let documents = DocumentLengthWorkload.documents(words: 200, count: 400, seed: 3)
        let engine = Deduplicator(scheme: OnePermutationMinHash(signatureLength: 128, seed: 0))
        engine.insert(contentsOf: documents, threads: 1)
        #expect(engine.keptDocuments().count < 380)
    }

    @Test("the per-document cost is the slope of time over documents")
    func slope() throws {
        // 0.25 s of per-word work in every corpus, 3 µs per document.
        let points = [100_000.0, 25_000, 5_000].map { (documents: $0, seconds: 0.25 + 3e-6 * $0) }
        let slope = try #require(DocumentLengthWorkload.perDocumentCost(points))
        #expect(abs(slope - 3e-6) < 1e-12)
        #expect(DocumentLengthWorkload.perDocumentCost([(documents: 10, seconds: 1)]) == nil)
        #expect(DocumentLengthWorkload.perDocumentCost([(documents: 10, seconds: 1), (documents: 10, seconds: 2)]) == nil)
    }

    @Test("two records per length and thread count, with their costs and the series' slope")
    func records() {
        let context = BenchmarkContext(
            documents: [], threadCounts: [1, 2], sampler: Sampler(samples: 1, minimumSampleSeconds: 0, warmsUp: false))
        let workload = DocumentLengthWorkload(lengths: [20, 80], wordsPerCorpus: 8_000, seed: 5)
        #expect(workload.measurementCount(in: context) == 8)
        let records = workload.run(in: context).records
        #expect(records.map(\.variant) == [
            "20 words: shingle+sign only", "20 words: jaccard>=0.8 estimated oph k=128",
            "20 words: shingle+sign only", "20 words: jaccard>=0.8 estimated oph k=128",
            "80 words: shingle+sign only", "80 words: jaccard>=0.8 estimated oph k=128",
            "80 words: shingle+sign only", "80 words: jaccard>=0.8 estimated oph k=128",
        ])
        #expect(records.map(\.threads) == [1, 1, 2, 2, 1, 1, 2, 2])
        #expect(records.map(\.units.documents) == [400, 400, 400, 400, 100, 100, 100, 100])
        for record in records {
            #expect(record.workload == "dedupe-lengths")
            #expect(record.metrics["wordsPerDocument"] == (record.units.documents == 400 ? 20 : 80))
            #expect((record.metrics["microsecondsPerDocument"] ?? 0) > 0 && (record.metrics["nanosecondsPerWord"] ?? 0) > 0)
            #expect(record.metrics["perDocumentMicroseconds"] != nil, "\(record.variant)")
        }
        for record in records where !record.variant.hasSuffix("only") {
            #expect((1...record.units.documents).contains(Int(record.metrics["keptDocuments"] ?? 0)))
            #expect((record.metrics["engineBytesPerDocument"] ?? 0) > 1_024)
        }
    }
}
