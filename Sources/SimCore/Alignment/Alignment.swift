/// One passage two texts share: where it stands in each original text, its words, and how well
/// they match.
///
/// Byte ranges are half-open and index the original UTF-8 as given (not normalized text), from
/// the first byte of the passage's first word to the last byte of its last word; word ranges
/// count the words of ``TextNormalizer/normalize(utf8:)-([UInt8])``.
///
/// ```swift
/// let passage = alignment.passages[0]
/// String(decoding: a[passage.bytesA], as: UTF8.self)   // the passage as text A has it
/// passage.similarity                                  // 0.96: 2 × matched / (words in A + words in B)
/// ```
public struct AlignedPassage: Sendable, Hashable, Codable {
    /// The passage's bytes in text A.
    public var bytesA: Range<Int>
    /// The passage's bytes in text B.
    public var bytesB: Range<Int>
    /// The passage's words in text A (indices of A's words).
    public var wordsA: Range<Int>
    /// The passage's words in text B.
    public var wordsB: Range<Int>
    /// Words of the passage that match a word on the other side, in order.
    public var matchedWords: Int

    /// Creates a passage.
    ///
    /// - Parameters:
    ///   - bytesA: Bytes in A.
    ///   - bytesB: Bytes in B.
    ///   - wordsA: Words in A.
    ///   - wordsB: Words in B.
    ///   - matchedWords: Matching words, at most the smaller word count.
    public init(bytesA: Range<Int>, bytesB: Range<Int>, wordsA: Range<Int>, wordsB: Range<Int>, matchedWords: Int) {
        self.bytesA = bytesA
        self.bytesB = bytesB
        self.wordsA = wordsA
        self.wordsB = wordsB
        self.matchedWords = matchedWords
    }

    /// The fraction of matching words, 2 × ``matchedWords`` / (words in A + words in B): 1 for a
    /// verbatim passage.
    public var similarity: Double {
        let total = wordsA.count + wordsB.count
        return total == 0 ? 0 : Double(2 * matchedWords) / Double(total)
    }

    /// The same passage seen from B's side (A and B exchanged).
    public var swapped: AlignedPassage {
        AlignedPassage(bytesA: bytesB, bytesB: bytesA, wordsA: wordsB, wordsB: wordsA, matchedWords: matchedWords)
    }
}

/// Every passage two texts share, and how much of each text they cover.
///
/// Passages are sorted by their position in A, and no two share a word or a byte of A, or a
/// word or a byte of B: where a text repeats a passage the other has once, the passage is
/// reported once (the copy with the most matching words, then the first in A, then in B), and a
/// partial repeat keeps only what the better passage did not take. Passages may cross: their
/// order in B need not be their order in A.
///
/// ```swift
/// let alignment = PassageAligner().align(story, reprint)
/// alignment.coverageB   // 0.93: 93% of the reprint's words lie inside shared passages
/// ```
public struct Alignment: Sendable, Hashable, Codable {
    /// The shared passages, by position in A then in B.
    public var passages: [AlignedPassage]
    /// Words in text A.
    public var wordCountA: Int
    /// Words in text B.
    public var wordCountB: Int

    /// Creates an alignment.
    ///
    /// - Parameters:
    ///   - passages: The passages.
    ///   - wordCountA: Words in A.
    ///   - wordCountB: Words in B.
    public init(passages: [AlignedPassage], wordCountA: Int, wordCountB: Int) {
        self.passages = passages
        self.wordCountA = wordCountA
        self.wordCountB = wordCountB
    }

    /// The fraction of A's words that lie inside at least one passage (0 for a text without words).
    public var coverageA: Double { Self.coverage(passages.map(\.wordsA), of: wordCountA) }

    /// The fraction of B's words that lie inside at least one passage.
    public var coverageB: Double { Self.coverage(passages.map(\.wordsB), of: wordCountB) }

    /// The same alignment seen from B's side.
    public var swapped: Alignment {
        Alignment(
            passages: passages.map(\.swapped).sorted { ($0.wordsA.lowerBound, $0.wordsB.lowerBound) < ($1.wordsA.lowerBound, $1.wordsB.lowerBound) },
            wordCountA: wordCountB, wordCountB: wordCountA)
    }

    /// Words inside the union of `ranges`, as a fraction of `total`.
    static func coverage(_ ranges: [Range<Int>], of total: Int) -> Double {
        guard total > 0 else { return 0 }
        var covered = 0
        var end = Int.min
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let start = Swift.max(range.lowerBound, end)
            if range.upperBound > start { covered += range.upperBound - start }
            end = Swift.max(end, range.upperBound)
        }
        return Double(covered) / Double(total)
    }
}
