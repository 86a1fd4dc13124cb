import SimCoreInternals

extension TextNormalizer {
    /// Maps `input` to normalized bytes *without* collapsing separators, for word tokenization.
    ///
    /// The tokens of the result (maximal runs of bytes other than 0x20) are exactly the tokens of
    /// ``normalize(utf8:)``; only the separator runs differ. Skipping the collapse lets runs of
    /// ASCII be mapped by a vector kernel (``_TextKernels/mapASCII(_:count:into:lowercase:isa:)``:
    /// 32 or 64 bytes per step, eight with SWAR arithmetic on the portable path) when punctuation
    /// is not kept: letters are lower-cased (if asked), letters and digits kept, every other
    /// ASCII byte becomes 0x20. Non-ASCII scalars take the same fold table as
    /// ``normalize(utf8:)``.
    ///
    /// - Parameters:
    ///   - input: UTF-8 bytes, possibly invalid.
    ///   - output: Grown as needed.
    ///   - isa: A kernel variant to force (tests); `nil` uses the process's.
    /// - Returns: The number of bytes written; ``_tokenPadding`` more 0x20 bytes follow them, so
    ///   that a reader may load whole 64-byte blocks up to the end.
    func _mapForTokens(_ input: UnsafeRawBufferPointer, into output: ScratchBuffer<UInt8>, isa: SignatureKernelISA? = nil) -> Int {
        let inputCount = input.count
        guard inputCount > 0, let source = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return 0
        }
        var room = output.reserve(inputCount + 72)
        var out = room.baseAddress!
        let ascii = UnsafePointer(table.ascii.baseAddress!)
        let vector = !options.keepPunctuation
        let lowercase = options.lowercase
        var written = 0
        var index = 0
        while index < inputCount {
            // The kernel only where 8 ASCII bytes come next: in a non-Latin script a word's
            // scalars are taken here one after another, where a kernel call for the space or
            // two between them (and none for the next scalar) took 31% of the instructions of
            // Cyrillic text, 9.6 times those of the same text in Latin letters.
            if vector && Self.asciiWordAhead(source, index, inputCount) {
                // SAFETY: `out` has room for one byte per remaining input byte plus 72.
                let mapped = _TextKernels.mapASCII(
                    source + index, count: inputCount &- index, into: out + written, lowercase: lowercase, isa: isa) ?? 0
                written &+= mapped
                index &+= mapped
                guard index < inputCount else { break }
            }
            let byte = source[index]
            if byte < 0x80 {
                out[written] = ascii[Int(byte)]
                written &+= 1
                index &+= 1
                continue
            }
            // A run of 2- and 3-byte scalars (the letters of every script of the Basic
            // Multilingual Plane): each scalar's fold-table entry copied whole, without the ASCII
            // tests, the general decoder or a byte loop per scalar. 4-byte scalars, invalid bytes and folded forms
            // longer than their scalar's bytes (a few) take the general path below.
            let runStart = index
            while let fold = shortFold(source, index, inputCount) {
                // SAFETY: `room` holds `written` bytes, one per input byte left and 72 more, so
                // the entry's 4 bytes fit, and the invariant holds again after `count` ≤ `length`.
                UnsafeMutableRawPointer(out + written).storeBytes(of: fold.entry.loadUnaligned(as: UInt32.self), as: UInt32.self)
                written &+= fold.count
                index &+= fold.length
            }
            if index != runStart { continue }
            let (scalar, length) = UTF8Scalars.decode(source, index, inputCount)
            index &+= length
            let folded = table.folded(scalar)
            // Wrapping: every term is below the buffer's size.
            let needed = written &+ folded.count &+ (inputCount &- index) &+ 72
            if needed > room.count {
                room = output.grow(to: needed, keeping: written)
                out = room.baseAddress!
            }
            for mapped in folded {
                out[written] = mapped
                written &+= 1
            }
        }
        (out + written).initialize(repeating: 0x20, count: Self._tokenPadding)
        return written
    }

    /// Whether the 8 bytes of `source` from `index` lie before `count` and are all ASCII.
    @inline(__always)
    private static func asciiWordAhead(_ source: UnsafePointer<UInt8>, _ index: Int, _ count: Int) -> Bool {
        guard count &- index >= 8 else { return false }
        // SAFETY: index + 8 ≤ count, so the 8 bytes lie in the input.
        return UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
    }

    /// The 0x20 bytes ``_mapForTokens(_:into:isa:)`` writes after the mapped text: a 64-byte
    /// block read from any byte of the text stays in the buffer.
    static let _tokenPadding = 64
}

extension TextNormalizer {
    /// The seeded XXH3-64 hash of each token that word shingling's fast path finds in `bytes`
    /// (``_mapForTokens(_:into:isa:)`` and the boundary kernel, `_TextKernels.tokenBounds`), in
    /// order.
    ///
    /// Package access, so that tests and the normalization fuzz target can hold the fast path
    /// against the reference: the tokens of ``normalize(utf8:)`` split at spaces.
    ///
    /// - Parameters:
    ///   - bytes: Any bytes (invalid UTF-8 is replaced).
    ///   - seed: The XXH3 seed.
    /// - Returns: One hash per token.
    package func _fastPathTokenHashes(ofUTF8 bytes: UnsafeRawBufferPointer, seed: UInt64) -> [UInt64] {
        let scratch = ScratchBuffer<UInt8>()
        let mapped = _mapForTokens(bytes, into: scratch)
        guard mapped > 0 else { return [] }
        // SAFETY: `_mapForTokens` pads the text with 64 bytes of 0x20; `tokenRoom` hashes are
        // the room `hashTokens` needs.
        return [UInt64](unsafeUninitializedCapacity: _ShingleHashing.tokenRoom(count: mapped)) { hashes, initialized in
            initialized = _ShingleHashing.hashTokens(scratch.storage.baseAddress!, count: mapped, seed: seed, into: hashes.baseAddress!)
        }
    }
}
