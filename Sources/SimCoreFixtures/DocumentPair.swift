/// An unordered pair of document indices, stored smaller first.
public struct DocumentPair: Sendable, Hashable, Codable {
    /// The smaller index.
    public let first: Int
    /// The larger index.
    public let second: Int

    /// Creates the pair of `a` and `b` in either order.
    ///
    /// - Parameters:
    ///   - a: A document index.
    ///   - b: Another document index.
    public init(_ a: Int, _ b: Int) {
        first = Swift.min(a, b)
        second = Swift.max(a, b)
    }
}
