import SimCore
import SimCoreInternals

/// A whole ``CorpusGenerator`` corpus in memory: its documents and their ground truth.
///
/// For tests and in-memory benchmarks of up to some ten thousand documents; `simbench generate`
/// streams larger corpora to disk with ``GeneratedCorpusWriter``.
///
/// ```swift
/// let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(documentCount: 3, seed: 1))
/// corpus.documents[2].id       // "g00000002"
/// corpus.truth[2].cluster      // the index of document 2's original (2 when it is one)
/// ```
public struct GeneratedCorpus: Sendable {
    /// The options the corpus was generated with.
    public let options: CorpusGeneratorOptions
    /// The documents in generation order; each id is its ``GeneratedDocument/id``.
    public let documents: [Document]
    /// Each document's ground truth, in the same order.
    public let truth: [GeneratedDocument]

    /// Generates every document of `options`, blocks of ``CorpusGeneratorOptions/blockSize``
    /// documents on `threads` threads.
    ///
    /// - Parameters:
    ///   - options: Size, seed and shape of the corpus.
    ///   - threads: Threads generating blocks in parallel (default: all cores); the corpus is the
    ///     same for every thread count.
    /// - Complexity: O(total bytes).
    public init(options: CorpusGeneratorOptions, threads: Int = Parallelism.defaultThreadCount) {
        let blocks = (options.documentCount + options.blockSize - 1) / options.blockSize
        let vocabulary = _GeneratorVocabulary(size: options.vocabularySize, seed: options.seed)
        let chunks = concurrentChunks(count: blocks, threads: threads) { range in
            let first = range.lowerBound * options.blockSize
            let end = Swift.min(range.upperBound * options.blockSize, options.documentCount)
            var generator = CorpusGenerator(options: options, vocabulary: vocabulary, firstDocument: first)
            var documents: [Document] = []
            var truth: [GeneratedDocument] = []
            documents.reserveCapacity(end - first)
            truth.reserveCapacity(end - first)
            for _ in first..<end {
                let (document, record) = generator.next()!
                documents.append(document)
                truth.append(record)
            }
            return (documents, truth)
        }
        self.options = options
        self.documents = chunks.flatMap(\.0)
        self.truth = chunks.flatMap(\.1)
    }

    /// The id of each document's planted cluster, named by its smallest member: the cluster's
    /// original, which comes first and so has the smallest id (for singletons, the document's own id).
    ///
    /// This is the label `simdedup cluster` and `simdedup dedupe` give when they find exactly the
    /// planted clusters.
    public var clusterIDs: [String] {
        truth.map { GeneratedDocument.id(ofIndex: $0.cluster) }
    }

    /// The text its documents share, with exact byte ranges on both sides (``PassageTruth``).
    public var sharedPassages: PassageTruth { PassageTruth(generated: truth) }

    /// Every planted pair of document indices (the same as ``GroundTruth/pairs(documentIDs:)``).
    public var plantedPairs: Set<DocumentPair> {
        GroundTruth(generated: truth).pairs(documentIDs: documents.map(\.id))
    }
}
