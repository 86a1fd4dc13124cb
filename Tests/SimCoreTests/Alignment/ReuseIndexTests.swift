import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreIO
import SimCoreInternals

@Suite("Corpus-wide reuse")
struct ReuseIndexTests {
    /// Short stories with reprints and borrowed paragraphs, some lightly edited.
    static let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(
        documentCount: 240, seed: 31, minimumStoryBytes: 800, maximumStoryBytes: 1_600, reprintProbability: 0.3,
        maximumClusterSize: 3, paragraphReuseProbability: 0.6, blockSize: 120, reusedParagraphEditProbability: 0.5))

    @Test("the index finds every pair brute force finds: all pairs aligned one by one")
    func bruteForce() {
        let documents = Self.corpus.documents
        let aligner = PassageAligner()
        var expected: [ReusedPair] = []
        for first in documents.indices {
            for second in (first + 1)..<documents.count {
                let alignment = aligner.align(utf8: documents[first].utf8, documents[second].utf8)
                if !alignment.passages.isEmpty { expected.append(ReusedPair(first: first, second: second, alignment: alignment)) }
            }
        }
        let found = ReuseIndex.pairs(in: documents, options: ReuseOptions(maximumDocumentFrequency: documents.count), threads: 2)
        #expect(expected.count > 100)
        #expect(found == expected)
    }

    @Test("the output is the same for every thread count", arguments: [1, 2, 3, 8])
    func threads(threads: Int) {
        let documents = Self.corpus.documents
        #expect(ReuseIndex.pairs(in: documents, threads: threads) == ReuseIndex.pairs(in: documents, threads: 1))
    }

    @Test("streaming documents one by one gives the batch's pairs")
    func streaming() {
        let documents = Self.corpus.documents
        let options = ReuseOptions(maximumDocumentFrequency: documents.count)
        let index = ReuseIndex(options: options)
        var streamed: [ReusedPair] = []
        for document in documents {
            streamed += index.matches(for: document, threads: 2)
            index.insert(document)
        }
        #expect(index.count == documents.count)
        let batch = ReuseIndex.pairs(in: documents, options: options)
        #expect(streamed.sorted { ($0.first, $0.second) < ($1.first, $1.second) } == batch)
    }

    @Test("a passage held by more documents than the cap makes no candidate pair")
    func documentFrequencyCap() {
        var generator = SplitMix64(seed: 4)
        func words(_ count: Int) -> String { (0..<count).map { _ in "w\(generator.next() % 100_000)" }.joined(separator: " ") }
        let shared = words(30)
        let documents = (0..<5).map { Document(id: "d\($0)", text: words(50) + " " + shared + " " + words(50)) }
        #expect(ReuseIndex.pairs(in: documents, options: ReuseOptions(maximumDocumentFrequency: 4)).isEmpty)
        let pairs = ReuseIndex.pairs(in: documents, options: ReuseOptions(maximumDocumentFrequency: 5))
        #expect(pairs.map { [$0.first, $0.second] } == [[0, 1], [0, 2], [0, 3], [0, 4], [1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4]])
        #expect(pairs.allSatisfy { $0.alignment.passages.count == 1 && $0.alignment.passages[0].wordsA == 50..<80 })
        let groups = PassageGroup.groups(of: pairs)
        #expect(groups.count == 1)
        #expect(groups.first?.members.map(\.document) == [0, 1, 2, 3, 4])
        #expect(groups.first?.members.allSatisfy { $0.words == 50..<80 } == true)
    }

    @Test("the wire stories: 000, 001 and 002 share passages; 003 and 004 share none")
    func wireStories() throws {
        let documents = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories]).documents
        let pairs = ReuseIndex.pairs(in: documents)
        #expect(pairs.map { [$0.first, $0.second] } == [[0, 1], [0, 2], [1, 2]])
        #expect(pairs[0].alignment.coverageB >= 0.9)
    }

    @Test("boilerplate lines: found by document frequency, blanked in place, no reuse through them")
    func boilerplate() {
        var generator = SplitMix64(seed: 12)
        func words(_ count: Int) -> String { (0..<count).map { _ in "w\(generator.next() % 100_000)" }.joined(separator: " ") }
        let navigation = "Home | World | Business | Markets | Tech | Opinion | Sport | Culture | Travel | Weather | Video | Podcasts | Newsletters"
        let copyright = "© Copyright AFP 2024. All rights reserved."
        let bodies = (0..<30).map { _ in words(60) }
        let documents = (0..<30).map { number in
            Document(id: "d\(number)", text: navigation + "\n\n" + bodies[number] + "\n"
                + (number % 2 == 0 ? copyright : "(c) Copyright AFP 2024 - all rights reserved") + "\n")
        }
        let model = BoilerplateLines(documents: documents)
        #expect(model.threshold == 10)
        #expect(model.lines.map(\.text) == [navigation, copyright, "(c) Copyright AFP 2024 - all rights reserved"])
        #expect(model.lines.map(\.documents) == [30, 15, 15])
        let blanked = model.blanking(documents[0].utf8)
        #expect(blanked.count == documents[0].utf8.count)
        #expect(TextNormalizer().normalize(String(decoding: blanked, as: UTF8.self)) == TextNormalizer().normalize(bodies[0]))
        let ranges = model.ranges(in: documents[1].utf8)
        #expect(ranges.count == 2 && ranges.first == 0..<navigation.utf8.count)
        #expect(ranges.last.map { String(decoding: documents[1].utf8[$0], as: UTF8.self) } == "(c) Copyright AFP 2024 - all rights reserved")
        #expect(ReuseIndex.pairs(in: documents, options: ReuseOptions(maximumDocumentFrequency: 100)).count == 30 * 29 / 2)
        #expect(ReuseIndex.pairs(in: documents, options: ReuseOptions(maximumDocumentFrequency: 100), boilerplate: model).isEmpty)
        // Too few documents for the threshold: nothing is boilerplate.
        #expect(BoilerplateLines(documents: Array(documents.prefix(9))).isEmpty)
        #expect(BoilerplateOptions().threshold(documentCount: 100_000) == 1_000)
    }

    @Test("planted passages of a generated corpus: spans of unedited copies normalize to the same text")
    func plantedSpans() {
        let corpus = Self.corpus
        let truth = corpus.sharedPassages
        #expect(truth.pairs.count > 100)
        let normalizer = TextNormalizer()
        var edited = 0
        for pair in truth.pairs {
            for passage in pair.passages {
                let a = normalizer.normalize(utf8: Array(corpus.documents[pair.first].utf8[passage.bytesA]))
                let b = normalizer.normalize(utf8: Array(corpus.documents[pair.second].utf8[passage.bytesB]))
                if passage.edited { edited += 1 } else { #expect(a == b) }
            }
        }
        #expect(edited > 10)
    }

    @Test("empty documents, one-word documents and a document repeated: a clear answer")
    func badInput() {
        let story = Document(id: "s", text: (0..<80).map { "word\($0)" }.joined(separator: " "))
        let documents = [Document(id: "empty", utf8: []), Document(id: "one", text: "Putin"), story, story, Document(id: "e2", utf8: [])]
        let pairs = ReuseIndex.pairs(in: documents)
        #expect(pairs.map { [$0.first, $0.second] } == [[2, 3]])
        #expect(pairs.first?.alignment.coverageA == 1)
        #expect(ReuseIndex.pairs(in: []).isEmpty)
    }
}
