import SimCore
import SimCoreFixtures
import Testing

@Suite("GeneratedCorpus")
struct GeneratedCorpusTests {
    @Test("blocks generated on 1, 2 or 3 threads give the sequential generator's documents and truth")
    func threadIndependent() {
        let options = CorpusGeneratorOptions(
            documentCount: 70, seed: 8, minimumStoryBytes: 300, maximumStoryBytes: 900, reprintProbability: 0.4, blockSize: 16)
        let sequential = CorpusGeneratorTests.generate(options)
        for threads in [1, 2, 3] {
            let corpus = GeneratedCorpus(options: options, threads: threads)
            #expect(corpus.documents == sequential.documents, "\(threads) threads")
            #expect(corpus.truth == sequential.truth, "\(threads) threads")
        }
        #expect(GeneratedCorpus(options: CorpusGeneratorOptions(documentCount: 0)).documents.isEmpty)
    }

    @Test("cluster ids name each planted cluster by its smallest id; planted pairs are the ground truth's")
    func clusters() {
        let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(documentCount: 40, seed: 3, reprintProbability: 0.5))
        let ids = corpus.documents.map(\.id)
        for (index, cluster) in corpus.clusterIDs.enumerated() {
            let members = corpus.truth.indices.filter { corpus.truth[$0].cluster == corpus.truth[index].cluster }
            #expect(cluster == members.map { ids[$0] }.min())
        }
        #expect(Set(corpus.clusterIDs).count < 40)
        #expect(corpus.plantedPairs == GroundTruth(generated: corpus.truth).pairs(documentIDs: ids))
        #expect(!corpus.plantedPairs.isEmpty)
    }
}
