/// How ``PassageAligner`` finds passages two texts share: the seed n-gram width, the shortest
/// passage worth reporting, and the widest gap a passage bridges.
///
/// Defaults were chosen by measurement on generated corpora with planted reuse (whole and lightly
/// edited paragraphs; see the README's "Text reuse" section for the sweep): word 5-grams (the
/// width ``Shingler`` uses by default, so an n-gram means the same in both), passages of at least
/// 12 matching words, gaps of at most 12 words (recall and precision are flat from 8 to 16; 12
/// also bridges the 11-word clause a rewrite in the sample stories dropped).
///
/// ```swift
/// var options = AlignmentOptions()
/// options.minimumPassageWords = 20   // only long passages
/// ```
public struct AlignmentOptions: Sendable, Hashable, Codable {
    /// Words per seed n-gram: two texts seed a passage where they share a word n-gram (hashed
    /// exactly as ``Shingler`` hashes word n-grams with the same width and ``seed``). Default 5.
    public var ngramWidth: Int
    /// The fewest matching words a passage must have to be reported. Default 12.
    public var minimumPassageWords: Int
    /// The most words, on either side, between two matching stretches that one passage still
    /// bridges: substituted, inserted or deleted words. Default 12.
    public var maximumGap: Int
    /// The hash seed of tokens and n-grams (the result does not depend on it, up to 64-bit hash
    /// collisions). Default 0.
    public var seed: UInt64
    /// How text is normalized into words. Default ``NormalizationOptions/default``.
    public var normalization: NormalizationOptions

    /// An n-gram that occurs more often than this in either text is too ambiguous to seed a
    /// passage (tables, lists, a sentence repeated over and over); it can still lie inside one.
    public static let maximumSeedRepeats = 4

    /// Creates alignment options.
    ///
    /// - Parameters:
    ///   - ngramWidth: Words per seed n-gram, 1...1000 (default 5).
    ///   - minimumPassageWords: Fewest matching words of a reported passage, at least 1 (default 12).
    ///   - maximumGap: Most words bridged on either side, 0...10,000 (default 12).
    ///   - seed: Hash seed (default 0).
    ///   - normalization: Normalization rules (default ``NormalizationOptions/default``).
    public init(
        ngramWidth: Int = 5, minimumPassageWords: Int = 12, maximumGap: Int = 12, seed: UInt64 = 0,
        normalization: NormalizationOptions = .default
    ) {
        precondition((1...1_000).contains(ngramWidth), "ngramWidth must be in 1...1000")
        precondition(minimumPassageWords >= 1, "minimumPassageWords must be at least 1")
        precondition((0...10_000).contains(maximumGap), "maximumGap must be in 0...10000")
        self.ngramWidth = ngramWidth
        self.minimumPassageWords = minimumPassageWords
        self.maximumGap = maximumGap
        self.seed = seed
        self.normalization = normalization
    }
}
