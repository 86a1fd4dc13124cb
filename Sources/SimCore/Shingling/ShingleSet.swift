import SimCoreInternals

/// A document's shingles as a sorted, duplicate-free buffer of 64-bit hashes.
///
/// Sorted order makes every exact set operation a linear merge, and gives all-pairs search
/// a global token order for free (hash order is a random order, the same for every document).
///
/// ```swift
/// var shingler = Shingler()
/// let a = shingler.shingles(of: "the quick brown fox jumps over the lazy dog")
/// a.count    // 5 word 5-grams
/// ```
public struct ShingleSet: Sendable, Hashable, RandomAccessCollection {
    /// The hashes, strictly increasing.
    public let hashes: [UInt64]

    /// Wraps hashes that are already sorted and unique.
    ///
    /// - Parameter sortedUniqueHashes: Strictly increasing hashes (checked in debug builds).
    public init(sortedUniqueHashes: [UInt64]) {
        assert(zip(sortedUniqueHashes, sortedUniqueHashes.dropFirst()).allSatisfy { $0 < $1 })
        hashes = sortedUniqueHashes
    }

    /// Builds a set from hashes in any order, with repeats.
    ///
    /// - Parameter hashes: Any hashes.
    /// - Complexity: O(n log n).
    public init<S: Sequence<UInt64>>(_ hashes: S) {
        var sorted = Array(hashes)
        var scratch = [UInt64](repeating: 0, count: sorted.count)
        let count = sorted.withUnsafeMutableBufferPointer { keys in
            scratch.withUnsafeMutableBufferPointer { _sortUnique(keys, scratch: $0) }
        }
        sorted.removeLast(sorted.count - count)
        self.hashes = sorted
    }

    /// The position of the first hash.
    public var startIndex: Int { 0 }
    /// One past the position of the last hash.
    public var endIndex: Int { hashes.count }
    /// The hash at `position`, in increasing order.
    public subscript(position: Int) -> UInt64 { hashes[position] }
    /// The number of distinct shingles.
    public var count: Int { hashes.count }
}

/// A document's shingles with how often each occurs: sorted unique hashes and their counts.
///
/// For weighted schemes such as SimHash, where a shingle repeated ten times should weigh more
/// than one seen once.
public struct WeightedShingleSet: Sendable, Hashable {
    /// The distinct hashes, strictly increasing.
    public let hashes: [UInt64]
    /// `multiplicities[i]` is how many times `hashes[i]` occurs in the document (at least 1).
    public let multiplicities: [UInt32]

    /// Builds a weighted set from hashes in any order, with repeats.
    ///
    /// - Parameter hashes: Any hashes; a hash seen m times gets multiplicity m.
    /// - Complexity: O(n log n).
    public init<S: Sequence<UInt64>>(_ hashes: S) {
        var sorted = Array(hashes)
        sorted.sort()
        var unique: [UInt64] = []
        var counts: [UInt32] = []
        unique.reserveCapacity(sorted.count)
        counts.reserveCapacity(sorted.count)
        for hash in sorted {
            if let last = unique.last, last == hash {
                counts[counts.count - 1] += 1
            } else {
                unique.append(hash)
                counts.append(1)
            }
        }
        self.hashes = unique
        self.multiplicities = counts
    }

    /// The set of distinct shingles, without weights.
    public var unweighted: ShingleSet { ShingleSet(sortedUniqueHashes: hashes) }
}

/// Sorts `buffer` and moves its distinct values to the front; returns how many there are.
///
/// - Parameter scratch: Working space for the sort, at least `buffer.count` elements.
func _sortUnique(_ buffer: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>) -> Int {
    guard buffer.count > 1 else { return buffer.count }
    radixSort(buffer, scratch: scratch)
    var write = 1
    for read in 1..<buffer.count where buffer[read] != buffer[write - 1] {
        buffer[write] = buffer[read]
        write += 1
    }
    return write
}
