import SimCoreInternals

extension SignatureMatrix {
    /// Signs a corpus into one contiguous matrix, on `threads` cores.
    ///
    /// Documents are split into chunks (``Parallelism``); each chunk has one ``Shingler`` and
    /// writes its rows straight into the matrix, so nothing is allocated per document once the
    /// shingler's buffers have grown. The result does not depend on `threads`.
    ///
    /// ```swift
    /// let matrix = SignatureMatrix(signing: corpus.documents, scheme: OnePermutationMinHash(signatureLength: 128))
    /// matrix.bytesPerDocument   // 1024
    /// ```
    ///
    /// - Parameters:
    ///   - documents: The corpus.
    ///   - options: How documents become shingles (default: word 5-grams, seed 0).
    ///   - scheme: The signature scheme.
    ///   - threads: Workers (default: all cores).
    /// - Complexity: O(total text + the scheme's cost per document).
    public init(
        signing documents: [Document], options: ShinglingOptions = ShinglingOptions(),
        scheme: some SignatureScheme, threads: Int = Parallelism.defaultThreadCount
    ) {
        let values = _signCorpus(
            count: documents.count, rowLength: scheme.signatureLength, options: options, threads: threads,
            withText: { index, body in documents[index].utf8.withUnsafeBytes(body) },
            sign: { scheme.sign($0, into: $1) })
        self.init(signatureLength: scheme.signatureLength, values: values)
    }

    /// Signs texts given as UTF-8 byte arrays into one contiguous matrix, on `threads` cores.
    ///
    /// - Parameters:
    ///   - texts: The documents as UTF-8.
    ///   - options: How documents become shingles.
    ///   - scheme: The signature scheme.
    ///   - threads: Workers (default: all cores).
    /// - Complexity: As ``init(signing:options:scheme:threads:)``.
    public init(
        signingUTF8 texts: [[UInt8]], options: ShinglingOptions = ShinglingOptions(),
        scheme: some SignatureScheme, threads: Int = Parallelism.defaultThreadCount
    ) {
        let values = _signCorpus(
            count: texts.count, rowLength: scheme.signatureLength, options: options, threads: threads,
            withText: { index, body in texts[index].withUnsafeBytes(body) },
            sign: { scheme.sign($0, into: $1) })
        self.init(signatureLength: scheme.signatureLength, values: values)
    }

    /// Bytes the matrix holds per document: `signatureLength · 8`.
    public var bytesPerDocument: Int { signatureLength * MemoryLayout<UInt64>.stride }

    /// The estimated Jaccard similarity of two rows, by `scheme` (the one that signed them).
    ///
    /// - Parameters:
    ///   - row: A document.
    ///   - other: Another document.
    ///   - scheme: The scheme that made the matrix.
    /// - Returns: The scheme's estimate.
    /// - Complexity: O(k).
    public func estimatedJaccard(_ row: Int, _ other: Int, scheme: some SignatureScheme) -> Double {
        precondition(scheme.signatureLength == signatureLength, "the scheme must have the matrix's signatureLength")
        return withRow(row) { a in withRow(other) { b in scheme.estimatedJaccard(a, b) } }
    }
}

/// Shingles and signs `count` documents into a row-major buffer of `count × rowLength` values.
///
/// - Parameters:
///   - withText: Calls its closure with document `index`'s UTF-8 bytes.
///   - sign: Writes one row from a document's shingle hashes (repeats included).
func _signCorpus(
    count: Int, rowLength: Int, options: ShinglingOptions, threads: Int,
    withText: @escaping @Sendable (Int, (UnsafeRawBufferPointer) -> Void) -> Void,
    sign: @escaping @Sendable (UnsafeBufferPointer<UInt64>, UnsafeMutableBufferPointer<UInt64>) -> Void
) -> [UInt64] {
    [UInt64](uninitializedCapacity: count * rowLength) { buffer, initialized in
        guard count > 0 else {
            initialized = 0
            return
        }
        buffer.initialize(repeating: 0)
        let output = SendableMutablePointer(base: buffer.baseAddress!)
        _ = concurrentChunks(count: count, threads: threads, minimumChunk: 8) { range in
            let shingler = Shingler(options: options)
            for index in range {
                // SAFETY: row `index` belongs to this chunk only; the buffer holds count × rowLength.
                let row = UnsafeMutableBufferPointer(start: output.base + index * rowLength, count: rowLength)
                withText(index) { bytes in
                    shingler.withShingleHashes(ofUTF8: bytes) { sign($0, row) }
                }
            }
            return range.count
        }
        initialized = count * rowLength
    }
}
