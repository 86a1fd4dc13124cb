internal import CSimKernels

/// An exact similarity between two shingle sets A and B.
///
/// Every measure is 0 when either set is empty: an empty document is nobody's duplicate.
public enum SimilarityMeasure: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// |A ∩ B| / |A ∪ B|: symmetric; 1 only for equal sets.
    case jaccard
    /// |A ∩ B| / |A|: how much of A is inside B (asymmetric). A reprint inside a page of
    /// tickers and comments has high containment in that page and low Jaccard with it.
    case containment
    /// |A ∩ B| / min(|A|, |B|): the containment of the smaller set in the larger (symmetric).
    case overlap

    /// The measure's name, as the command line takes it.
    public var description: String { rawValue }

    /// The measure's value from set sizes and their intersection size.
    ///
    /// - Parameters:
    ///   - intersection: |A ∩ B|.
    ///   - first: |A|.
    ///   - second: |B|.
    /// - Returns: A value in 0...1.
    @inlinable
    public func value(intersection: Int, first: Int, second: Int) -> Double {
        guard first > 0, second > 0 else { return 0 }
        switch self {
        case .jaccard:
            return Double(intersection) / Double(first + second - intersection)
        case .containment:
            return Double(intersection) / Double(first)
        case .overlap:
            return Double(intersection) / Double(Swift.min(first, second))
        }
    }

    /// The measure between two sets, by one linear merge.
    ///
    /// - Complexity: O(|A| + |B|).
    public func value(_ first: ShingleSet, _ second: ShingleSet) -> Double {
        value(intersection: first.intersectionCount(with: second), first: first.count, second: second.count)
    }
}

extension ShingleSet {
    /// |self ∩ other|, by a merge of the two sorted buffers.
    ///
    /// - Complexity: O(|self| + |other|).
    public func intersectionCount(with other: ShingleSet) -> Int {
        hashes.withUnsafeBufferPointer { a in
            other.hashes.withUnsafeBufferPointer { b in _intersectionCount(a, b) }
        }
    }

    /// Exact Jaccard similarity |A ∩ B| / |A ∪ B| (0 if either set is empty).
    ///
    /// ```swift
    /// ShingleSet([1, 2, 3, 4]).jaccard(with: ShingleSet([3, 4, 5]))   // 0.4
    /// ```
    public func jaccard(with other: ShingleSet) -> Double {
        SimilarityMeasure.jaccard.value(self, other)
    }

    /// Exact containment of `self` in `other`: |A ∩ B| / |A| (0 if either set is empty).
    ///
    /// ```swift
    /// ShingleSet([3, 4]).containment(in: ShingleSet([1, 2, 3, 4]))  // 1.0
    /// ```
    public func containment(in other: ShingleSet) -> Double {
        SimilarityMeasure.containment.value(self, other)
    }

    /// Exact overlap coefficient |A ∩ B| / min(|A|, |B|) (0 if either set is empty).
    public func overlapCoefficient(with other: ShingleSet) -> Double {
        SimilarityMeasure.overlap.value(self, other)
    }
}

/// The number of values two strictly increasing buffers share: the C kernel
/// `simk_intersection_count` (`CSimKernels/intersection.c`), which compares blocks of 8 × 8
/// values with AVX-512F and 4 × 4 with AVX2 (chosen once per process like the MinHash kernel,
/// ``SignatureKernelISA``), and merges one value at a time without a branch otherwise.
///
/// - Parameter isa: A variant to force, for tests; `nil` uses the process's.
/// - Returns: The count, or `nil` if `isa` was forced and this CPU cannot run it.
/// - Complexity: O(|a| + |b|).
func _intersectionCount(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, isa: SignatureKernelISA) -> Int? {
    var count = 0
    // SAFETY: the kernel reads exactly a.count and b.count values.
    return simk_intersection_count_isa(isa.code, a.baseAddress, a.count, b.baseAddress, b.count, &count) == 0 ? count : nil
}

/// The number of values two strictly increasing buffers share, with the process's variant of
/// ``_intersectionCount(_:_:isa:)``.
@inline(__always)
func _intersectionCount(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Int {
    // SAFETY: the kernel reads exactly a.count and b.count values.
    simk_intersection_count(a.baseAddress, a.count, b.baseAddress, b.count)
}
