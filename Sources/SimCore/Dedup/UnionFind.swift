import SimCoreInternals

/// Disjoint sets over document numbers 0..<count (union by rank, path halving): how verified
/// duplicate pairs become clusters, in 5 bytes an element (a parent and a rank byte; sizes in
/// `Int32` took 8), kept in pages of 2¹⁶ elements that grow without doubling.
///
/// ```swift
/// var sets = UnionFind(count: 4)
/// sets.union(0, 2)
/// sets.find(2) == sets.find(0)   // true
/// ```
public struct UnionFind: Sendable, Hashable {
    private var parents: PagedColumn<Int32>
    /// An upper bound on the height of each root's tree: a root of rank r has at least 2^r
    /// elements, so ranks stay below 32.
    private var ranks: PagedColumn<UInt8>

    /// `count` singletons.
    ///
    /// - Parameter count: Elements 0..<count, fewer than 2³¹.
    public init(count: Int = 0) {
        precondition(count >= 0 && count < Int(Int32.max), "count must be in 0..<2^31")
        parents = PagedColumn()
        for element in 0..<Int32(count) { parents.append(element) }
        ranks = PagedColumn(repeating: 0, count: count)
    }

    /// The number of elements.
    public var count: Int { parents.count }

    /// Adds one singleton; returns its element number.
    @discardableResult
    public mutating func append() -> Int {
        parents.append(Int32(parents.count))
        ranks.append(0)
        return parents.count - 1
    }

    /// The root of `element`'s set.
    ///
    /// - Complexity: Amortized O(α(n)).
    public mutating func find(_ element: Int) -> Int {
        var x = Int32(element)
        while parents[Int(x)] != x {
            let grandparent = parents[Int(parents[Int(x)])]
            parents[Int(x)] = grandparent
            x = grandparent
        }
        return Int(x)
    }

    /// Merges the sets of `a` and `b`.
    ///
    /// - Returns: Whether they were in different sets.
    @discardableResult
    public mutating func union(_ a: Int, _ b: Int) -> Bool {
        var rootA = find(a)
        var rootB = find(b)
        guard rootA != rootB else { return false }
        if ranks[rootA] < ranks[rootB] { swap(&rootA, &rootB) }
        parents[rootB] = Int32(rootA)
        if ranks[rootA] == ranks[rootB] { ranks[rootA] += 1 }
        return true
    }

    /// Every set with at least `minimumSize` elements, each sorted, ordered by first element.
    ///
    /// - Complexity: O(n α(n)).
    public mutating func groups(minimumSize: Int = 1) -> [[Int]] {
        var byRoot: [Int: Int] = [:]
        var groups: [[Int]] = []
        for element in 0..<count {
            let root = find(element)
            if let position = byRoot[root] {
                groups[position].append(element)
            } else {
                byRoot[root] = groups.count
                groups.append([element])
            }
        }
        return groups.filter { $0.count >= minimumSize }
    }
}
