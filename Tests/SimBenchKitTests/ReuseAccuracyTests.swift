import SimCore
import SimCoreFixtures
import Testing
@testable import SimBenchKit

@Suite("Text reuse against planted passages")
struct ReuseAccuracyTests {
    @Test("word-level passage precision and recall at least 0.95 on generated planted reuse", arguments: [3, 17] as [UInt64])
    func plantedReuse(seed: UInt64) {
        let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(
            documentCount: 500, seed: seed, paragraphReuseProbability: 0.5, reusedParagraphEditProbability: 0.5))
        let documents = corpus.documents
        let pairs = ReuseIndex.pairs(in: documents, boilerplate: BoilerplateLines(documents: documents))
        let accuracy = PassageAccuracy(found: pairs, truth: corpus.sharedPassages, documents: documents)
        #expect(accuracy.planted > 10_000, "corpus seed \(seed)")
        #expect(accuracy.precision >= 0.95, "corpus seed \(seed): \(accuracy)")
        #expect(accuracy.recall >= 0.95, "corpus seed \(seed): \(accuracy)")
    }

    @Test("accuracy counts words, by their first byte, on both sides of every pair")
    func counting() {
        let documents = [Document(id: "a", text: "one two three four"), Document(id: "b", text: "one two three five")]
        let found = [ReusedPair(first: 0, second: 1, alignment: Alignment(
            passages: [AlignedPassage(bytesA: 0..<13, bytesB: 0..<13, wordsA: 0..<3, wordsB: 0..<3, matchedWords: 3)],
            wordCountA: 4, wordCountB: 4))]
        let truth = PassageTruth(pairs: [PassageTruth.Pair(first: 0, second: 1, passages: [
            PassageTruth.Passage(bytesA: 4..<18, bytesB: 4..<18, edited: true),
        ])])
        let accuracy = PassageAccuracy(found: found, truth: truth, documents: documents)
        #expect(accuracy.reported == 6 && accuracy.planted == 6 && accuracy.hits == 4)
        #expect(PassageAccuracy(found: [], truth: PassageTruth(pairs: []), documents: documents).precision == 1)
    }
}
