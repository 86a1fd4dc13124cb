/// Turns documents into shingle hashes: normalize, tokenize, hash, in reusable buffers.
///
/// A `Shingler` owns scratch buffers that grow to the largest document it has seen and are then
/// reused, so shingling a corpus allocates only the results it returns (and nothing at all
/// through ``withShingleHashes(ofUTF8:_:)``). It is not thread-safe: make one per thread.
///
/// ```swift
/// var shingler = Shingler(options: ShinglingOptions(unit: .words(3)))
/// let set = shingler.shingles(of: "One two three four")   // 2 word 3-grams
/// ```
public struct Shingler {
    /// The options every document is shingled with.
    public let options: ShinglingOptions
    /// The normalizer applied first.
    public let normalizer: TextNormalizer
    private let scratch = _ShinglerScratch()

    /// Creates a shingler.
    ///
    /// - Parameter options: Unit, width, seed and normalization (default: word 5-grams, seed 0).
    public init(options: ShinglingOptions = ShinglingOptions()) {
        self.options = options
        self.normalizer = TextNormalizer(options: options.normalization)
    }

    /// Calls `body` with the document's shingle hashes in document order, repeats included.
    ///
    /// The buffer is valid only inside `body` and is overwritten by the next call. This is the
    /// allocation-free path that signature schemes use (a minimum ignores repeats).
    ///
    /// - Parameters:
    ///   - bytes: The document as UTF-8 (invalid bytes are replaced, see ``TextNormalizer``);
    ///     at most 2 GiB.
    ///   - body: Receives the hashes; empty when the document has no tokens.
    /// - Returns: What `body` returns.
    /// - Complexity: O(n) in the document's length.
    public func withShingleHashes<R>(
        ofUTF8 bytes: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt64>) throws -> R
    ) rethrows -> R {
        precondition(bytes.count < Int(Int32.max), "a document must be smaller than 2 GiB")
        let count = shingleHashes(ofUTF8: bytes)
        return try body(UnsafeBufferPointer(start: scratch.shingles.storage.baseAddress, count: count))
    }

    /// The document's shingles as a sorted, duplicate-free set.
    ///
    /// - Parameter bytes: The document as UTF-8 (invalid bytes are replaced).
    /// - Returns: Its shingle set; empty when the document has no tokens.
    /// - Complexity: O(n log n) in the number of shingles.
    public func shingles(ofUTF8 bytes: UnsafeRawBufferPointer) -> ShingleSet {
        precondition(bytes.count < Int(Int32.max), "a document must be smaller than 2 GiB")
        let count = shingleHashes(ofUTF8: bytes)
        let unique = _sortUnique(
            UnsafeMutableBufferPointer(start: scratch.shingles.storage.baseAddress, count: count),
            scratch: scratch.sortSpace.reserve(count))
        return ShingleSet(sortedUniqueHashes: Array(scratch.shingles.storage[0..<unique]))
    }

    /// The shingles of a string as a sorted, duplicate-free set.
    public func shingles(of text: String) -> ShingleSet {
        var text = text
        return text.withUTF8 { shingles(ofUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// The shingles of a byte array (UTF-8) as a sorted, duplicate-free set.
    public func shingles(ofUTF8 bytes: [UInt8]) -> ShingleSet {
        bytes.withUnsafeBytes { shingles(ofUTF8: $0) }
    }

    /// The document's shingles with their multiplicities.
    ///
    /// - Parameter bytes: The document as UTF-8 (invalid bytes are replaced).
    /// - Returns: Sorted distinct hashes and how often each occurs.
    public func weightedShingles(ofUTF8 bytes: UnsafeRawBufferPointer) -> WeightedShingleSet {
        withShingleHashes(ofUTF8: bytes) { WeightedShingleSet($0) }
    }

    /// The shingles of a string with their multiplicities.
    public func weightedShingles(of text: String) -> WeightedShingleSet {
        var text = text
        return text.withUTF8 { weightedShingles(ofUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// Normalizes and hashes into `scratch.shingles`; returns the number of shingle hashes.
    private func shingleHashes(ofUTF8 bytes: UnsafeRawBufferPointer) -> Int {
        let seed = options.seed
        switch options.unit {
        case .words(let width):
            let mappedCount = normalizer._mapForTokens(bytes, into: scratch.text)
            guard mappedCount > 0 else { return 0 }
            let tokenHashes = scratch.tokens.reserve(mappedCount / 2 + 1).baseAddress!
            let tokens = _ShingleHashing.hashTokens(
                scratch.text.storage.baseAddress!, count: mappedCount, seed: seed, into: tokenHashes)
            let shingles = scratch.shingles.reserve(Swift.max(tokens, 1)).baseAddress!
            return _ShingleHashing.wordShingles(
                tokenHashes, tokens: tokens, width: width, seed: seed, into: shingles)
        case .characters(let width):
            let normalizedCount = normalizer._normalize(bytes, into: scratch.text)
            guard normalizedCount > 0 else { return 0 }
            let text = UnsafePointer(scratch.text.storage.baseAddress!)
            let starts = scratch.scalarStarts.reserve(normalizedCount + 1).baseAddress!
            let shingles = scratch.shingles.reserve(normalizedCount + 1).baseAddress!
            return _ShingleHashing.characterShingles(
                text, count: normalizedCount, width: width, seed: seed, scalarStarts: starts, into: shingles)
        }
    }
}

/// The buffers one ``Shingler`` reuses from document to document.
final class _ShinglerScratch {
    let text = _ScratchBuffer<UInt8>()
    let tokens = _ScratchBuffer<UInt64>()
    let scalarStarts = _ScratchBuffer<Int32>()
    let shingles = _ScratchBuffer<UInt64>()
    let sortSpace = _ScratchBuffer<UInt64>()
}
