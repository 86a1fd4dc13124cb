import Foundation
import Testing
import SimCore
@testable import SimCoreFixtures
import SimCoreIO

@Suite("CorpusGenerator")
struct CorpusGeneratorTests {
    static func generate(_ options: CorpusGeneratorOptions) -> (bytes: [UInt8], documents: [Document], truth: [GeneratedDocument]) {
        var generator = CorpusGenerator(options: options)
        var bytes: [UInt8] = []
        var documents: [Document] = []
        var truth: [GeneratedDocument] = []
        var text: [UInt8] = []
        while let record = generator.generate(into: &text) {
            bytes.append(contentsOf: text)
            documents.append(Document(id: record.id, utf8: text))
            truth.append(record)
            text.removeAll(keepingCapacity: true)
        }
        return (bytes, documents, truth)
    }

    @Test("the same seed gives byte-identical output, another seed different output")
    func determinism() {
        let first = Self.generate(CorpusGeneratorOptions(documentCount: 60, seed: 42))
        let second = Self.generate(CorpusGeneratorOptions(documentCount: 60, seed: 42))
        let other = Self.generate(CorpusGeneratorOptions(documentCount: 60, seed: 43))
        #expect(first.bytes == second.bytes)
        #expect(first.truth == second.truth)
        #expect(first.bytes != other.bytes)
        #expect(first.documents.count == 60)
    }

    @Test("a fixed seed keeps producing the same corpus (golden prefix and hash)")
    func golden() {
        let corpus = Self.generate(CorpusGeneratorOptions(documentCount: 20, seed: 1))
        let prefix = String(decoding: corpus.documents[0].utf8.prefix(48), as: UTF8.self)
        #expect(prefix == "By Larsen Hannah, Wire Daily\nWire Daily | Septem")
        #expect(XXH3.hash64(corpus.bytes, seed: 0) == 18_382_755_502_694_147_423)
        #expect(corpus.bytes.count == 159_037)
    }

    @Test("documents are valid UTF-8 news-like text of about 6 KB with the configured length range")
    func shape() throws {
        let corpus = Self.generate(CorpusGeneratorOptions(documentCount: 200, seed: 7))
        let mean = Double(corpus.bytes.count) / 200
        #expect(mean > 4_500 && mean < 8_500, "mean \(mean) bytes (seed 7)")
        for document in corpus.documents {
            #expect(String(validating: document.utf8, as: UTF8.self) != nil)
            #expect(document.utf8.count >= 4_000)
            #expect(document.utf8.count < 12_000)
        }
        let text = corpus.documents.map(\.text).joined()
        #expect(text.contains("Comments ("))
        #expect(text.contains("\u{201C}"))
        #expect(text.contains("\""))
        #expect(text.contains(" said "))
        #expect(text.contains("\n\n"))
    }

    @Test("word frequencies fall off like 1/rank (Zipf-like)")
    func zipf() {
        let vocabulary = _GeneratorVocabulary(size: 30_000, seed: 3)
        var random = SplitMix64(seed: 3)
        var counts = [Int](repeating: 0, count: 30_000)
        let draws = 400_000
        for _ in 0..<draws { counts[Int(vocabulary.sampleWord(&random))] += 1 }
        let harmonic = (1...30_000).reduce(0.0) { $0 + 1 / Double($1) }
        // Ranks 1, 2 and 10 each have an expected count over 3,000: within 10% (over 5 sigma).
        for rank in [1, 2, 10] {
            let expected = Double(draws) / (Double(rank) * harmonic)
            #expect(abs(Double(counts[rank - 1]) - expected) < 0.1 * expected, "rank \(rank), seed 3")
        }
        #expect(counts.filter { $0 > 0 }.count > 15_000, "the tail is reached (seed 3)")
    }

    @Test("ground truth equals exact all-pairs at Jaccard ≥ 0.5 on word 5-grams", arguments: [1, 2, 3] as [UInt64])
    func groundTruthMatchesExactAllPairs(seed: UInt64) {
        let corpus = Self.generate(CorpusGeneratorOptions(documentCount: 300, seed: seed, reprintProbability: 0.3))
        let shingler = Shingler(options: ShinglingOptions(unit: .words(5)))
        let sets = corpus.documents.map { shingler.shingles(ofUTF8: $0.utf8) }
        let found = Set(ExactAllPairs.pairs(in: sets, measure: .jaccard, threshold: 0.5).map { [$0.first, $0.second] })
        var planted = Set<[Int]>()
        for a in corpus.truth.indices {
            for b in (a + 1)..<corpus.truth.count where corpus.truth[a].cluster == corpus.truth[b].cluster {
                planted.insert([a, b])
            }
        }
        #expect(planted.count >= 50, "seed \(seed)")
        #expect(found == planted, "seed \(seed): missed \(planted.subtracting(found).sorted { $0.lexicographicallyPrecedes($1) }.prefix(5)), extra \(found.subtracting(planted).sorted { $0.lexicographicallyPrecedes($1) }.prefix(5))")
        let borrowers = corpus.truth.filter { $0.borrowedFrom != nil }
        #expect(borrowers.count >= 20, "paragraph reuse is planted (seed \(seed))")
        let edits = corpus.truth.reduce(CorpusEdits()) { $0.union($1.edits) }
        #expect(edits == CorpusEdits(CorpusEdits.all.map(\.edit)), "every edit kind occurs (seed \(seed))")
    }

    @Test("reprints differ from their original, and clusters respect the size limit")
    func clusters() {
        let corpus = Self.generate(CorpusGeneratorOptions(documentCount: 400, seed: 9, reprintProbability: 0.5, maximumClusterSize: 3))
        var sizes: [Int: Int] = [:]
        for record in corpus.truth {
            sizes[record.cluster, default: 0] += 1
            #expect(record.cluster <= record.index)
            if !record.isOriginal {
                #expect(corpus.documents[record.index].utf8 != corpus.documents[record.cluster].utf8)
                #expect(corpus.truth[record.cluster].isOriginal)
            }
        }
        #expect(sizes.values.max() == 3)
        #expect(corpus.truth[17].id == "g00000017")
    }

    @Test("edit options: short stories without boilerplate whose reprints differ only in the changed words (seed 5)",
          arguments: [0...0, 2...2, 1...4] as [ClosedRange<Int>])
    func editOptions(changedWordCount: ClosedRange<Int>) {
        let options = CorpusGeneratorOptions(
            documentCount: 300, seed: 5, minimumStoryBytes: 300, maximumStoryBytes: 600, reprintProbability: 0.5,
            paragraphReuseProbability: 0, headerProbability: 0, footerProbability: 0, paragraphEditProbability: 0,
            changedWordsProbability: 1, changedWordCount: changedWordCount, appendedSentencesProbability: 0)
        let corpus = Self.generate(options)
        let text = corpus.documents.map(\.text).joined()
        #expect(!text.contains("Comments (") && !text.contains(" GMT\n") && !text.contains("All rights reserved"))
        var reprints = 0
        var changed = 0
        for record in corpus.truth {
            let document = corpus.documents[record.index]
            if record.isOriginal {
                #expect(document.utf8.count >= 300 && document.utf8.count < 1_200, "\(record.id): \(document.utf8.count) bytes")
                #expect(record.borrowedFrom == nil)
                continue
            }
            reprints += 1
            #expect(record.edits.isSubset(of: [.changedWords, .typography]), "\(record.id): \(record.edits.names)")
            let words = NaiveReference.words(document.text)
            let originalWords = NaiveReference.words(corpus.documents[record.cluster].text)
            guard words.count == originalWords.count else {
                Issue.record("\(record.id): \(words.count) words, its original \(originalWords.count)")
                continue
            }
            let differing = zip(words, originalWords).filter { $0 != $1 }.count
            #expect(differing <= changedWordCount.upperBound, "\(record.id): \(differing) words changed")
            if differing > 0 { changed += 1 }
        }
        #expect(reprints > 50)
        if changedWordCount.lowerBound > 0 { #expect(changed * 10 > reprints * 9, "most reprints change a word") }
        if changedWordCount.upperBound == 0 { #expect(changed == 0) }
    }

    @Test("a generator started at a block boundary continues exactly where a full run would be")
    func blocks() {
        let options = CorpusGeneratorOptions(documentCount: 50, seed: 21, reprintProbability: 0.5, blockSize: 16)
        let full = Self.generate(options)
        var generator = CorpusGenerator(options: options, firstDocument: 32)
        var text: [UInt8] = []
        for index in 32..<50 {
            let record = generator.generate(into: &text)
            #expect(record == full.truth[index])
            #expect(text == full.documents[index].utf8)
            text.removeAll()
        }
        #expect(generator.generate(into: &text) == nil)
        // No cluster crosses a block boundary.
        #expect(full.truth.allSatisfy { $0.cluster / 16 == $0.index / 16 })
    }

    @Test("generated text JSON-escaped by the writer's escaper decodes to the plain text")
    func jsonEscaped() throws {
        let options = CorpusGeneratorOptions(documentCount: 12, seed: 4)
        var plain = CorpusGenerator(options: options)
        var a: [UInt8] = []
        var b: [UInt8] = []
        while plain.generate(into: &a) != nil {
            JSONText.appendEscaped(utf8: a, to: &b)
            let decoded = try JSONDecoder().decode(String.self, from: Data([0x22] + b + [0x22]))
            #expect(Array(decoded.utf8) == a)
            #expect(!b.contains(0x0A))
            a.removeAll()
            b.removeAll()
        }
    }

    @Test("zero documents gives nothing")
    func empty() {
        var generator = CorpusGenerator(options: CorpusGeneratorOptions(documentCount: 0))
        #expect(generator.next() == nil)
    }
}
