/// The tokens of the documents a worker aligned most recently, so that a document met again as
/// one side of another pair is not tokenized again; the least recently used entry makes room.
///
/// ``ReuseIndex/pairs(threads:)`` orders its candidate pairs so that the pairs of one
/// neighbourhood of documents come together (``_CandidateOrder``): most lookups then hit.
final class _TokenCache {
    private let options: AlignmentOptions
    private let tokens: [_WordTokens]
    private var documentOfEntry: [Int]
    private var lastUse: [Int]
    private var entryOfDocument: [Int: Int] = [:]
    private var clock = 0
    /// Documents tokenized (cache misses).
    private(set) var tokenized = 0

    /// A cache of `capacity` documents' tokens (at least 2).
    init(options: AlignmentOptions, capacity: Int) {
        precondition(capacity >= 2, "a token cache holds both sides of a pair")
        self.options = options
        tokens = (0..<capacity).map { _ in _WordTokens(normalization: options.normalization) }
        documentOfEntry = [Int](repeating: -1, count: capacity)
        lastUse = [Int](repeating: 0, count: capacity)
        entryOfDocument.reserveCapacity(capacity)
    }

    /// Document `index`'s tokens, tokenized unless cached; the entry of document `pinned` is
    /// never the one replaced (the side the aligner has indexed).
    func tokens(of index: Int, in corpus: [Document], pinned: Int) -> _WordTokens {
        clock += 1
        if let entry = entryOfDocument[index] {
            lastUse[entry] = clock
            return tokens[entry]
        }
        var victim = -1
        for entry in documentOfEntry.indices where documentOfEntry[entry] != pinned || pinned < 0 {
            if victim < 0 || lastUse[entry] < lastUse[victim] { victim = entry }
        }
        if documentOfEntry[victim] >= 0 { entryOfDocument[documentOfEntry[victim]] = nil }
        documentOfEntry[victim] = index
        entryOfDocument[index] = victim
        lastUse[victim] = clock
        tokenized += 1
        corpus[index].utf8.withUnsafeBytes { tokens[victim].tokenize($0, width: options.ngramWidth, seed: options.seed) }
        return tokens[victim]
    }
}
