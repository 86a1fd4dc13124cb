/// What ``CorpusGenerator`` makes: how many documents, from which seed, how long, how many reprints.
///
/// The defaults give news-like stories of about 6 KB in which roughly a third of the documents
/// belong to a planted near-duplicate cluster of 2 to 5 copies.
///
/// ```swift
/// let options = CorpusGeneratorOptions(documentCount: 1_000, seed: 7)
/// var generator = CorpusGenerator(options: options)   // 1,000 documents, identical on every machine
/// ```
public struct CorpusGeneratorOptions: Sendable, Hashable, Codable {
    /// How many documents to generate (the last cluster is cut short to fit).
    public var documentCount: Int
    /// The seed of every random choice; the same seed gives byte-identical documents.
    public var seed: UInt64
    /// The shortest story body in bytes before boilerplate (default 4,000).
    public var minimumStoryBytes: Int
    /// The longest story body in bytes before boilerplate (default 9,000).
    public var maximumStoryBytes: Int
    /// The probability that a new story is reprinted at least once (default 0.15).
    public var reprintProbability: Double
    /// The largest planted cluster: the original and its reprints (default 5, at least 2).
    public var maximumClusterSize: Int
    /// The probability that a new story reuses one paragraph of an earlier, unrelated story
    /// (default 0.2). Such documents share text but are not planted duplicates.
    public var paragraphReuseProbability: Double
    /// How many distinct words the Zipf-distributed vocabulary has (default 30,000).
    public var vocabularySize: Int
    /// Documents per independently seeded block (default 2,048). Each block starts a fresh random
    /// stream and paragraph pool and no cluster crosses a block boundary, so blocks can be
    /// generated in parallel (``CorpusGenerator/init(options:firstDocument:)``) with output
    /// identical to a sequential run.
    public var blockSize: Int

    /// Creates generator options.
    ///
    /// - Parameters:
    ///   - documentCount: Documents to generate, at least 0.
    ///   - seed: The seed of every random choice.
    ///   - minimumStoryBytes: Shortest story body, at least 200 bytes.
    ///   - maximumStoryBytes: Longest story body, at least `minimumStoryBytes`.
    ///   - reprintProbability: Chance in [0, 1] that a story is reprinted.
    ///   - maximumClusterSize: Largest cluster, at least 2.
    ///   - paragraphReuseProbability: Chance in [0, 1] that a story borrows a paragraph.
    ///   - vocabularySize: Distinct words, 1,000 to 1,000,000.
    ///   - blockSize: Documents per independently seeded block, at least 2.
    public init(
        documentCount: Int, seed: UInt64 = 0, minimumStoryBytes: Int = 4_000, maximumStoryBytes: Int = 9_000,
        reprintProbability: Double = 0.15, maximumClusterSize: Int = 5, paragraphReuseProbability: Double = 0.2,
        vocabularySize: Int = 30_000, blockSize: Int = 2_048
    ) {
        precondition(documentCount >= 0, "documentCount must not be negative")
        precondition(minimumStoryBytes >= 200 && maximumStoryBytes >= minimumStoryBytes, "bad story length range")
        precondition((0...1).contains(reprintProbability), "reprintProbability must be in [0, 1]")
        precondition((0...1).contains(paragraphReuseProbability), "paragraphReuseProbability must be in [0, 1]")
        precondition(maximumClusterSize >= 2, "maximumClusterSize must be at least 2")
        precondition((1_000...1_000_000).contains(vocabularySize), "vocabularySize must be in 1,000...1,000,000")
        precondition(blockSize >= 2, "blockSize must be at least 2")
        self.documentCount = documentCount
        self.seed = seed
        self.minimumStoryBytes = minimumStoryBytes
        self.maximumStoryBytes = maximumStoryBytes
        self.reprintProbability = reprintProbability
        self.maximumClusterSize = maximumClusterSize
        self.paragraphReuseProbability = paragraphReuseProbability
        self.vocabularySize = vocabularySize
        self.blockSize = blockSize
    }
}
