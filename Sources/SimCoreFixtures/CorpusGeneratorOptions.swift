/// What ``CorpusGenerator`` makes: how many documents, from which seed, how long, how many reprints.
///
/// The defaults give news-like stories of about 6 KB in which roughly a third of the documents
/// belong to a planted near-duplicate cluster of 2 to 5 copies. The edit options shape how far a
/// reprint strays from its original: short stories without boilerplate and with a few changed
/// words give small corpora whose planted pairs crowd a Jaccard threshold (the tests use them).
/// Every option's default is the generator's original behaviour, and an option at its default
/// draws the same random numbers, so default output stays byte-identical.
///
/// ```swift
/// let options = CorpusGeneratorOptions(documentCount: 1_000, seed: 7)
/// var generator = CorpusGenerator(options: options)   // 1,000 documents, identical on every machine
/// let short = CorpusGeneratorOptions(documentCount: 600, seed: 13, minimumStoryBytes: 600, maximumStoryBytes: 1_000,
///                                    headerProbability: 0, footerProbability: 0, changedWordCount: 1...3)
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
    /// The probability that a document gets an outlet's header: byline, dateline and sometimes a
    /// market ticker (default 0.7). Headers differ between an original and its reprints.
    public var headerProbability: Double
    /// The probability that a document gets an outlet's footer: comment count and copyright
    /// (default 0.7).
    public var footerProbability: Double
    /// The probability of each paragraph edit a reprint may get, drawn independently: dropping a
    /// short paragraph (of a story with at least 4), swapping two neighbours, merging two
    /// neighbours (default 0.3 each).
    public var paragraphEditProbability: Double
    /// The probability that a reprint has some of its words replaced by other words (default 0.6).
    public var changedWordsProbability: Double
    /// How many word positions such a reprint replaces, uniformly in this range (default 1...6).
    /// A position that holds punctuation, or a replacement that draws the same word, changes
    /// nothing, so a reprint can change fewer words than drawn.
    public var changedWordCount: ClosedRange<Int>
    /// The probability that a reprint ends with one or two sentences the original does not have
    /// (default 0.4).
    public var appendedSentencesProbability: Double
    /// The probability that a paragraph borrowed from an earlier story
    /// (``paragraphReuseProbability``) is lightly edited on the way: one to three words replaced,
    /// a clause of three to six words dropped, or one to three words inserted (default 0: borrowed
    /// paragraphs are copied word for word, and default corpora stay byte-identical).
    public var reusedParagraphEditProbability: Double
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
    ///   - headerProbability: Chance in [0, 1] that a document has a header.
    ///   - footerProbability: Chance in [0, 1] that a document has a footer.
    ///   - paragraphEditProbability: Chance in [0, 1] of each paragraph edit of a reprint.
    ///   - changedWordsProbability: Chance in [0, 1] that a reprint changes words.
    ///   - changedWordCount: Word positions a reprint changes, lower bound at least 0.
    ///   - appendedSentencesProbability: Chance in [0, 1] that a reprint appends sentences.
    ///   - reusedParagraphEditProbability: Chance in [0, 1] that a borrowed paragraph is lightly edited.
    ///   - vocabularySize: Distinct words, 1,000 to 1,000,000.
    ///   - blockSize: Documents per independently seeded block, at least 2.
    public init(
        documentCount: Int, seed: UInt64 = 0, minimumStoryBytes: Int = 4_000, maximumStoryBytes: Int = 9_000,
        reprintProbability: Double = 0.15, maximumClusterSize: Int = 5, paragraphReuseProbability: Double = 0.2,
        headerProbability: Double = 0.7, footerProbability: Double = 0.7, paragraphEditProbability: Double = 0.3,
        changedWordsProbability: Double = 0.6, changedWordCount: ClosedRange<Int> = 1...6,
        appendedSentencesProbability: Double = 0.4, vocabularySize: Int = 30_000, blockSize: Int = 2_048,
        reusedParagraphEditProbability: Double = 0
    ) {
        precondition(documentCount >= 0, "documentCount must not be negative")
        precondition(minimumStoryBytes >= 200 && maximumStoryBytes >= minimumStoryBytes, "bad story length range")
        let probabilities = [
            ("reprintProbability", reprintProbability), ("paragraphReuseProbability", paragraphReuseProbability),
            ("headerProbability", headerProbability), ("footerProbability", footerProbability),
            ("paragraphEditProbability", paragraphEditProbability), ("changedWordsProbability", changedWordsProbability),
            ("appendedSentencesProbability", appendedSentencesProbability),
            ("reusedParagraphEditProbability", reusedParagraphEditProbability),
        ]
        for (name, probability) in probabilities {
            precondition((0...1).contains(probability), "\(name) must be in [0, 1]")
        }
        precondition(changedWordCount.lowerBound >= 0, "changedWordCount must not be negative")
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
        self.headerProbability = headerProbability
        self.footerProbability = footerProbability
        self.paragraphEditProbability = paragraphEditProbability
        self.changedWordsProbability = changedWordsProbability
        self.changedWordCount = changedWordCount
        self.appendedSentencesProbability = appendedSentencesProbability
        self.vocabularySize = vocabularySize
        self.blockSize = blockSize
        self.reusedParagraphEditProbability = reusedParagraphEditProbability
    }
}
