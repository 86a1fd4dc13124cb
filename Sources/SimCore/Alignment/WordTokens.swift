import SimCoreInternals

/// A document's words as ``Shingler`` sees them, each with the byte range it came from in the
/// original UTF-8, and their word n-gram hashes: the input of passage alignment.
///
/// Tokens are exactly the tokens of ``TextNormalizer/normalize(utf8:)-([UInt8])``: the text is mapped by
/// the normalizer's own token mapping (`_mapForTokens`, its fold table, `table.folded`), and
/// a second, cheap pass over the input records where a non-ASCII scalar maps to a different number
/// of bytes than it has (`_FoldBreak`), so that every normalized position can be traced back to
/// its original bytes. A token's range runs from the first byte of the unit (an ASCII byte or a
/// whole scalar) that gave its first normalized byte to the last byte of the unit that gave its
/// last one: `ﬁnal` is one token `final` over 7 bytes, `zero\u{200B}width` one token over 12.
/// Token and n-gram hashes are those of ``Shingler`` with the same seed and width, so a word
/// n-gram means the same here as in shingling.
///
/// A `_WordTokens` owns its buffers and reuses them: one per thread.
final class _WordTokens {
    let normalizer: TextNormalizer
    private let mapped = ScratchBuffer<UInt8>()
    private let breaks = ScratchBuffer<_FoldBreak>()
    /// Token starts and ends of the mapped text, as pairs (the kernel's output).
    private let bounds = ScratchBuffer<Int32>()
    /// Original byte offset of each token's first byte.
    let starts = ScratchBuffer<Int32>()
    /// Original byte offset just past each token's last byte.
    let ends = ScratchBuffer<Int32>()
    /// Each token's XXH3-64 hash (seeded), as ``Shingler`` computes it.
    let tokenHashes = ScratchBuffer<UInt64>()
    /// Word n-gram hashes: `count - width + 1` of them, or none for fewer than `width` tokens.
    let gramHashes = ScratchBuffer<UInt64>()
    /// Tokens of the last document.
    private(set) var count = 0
    /// N-grams of the last document.
    private(set) var gramCount = 0

    init(normalization: NormalizationOptions) {
        normalizer = TextNormalizer(options: normalization)
    }

    /// Tokenizes `bytes` and hashes its tokens and word `width`-grams with `seed`.
    ///
    /// - Precondition: `bytes` is smaller than 2 GiB.
    /// - Complexity: O(n) in the number of bytes.
    func tokenize(_ bytes: UnsafeRawBufferPointer, width: Int, seed: UInt64) {
        precondition(bytes.count < Int(Int32.max), "a document must be smaller than 2 GiB")
        let mappedCount = normalizer._mapForTokens(bytes, into: mapped)
        count = 0
        gramCount = 0
        guard mappedCount > 0 else { return }
        // Folding may lengthen the text; token positions are 32-bit.
        precondition(mappedCount < Int(Int32.max), "a document must fold to less than 2 GiB")
        let breakCount = recordBreaks(bytes)
        let capacity = mappedCount / 2 + 1
        let text = UnsafePointer(mapped.storage.baseAddress!)
        let startPointer = starts.reserve(capacity).baseAddress!
        let endPointer = ends.reserve(capacity).baseAddress!
        let pairs = bounds.reserve(_TextKernels.boundsRoom(count: mappedCount)).baseAddress!
        // SAFETY: the mapped text is followed by 64 bytes of 0x20, so every block is readable;
        // `pairs` holds the kernel's room, and `starts` and `ends` one per token of at most
        // mappedCount / 2 + 1.
        count = _TextKernels.tokenBounds(text, count: mappedCount, into: pairs)
        for token in 0..<count {
            startPointer[token] = pairs[2 &* token]
            endPointer[token] = pairs[2 &* token &+ 1]
        }
        let hashes = tokenHashes.reserve(count).baseAddress!
        for token in 0..<count {
            let start = Int(startPointer[token])
            hashes[token] = _xxh3_64(text + start, Int(endPointer[token]) &- start, seed)
        }
        Self.mapToOriginal(
            starts: startPointer, ends: endPointer, count: count,
            breaks: UnsafePointer(breaks.storage.baseAddress!), breakCount: breakCount)
        if count >= width {
            let grams = gramHashes.reserve(count - width + 1).baseAddress!
            gramCount = _ShingleHashing.wordShingles(hashes, tokens: count, width: width, seed: seed, into: grams)
        }
    }

    /// Records every non-ASCII scalar (or invalid byte) whose folded form has another length than
    /// its UTF-8, or holds both separators and word bytes, with where it stands in the input and
    /// in the mapped text; returns how many. Every other unit maps byte for byte, so a token can
    /// only start or end at its edges.
    ///
    /// ASCII maps one byte to one byte in `_mapForTokens`, so runs of it are skipped eight bytes
    /// at a time; a 2- or 3-byte scalar is read from its fold-table entry (`shortFold`), and each
    /// other scalar asks the normalizer's fold table (`table.folded`) how many bytes it became.
    private func recordBreaks(_ input: UnsafeRawBufferPointer) -> Int {
        let source = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let inputCount = input.count
        var recorded = 0
        var delta = 0   // mapped position minus input position
        var index = 0
        while index < inputCount {
            if index &+ 8 <= inputCount,
                UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index &+= 8
                continue
            }
            if source[index] < 0x80 {
                index &+= 1
                continue
            }
            // A scalar of 2 or 3 bytes that folds to as many word bytes (a letter of most
            // scripts) maps byte for byte, read from its fold-table entry.
            if let fold = normalizer.shortFold(source, index, inputCount), fold.count == fold.length,
                !UnsafeBufferPointer(start: fold.entry.assumingMemoryBound(to: UInt8.self), count: fold.count).contains(0x20) {
                index &+= fold.length
                continue
            }
            let (scalar, length) = UTF8Scalars.decode(source, index, inputCount)
            let folded = normalizer.table.folded(scalar)
            let foldedLength = folded.count
            // Separators and word bytes both: a token may end inside the unit.
            let mixed = folded.contains(0x20) && folded.contains { $0 != 0x20 }
            if foldedLength != length || mixed {
                var storage = breaks.storage
                if recorded == storage.count { storage = breaks.grow(to: recorded &* 2, keeping: recorded) }
                storage[recorded] = _FoldBreak(
                    mappedStart: Int32(truncatingIfNeeded: index &+ delta), mappedLength: Int32(truncatingIfNeeded: foldedLength),
                    originalStart: Int32(truncatingIfNeeded: index), originalLength: Int32(truncatingIfNeeded: length))
                recorded &+= 1
                delta &+= foldedLength &- length
            }
            index &+= length
        }
        return recorded
    }

    /// Rewrites mapped token positions as original byte offsets, walking the breaks once (token
    /// starts and ends only grow).
    static func mapToOriginal(
        starts: UnsafeMutablePointer<Int32>, ends: UnsafeMutablePointer<Int32>, count: Int,
        breaks: UnsafePointer<_FoldBreak>, breakCount: Int
    ) {
        var next = 0      // breaks before this one end at or before the current position
        var delta = 0     // mapped minus original offset after those breaks
        /// The original unit of mapped byte `position`: its first byte and the byte after it.
        @inline(__always) func unit(of position: Int) -> (start: Int, end: Int) {
            while next < breakCount && Int(breaks[next].mappedStart) &+ Int(breaks[next].mappedLength) <= position {
                delta &+= Int(breaks[next].mappedLength) &- Int(breaks[next].originalLength)
                next &+= 1
            }
            if next < breakCount && Int(breaks[next].mappedStart) <= position {
                let inside = breaks[next]
                return (Int(inside.originalStart), Int(inside.originalStart) &+ Int(inside.originalLength))
            }
            return (position &- delta, position &- delta &+ 1)
        }
        for token in 0..<count {
            starts[token] = Int32(truncatingIfNeeded: unit(of: Int(starts[token])).start)
            ends[token] = Int32(truncatingIfNeeded: unit(of: Int(ends[token]) &- 1).end)
        }
    }
}

/// A non-ASCII scalar (or invalid byte) whose normalized form has a different length than its
/// UTF-8: where it starts in the mapped text and in the input, and both lengths.
struct _FoldBreak {
    var mappedStart: Int32
    var mappedLength: Int32
    var originalStart: Int32
    var originalLength: Int32
}

extension TextNormalizer {
    /// The byte range of every word in the original UTF-8: the tokens of ``normalize(utf8:)-([UInt8])``,
    /// each traced back to the bytes it came from.
    ///
    /// Ranges are half-open, in order, and index `bytes` as given (invalid UTF-8 included). A
    /// token's range covers every byte that produced it: a ligature, a character removed inside
    /// the word (a zero-width space or soft hyphen), a combining mark. A character that NFKC
    /// turns into several tokens (`¼` → `1 4`) gives each of them its whole range.
    ///
    /// ```swift
    /// let text = "The ﬁnal “word”"
    /// TextNormalizer().wordRanges(inUTF8: Array(text.utf8))   // [0..<3, 4..<10, 14..<18]
    /// ```
    ///
    /// - Parameter bytes: UTF-8 bytes, possibly invalid; smaller than 2 GiB.
    /// - Returns: One range per token of the normalized text.
    /// - Complexity: O(n) in the number of bytes.
    public func wordRanges(inUTF8 bytes: [UInt8]) -> [Range<Int>] {
        let tokens = _WordTokens(normalization: options)
        bytes.withUnsafeBytes { tokens.tokenize($0, width: 1, seed: 0) }
        return (0..<tokens.count).map { Int(tokens.starts.storage[$0])..<Int(tokens.ends.storage[$0]) }
    }
}
