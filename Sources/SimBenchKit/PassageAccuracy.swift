import SimCore
import SimCoreFixtures

/// Word-level precision and recall of found passages against planted ones.
///
/// Every word (a token of ``TextNormalizer``, placed by its first byte) of either document of a
/// pair counts once per pair: it is *reported* when a found passage of the pair covers it on its
/// side, *true* when a planted passage does, and a hit when both do. Precision is hits over
/// reported words, recall hits over true words, summed over every pair found or planted.
///
/// ```swift
/// let accuracy = PassageAccuracy(found: pairs, truth: corpus.sharedPassages, documents: corpus.documents)
/// accuracy.precision   // 0.99
/// ```
public struct PassageAccuracy: Sendable, Hashable {
    /// Words inside both a found and a planted passage.
    public var hits: Int
    /// Words inside found passages.
    public var reported: Int
    /// Words inside planted passages.
    public var planted: Int

    /// Compares found pairs with the planted passages of the same documents.
    ///
    /// - Parameters:
    ///   - found: Pairs from ``ReuseIndex`` (document indices into `documents`).
    ///   - truth: The planted passages.
    ///   - documents: The corpus, for word positions.
    ///   - normalization: How words are cut (default ``NormalizationOptions/default``).
    /// - Complexity: O(words of the documents involved + passages).
    public init(found: [ReusedPair], truth: PassageTruth, documents: [Document], normalization: NormalizationOptions = .default) {
        var spans: [DocumentPair: (found: [[Range<Int>]], planted: [[Range<Int>]])] = [:]
        for pair in found {
            spans[DocumentPair(pair.first, pair.second), default: ([[], []], [[], []])].found =
                [pair.alignment.passages.map(\.bytesA), pair.alignment.passages.map(\.bytesB)]
        }
        for pair in truth.pairs {
            spans[DocumentPair(pair.first, pair.second), default: ([[], []], [[], []])].planted =
                [pair.passages.map(\.bytesA), pair.passages.map(\.bytesB)]
        }
        let normalizer = TextNormalizer(options: normalization)
        var wordStarts: [Int: [Int]] = [:]
        hits = 0
        reported = 0
        planted = 0
        for (pair, sides) in spans {
            for (side, document) in [pair.first, pair.second].enumerated() {
                let starts = wordStarts[document] ?? normalizer.wordRanges(inUTF8: documents[document].utf8).map(\.lowerBound)
                wordStarts[document] = starts
                let isFound = Self.cover(starts, sides.found[side])
                let isPlanted = Self.cover(starts, sides.planted[side])
                for word in starts.indices {
                    reported += isFound[word] ? 1 : 0
                    planted += isPlanted[word] ? 1 : 0
                    hits += isFound[word] && isPlanted[word] ? 1 : 0
                }
            }
        }
    }

    /// Whether each word start lies inside one of `ranges`.
    private static func cover(_ starts: [Int], _ ranges: [Range<Int>]) -> [Bool] {
        var covered = [Bool](repeating: false, count: starts.count)
        for range in ranges {
            var low = 0, high = starts.count
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] < range.lowerBound { low = middle + 1 } else { high = middle }
            }
            while low < starts.count && starts[low] < range.upperBound {
                covered[low] = true
                low += 1
            }
        }
        return covered
    }

    /// Hits over reported words; 1 when nothing was reported.
    public var precision: Double { reported == 0 ? 1 : Double(hits) / Double(reported) }

    /// Hits over planted words; 1 when nothing was planted.
    public var recall: Double { planted == 0 ? 1 : Double(hits) / Double(planted) }

    /// The harmonic mean of precision and recall.
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// The metrics under their result names: `precision`, `recall`, `f1`.
    public var metrics: [String: Double] { ["precision": precision, "recall": recall, "f1": f1] }
}
