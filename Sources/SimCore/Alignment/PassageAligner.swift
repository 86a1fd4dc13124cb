import SimCoreInternals

/// Finds the passages two texts share, with byte ranges into both original texts.
///
/// Both texts are normalized and tokenized exactly as ``Shingler`` does it (each word keeping the
/// bytes it came from); every word n-gram they share seeds a match, collinear seeds are chained,
/// and gaps of up to ``AlignmentOptions/maximumGap`` words are bridged, so a passage survives a
/// few substituted, inserted or deleted words. See ``AlignmentOptions`` for the knobs and
/// ``Alignment`` for the result.
///
/// **Ownership.** An aligner owns scratch buffers that it reuses from one call to the next: give
/// each thread its own.
///
/// ```swift
/// let aligner = PassageAligner()
/// let alignment = aligner.align(
///     "Russian President Vladimir Putin landed in Vietnam on Thursday on a state visit, a day after signing a mutual defence pact.",
///     "Russian President Vladimir Putin landed in Hanoi on Thursday on a state visit, a day after signing a mutual defence pact.")
/// alignment.passages.count            // 1: the substituted word is bridged
/// alignment.passages[0].similarity    // 0.952: 20 of 21 words match
/// alignment.passages[0].bytesB        // 0..<120
/// ```
///
/// - Complexity: O(n + m) in the two texts' lengths plus the number of seeds, which is at most
///   ``AlignmentOptions/maximumSeedRepeats`` per n-gram: never quadratic.
public final class PassageAligner {
    /// The options every pair is aligned with.
    public let options: AlignmentOptions
    private(set) var tokensA: _WordTokens
    private(set) var tokensB: _WordTokens
    let kernel: _PairAligner

    /// Creates an aligner.
    ///
    /// - Parameter options: N-gram width, shortest passage, widest gap (default ``AlignmentOptions/init(ngramWidth:minimumPassageWords:maximumGap:seed:normalization:)``).
    public init(options: AlignmentOptions = AlignmentOptions()) {
        self.options = options
        tokensA = _WordTokens(normalization: options.normalization)
        tokensB = _WordTokens(normalization: options.normalization)
        kernel = _PairAligner(options: options)
    }

    /// The passages two UTF-8 texts share.
    ///
    /// - Parameters:
    ///   - a: Text A as UTF-8 (invalid bytes are replaced for matching; ranges still index the
    ///     bytes as given); smaller than 2 GiB.
    ///   - b: Text B, likewise.
    /// - Returns: The passages, by position in A, and each text's coverage.
    /// - Complexity: O(n + m).
    public func align(utf8 a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Alignment {
        prepareA(a)
        return align(preparedWith: b)
    }

    /// The passages two UTF-8 byte arrays share.
    ///
    /// - Parameters:
    ///   - a: Text A as UTF-8 (possibly invalid).
    ///   - b: Text B as UTF-8 (possibly invalid).
    /// - Returns: The passages and coverage.
    public func align(utf8 a: [UInt8], _ b: [UInt8]) -> Alignment {
        a.withUnsafeBytes { a in b.withUnsafeBytes { b in align(utf8: a, b) } }
    }

    /// The passages two strings share; byte ranges index their UTF-8.
    ///
    /// - Parameters:
    ///   - a: Text A.
    ///   - b: Text B.
    /// - Returns: The passages and coverage.
    public func align(_ a: String, _ b: String) -> Alignment {
        align(utf8: Array(a.utf8), Array(b.utf8))
    }

    /// Tokenizes and indexes A, for any number of ``align(preparedWith:)`` calls.
    package func prepareA(_ a: UnsafeRawBufferPointer) {
        tokensA.tokenize(a, width: options.ngramWidth, seed: options.seed)
        kernel.index(tokensA)
    }

    /// Tokenizes B, for ``alignPrepared()`` against any number of A's.
    package func prepareB(_ b: UnsafeRawBufferPointer) {
        tokensB.tokenize(b, width: options.ngramWidth, seed: options.seed)
    }

    /// Aligns the last prepared B against the last prepared A (the kernel alone: no tokenizing).
    package func alignPrepared() -> Alignment {
        kernel.align(tokensA, with: tokensB)
    }

    /// Exchanges the prepared texts, so that ``alignPrepared()`` aligns them the other way
    /// round, without tokenizing either again (A's n-gram table is built for the new A).
    ///
    /// ```swift
    /// aligner.prepareA(a); aligner.prepareB(b)
    /// let forward = aligner.alignPrepared()
    /// aligner.swapPrepared()
    /// let backward = aligner.alignPrepared()   // the same as align(utf8: b, a)
    /// ```
    ///
    /// - Complexity: O(words of B).
    package func swapPrepared() {
        swap(&tokensA, &tokensB)
        kernel.index(tokensA)
    }

    /// Aligns B against the A of the last ``prepareA(_:)``.
    func align(preparedWith b: UnsafeRawBufferPointer) -> Alignment {
        prepareB(b)
        return alignPrepared()
    }
}
