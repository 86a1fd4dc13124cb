/// Documents that carry the same passage: one paragraph carried by 37 outlets is one group of 37
/// members.
///
/// Groups are built from pairwise passages (``ReusedPair``): each passage links its span in one
/// document to its span in the other, and two spans in one document are the same passage when
/// they overlap by at least half of the longer one. A group is a connected set of linked spans;
/// its members are each document's spans in it, overlapping ones merged.
///
/// ```swift
/// let groups = PassageGroup.groups(of: ReuseIndex.pairs(in: documents))
/// groups[0].members.map(\.document)   // [3, 17, 42]: three documents carry the passage
/// ```
public struct PassageGroup: Sendable, Hashable {
    /// Where one document carries the passage.
    public struct Member: Sendable, Hashable {
        /// The document's index.
        public var document: Int
        /// The passage's bytes in it.
        public var bytes: Range<Int>
        /// The passage's words in it.
        public var words: Range<Int>

        /// Creates a member.
        public init(document: Int, bytes: Range<Int>, words: Range<Int>) {
            self.document = document
            self.bytes = bytes
            self.words = words
        }
    }

    /// The documents carrying the passage, by document then position.
    public var members: [Member]

    /// Creates a group.
    ///
    /// - Parameter members: Its members, by document then position.
    public init(members: [Member]) {
        self.members = members
    }

    /// How many distinct documents carry the passage.
    public var documentCount: Int { Set(members.map(\.document)).count }

    /// Groups the passages of `pairs`.
    ///
    /// - Parameter pairs: Pairs from ``ReuseIndex`` (any order).
    /// - Returns: The groups, ordered by their first member (document, then position); every
    ///   group has at least two documents.
    /// - Complexity: O(p log p) in the number of passages, plus the overlaps within a document.
    public static func groups(of pairs: [ReusedPair]) -> [PassageGroup] {
        var spans: [Member] = []
        for pair in pairs {
            for passage in pair.alignment.passages {
                spans.append(Member(document: pair.first, bytes: passage.bytesA, words: passage.wordsA))
                spans.append(Member(document: pair.second, bytes: passage.bytesB, words: passage.wordsB))
            }
        }
        var links = UnionFind(count: spans.count)
        for index in stride(from: 0, to: spans.count, by: 2) { _ = links.union(index, index + 1) }
        // The same passage within one document: overlap of at least half the longer span.
        // A total order (ties to the span's place in the list), so no sort's tie-breaking shows.
        let order = spans.indices.sorted {
            (spans[$0].document, spans[$0].words.lowerBound, $0) < (spans[$1].document, spans[$1].words.lowerBound, $1)
        }
        var open: [Int] = []
        for index in order {
            let span = spans[index]
            open.removeAll { spans[$0].document != span.document || spans[$0].words.upperBound <= span.words.lowerBound }
            for other in open {
                let overlap = Swift.min(spans[other].words.upperBound, span.words.upperBound) - span.words.lowerBound
                if 2 * overlap >= Swift.max(spans[other].words.count, span.words.count) { _ = links.union(other, index) }
            }
            open.append(index)
        }
        // Groups in order of their first member (a dictionary's iteration order differs from one
        // instance to the next, which made the output depend on the run: found by the thread
        // determinism test).
        var groupOfRoot: [Int: Int] = [:]
        var memberLists: [[Member]] = []
        for index in order {
            let root = links.find(index)
            if let group = groupOfRoot[root] {
                memberLists[group].append(spans[index])
            } else {
                groupOfRoot[root] = memberLists.count
                memberLists.append([spans[index]])
            }
        }
        var groups: [PassageGroup] = []
        for members in memberLists {
            var merged: [Member] = []
            for member in members {   // already by document, then start
                if let last = merged.last, last.document == member.document, member.words.lowerBound < last.words.upperBound {
                    merged[merged.count - 1].bytes = last.bytes.lowerBound..<Swift.max(last.bytes.upperBound, member.bytes.upperBound)
                    merged[merged.count - 1].words = last.words.lowerBound..<Swift.max(last.words.upperBound, member.words.upperBound)
                } else {
                    merged.append(member)
                }
            }
            groups.append(PassageGroup(members: merged))
        }
        // Already in order of their first member's (document, start): the lists were opened in
        // that order.
        return groups
    }
}
