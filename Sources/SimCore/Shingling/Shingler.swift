import SimCoreInternals

/// Turns documents into shingle hashes: normalize, tokenize, hash, in reusable buffers.
///
/// A `Shingler` owns scratch buffers that grow to the largest document it has seen and are then
/// reused, so shingling a corpus allocates only the results it returns (and nothing at all
/// through ``withShingleHashes(ofUTF8:_:)``).
///
/// **Ownership.** A shingler is a reference to its buffers: copies of the reference share them.
/// It is neither thread-safe nor reentrant: give each thread its own (batch APIs make one per
/// chunk of documents), and do not call a shingler from inside the closure it is running, whose
/// buffer the inner call would overwrite (a precondition checks this).
///
/// ```swift
/// let shingler = Shingler(options: ShinglingOptions(unit: .words(3)))
/// let set = shingler.shingles(of: "One two three four")   // 2 word 3-grams
/// ```
public final class Shingler {
    /// The options every document is shingled with.
    public let options: ShinglingOptions
    /// The normalizer applied first.
    public let normalizer: TextNormalizer
    private let textBuffer = ScratchBuffer<UInt8>()
    private let tokenBuffer = ScratchBuffer<UInt64>()
    private let scalarStartBuffer = ScratchBuffer<Int32>()
    private let shingleBuffer = ScratchBuffer<UInt64>()
    private let sortBuffer = ScratchBuffer<UInt64>()
    /// Set while a closure holds a pointer into ``shingleBuffer``.
    private var isLending = false

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
        let count = shingleHashes(ofUTF8: bytes)
        isLending = true
        defer { isLending = false }
        return try body(UnsafeBufferPointer(start: shingleBuffer.storage.baseAddress, count: count))
    }

    /// The document's shingles as a sorted, duplicate-free set.
    ///
    /// - Parameter bytes: The document as UTF-8 (invalid bytes are replaced).
    /// - Returns: Its shingle set; empty when the document has no tokens.
    /// - Complexity: O(n log n) in the number of shingles.
    public func shingles(ofUTF8 bytes: UnsafeRawBufferPointer) -> ShingleSet {
        let count = shingleHashes(ofUTF8: bytes)
        let unique = _sortUnique(
            UnsafeMutableBufferPointer(start: shingleBuffer.storage.baseAddress, count: count),
            scratch: sortBuffer.reserve(count))
        return ShingleSet(sortedUniqueHashes: Array(shingleBuffer.storage[0..<unique]))
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

    /// Normalizes and hashes into ``shingleBuffer``; returns the number of shingle hashes.
    private func shingleHashes(ofUTF8 bytes: UnsafeRawBufferPointer) -> Int {
        precondition(!isLending, "a Shingler is not reentrant: use another one inside withShingleHashes")
        precondition(bytes.count < Int(Int32.max), "a document must be smaller than 2 GiB")
        let seed = options.seed
        switch options.unit {
        case .words(let width):
            let mappedCount = normalizer._mapForTokens(bytes, into: textBuffer)
            guard mappedCount > 0 else { return 0 }
            let tokenHashes = tokenBuffer.reserve(_ShingleHashing.tokenRoom(count: mappedCount)).baseAddress!
            let tokens = _ShingleHashing.hashTokens(
                textBuffer.storage.baseAddress!, count: mappedCount, seed: seed, into: tokenHashes)
            let shingles = shingleBuffer.reserve(Swift.max(tokens, 1)).baseAddress!
            return _ShingleHashing.wordShingles(
                tokenHashes, tokens: tokens, width: width, seed: seed, into: shingles)
        case .characters(let width):
            let normalizedCount = normalizer._normalize(bytes, into: textBuffer)
            guard normalizedCount > 0 else { return 0 }
            let text = UnsafePointer(textBuffer.storage.baseAddress!)
            let starts = scalarStartBuffer.reserve(normalizedCount + 1).baseAddress!
            let shingles = shingleBuffer.reserve(normalizedCount + 1).baseAddress!
            return _ShingleHashing.characterShingles(
                text, count: normalizedCount, width: width, seed: seed, scalarStarts: starts, into: shingles)
        }
    }
}
