import SimCoreFixtures

/// Precision, recall and F1 of found duplicate pairs against planted ones.
///
/// Pairs are unordered: `(a, b)` and `(b, a)` are the same pair.
///
/// ```swift
/// let accuracy = PairAccuracy(found: [DocumentPair(0, 1), DocumentPair(2, 3)],
///                             truth: [DocumentPair(1, 0), DocumentPair(4, 5)])
/// accuracy.precision   // 0.5
/// accuracy.recall      // 0.5
/// ```
public struct PairAccuracy: Sendable, Hashable {
    /// Found pairs that are planted.
    public var truePositives: Int
    /// Found pairs that are not planted.
    public var falsePositives: Int
    /// Planted pairs not found.
    public var falseNegatives: Int

    /// Compares found pairs with planted pairs.
    ///
    /// - Parameters:
    ///   - found: Pairs a method reported.
    ///   - truth: Planted pairs.
    /// - Complexity: O(found + truth).
    public init(found: Set<DocumentPair>, truth: Set<DocumentPair>) {
        truePositives = found.intersection(truth).count
        falsePositives = found.count - truePositives
        falseNegatives = truth.count - truePositives
    }

    /// TP / (TP + FP); 1 when nothing was found.
    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }

    /// TP / (TP + FN); 1 when nothing was planted.
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }

    /// The harmonic mean of precision and recall.
    public var f1: Double {
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    /// The metrics under their result names: `precision`, `recall`, `f1`.
    public var metrics: [String: Double] { ["precision": precision, "recall": recall, "f1": f1] }
}
