import SimCoreInternals
internal import CSimKernels

/// A batch made ready for filing outside the engine's locks, on all cores: each document's id,
/// length, shingle-set size, signature and index keys, and (exact verification) its shingle set.
///
/// Everything downstream uses these values as they are: the signatures are copied once into the
/// engine's store, and the same keys file the document and find its candidates.
///
/// For a store that keeps b bits of each value (``DeduplicationOptions/verificationBits``
/// below 64), the batch keeps its rows packed as the store keeps them (``rowPacking``): each
/// document is signed into one row of k whole values per chunk, keyed from it, and packed, so
/// that a batch of 16,384 paragraphs holds 1 MiB of 4-bit rows instead of 16 MiB of whole
/// ones (two batches are in flight), and the store copies the rows in as they are.
///
/// Preparation is cut into chunks of documents (``chunkCount``), each written by one task
/// (``prepareChunk(_:scheme:options:)``) into its own rows, so that chunks of a batch can run
/// next to other work (the previous batch's queries) on a pool of workers; ``finish()`` then
/// gathers the per-chunk sizes, sets and filed rows. After that the batch is immutable.
///
/// Set sizes cost a sort or a hash table per document, so Jaccard with estimated verification,
/// which needs none, records only 0 (no shingles) or 1.
final class _PreparedBatch: @unchecked Sendable {
    // SAFETY: `signatures` and `keys` are written only by `prepareChunk`, each chunk its own
    // rows, and by the initializers; `chunkResults` slot `c` only by chunk `c`. Everything is
    // read only after the tasks that wrote it have joined (`finish()` is called after them).
    // `foundCandidates` is written once, by the filing (under the engine's write lock), and
    // read by the batch's queries, which wait for the filing to end (``_FilingSignal``, or the
    // filing ran before their step).
    /// The documents' ids, in batch order.
    let ids: [String]
    /// Their UTF-8 lengths.
    let byteCounts: [Int]
    /// The documents, until ``finish()`` hands them over (the batch then waits for its queries
    /// holding only ids, signatures and keys).
    private var documents: [Document]
    /// Whether the documents are the batch's alone (handed over), so that their filing
    /// releases their texts (``release(_:)``); `false` when the caller still holds the array
    /// (``Deduplicator/insert(contentsOf:threads:)``'s one batch of everything), which the
    /// filing then only drops.
    let ownsDocuments: Bool
    /// k, the signature length.
    let signatureLength: Int
    /// Keys per document.
    let keysPerDocument: Int
    private let keying: _IndexKeying
    /// How rows are packed for the store (``_SignatureStore/truncatedLanes``), or `nil` for
    /// rows of k whole values.
    let rowPacking: _PackedLanes?
    /// Words per row of ``signatures``: k, or the packing's ``_PackedLanes/wordsPerRow``.
    let rowWords: Int
    /// `count × rowWords` words, row-major: each row's k whole signature values, or (given
    /// ``rowPacking``) its values packed.
    let signatures: UnsafeMutableBufferPointer<UInt64>
    /// `count × keysPerDocument` index keys, row-major (rows of empty documents unset).
    let keys: UnsafeMutableBufferPointer<UInt64>
    /// Their distinct-shingle counts (0 or 1 only, when no measure needs them).
    private(set) var sizes: [Int] = []
    /// The rows that have shingles, increasing: the ones the index files.
    private(set) var filedRows: [Int32] = []
    /// Shingle sets, one per document, for exact verification; empty otherwise.
    private(set) var sets: [ShingleSet] = []
    /// What the index found of each row's candidates while filing the batch
    /// (``_CandidateIndex/insertFindingCandidates(keys:sizes:filedRows:threshold:threads:alongside:)``);
    /// `nil` before the filing and for a batch restored from a file.
    var foundCandidates: _BatchCandidates?
    private var chunkResults: UnsafeMutableBufferPointer<_ChunkResult>
    /// Documents per preparation chunk.
    let chunkSize: Int
    /// Whether the signatures were read from a saved engine
    /// (``init(ids:byteCounts:sizes:sets:signatureLength:keying:threads:writeSignatures:)``)
    /// rather than signed here.
    let isLoaded: Bool
    /// Whether the store checks each row as it keeps it (``_SignatureStore/append(rows:checked:)``):
    /// rows a file held whole, which may be no signature of the scheme.
    private(set) var checksRows = false
    /// Whether ``finish()`` ran (once only: it clears the chunks' results it gathers).
    private var finished = false

    private struct _ChunkResult {
        var sizes: [Int] = []
        var sets: [ShingleSet] = []
        var filedRows: [Int32] = []
    }

    /// The number of documents.
    var count: Int { ids.count }

    /// Preparation chunks: ``prepareChunk(_:scheme:options:)`` takes `0..<chunkCount`.
    var chunkCount: Int { chunkResults.count }

    /// An unprepared batch of `documents`, cut into chunks for `threads` workers, whose rows
    /// are packed by `rowPacking` (k values a row) when it is given.
    init(
        documents: [Document], ownsDocuments: Bool = true, signatureLength k: Int, keying: _IndexKeying, threads: Int,
        rowPacking: _PackedLanes? = nil
    ) {
        precondition(rowPacking.map { $0.signatureLength == k } ?? true, "rows packed at the signature's length")
        let n = documents.count
        self.documents = documents
        self.ownsDocuments = ownsDocuments
        // Closures, not key paths: `\.utf8.count` was projected through the runtime's key-path
        // machinery, about 2,000 instructions a document.
        ids = documents.map { $0.id }
        byteCounts = documents.map { $0.utf8.count }
        signatureLength = k
        self.keying = keying
        keysPerDocument = keying.keysPerDocument
        self.rowPacking = rowPacking
        rowWords = rowPacking?.wordsPerRow ?? k
        // Every row is written by `prepareChunk` (keys only for filed rows, which are the only
        // ones read), so nothing is zeroed first (4 MiB of memset per 4,096-document batch at
        // k = 128).
        signatures = .allocate(capacity: n * rowWords)
        keys = .allocate(capacity: n * keysPerDocument)
        // At least four chunks per worker; at least 8 documents per chunk.
        let chunks = n == 0 ? 0 : Swift.max(1, Swift.min(Swift.max(1, threads) * 4, (n + 7) / 8))
        chunkSize = chunks == 0 ? 1 : (n + chunks - 1) / chunks
        let chunkTotal = chunks == 0 ? 0 : (n + chunkSize - 1) / chunkSize
        chunkResults = .allocate(capacity: chunkTotal)
        chunkResults.initialize(repeating: _ChunkResult())
        isLoaded = false
    }

    /// A batch from values already made (a saved engine), on `threads` cores: for each chunk
    /// of rows, `writeSignatures(rows, target)` writes rows `rows` (k whole values each) to
    /// `target` and returns whether the store must check each row as it keeps it (rows a file
    /// held whole: ``checksRows``), then the chunk's keys are computed.
    convenience init(
        ids: [String], byteCounts: [Int], sizes: [Int], sets: [ShingleSet], signatureLength k: Int,
        keying: _IndexKeying, threads: Int,
        writeSignatures: @escaping @Sendable (Range<Int>, UnsafeMutableBufferPointer<UInt64>) -> Bool
    ) {
        let n = ids.count
        self.init(documents: [], ids: ids, byteCounts: byteCounts, signatureLength: k, keying: keying)
        self.sizes = sizes
        self.sets = sets
        guard n > 0 else { return }
        let width = keysPerDocument
        let source = SendableMutablePointer(base: signatures.baseAddress!)
        let output = SendableMutablePointer(base: keys.baseAddress!)
        let chunks: [(filed: [Int32], checks: Bool)] = concurrentChunks(count: n, threads: threads, minimumChunk: 64) { range in
            // SAFETY: rows are disjoint across chunks: each chunk writes and reads its own.
            let checks = writeSignatures(range, UnsafeMutableBufferPointer(start: source.base + range.lowerBound * k, count: range.count * k))
            var filed: [Int32] = []
            for row in range where sizes[row] > 0 {
                let signature = UnsafeBufferPointer(start: source.base + row * k, count: k)
                guard !_isEmptySignature(signature) else { continue }
                filed.append(Int32(row))
                keying.keys(of: signature.baseAddress!, into: output.base + row * width)
            }
            return (filed, checks)
        }
        filedRows = chunks.flatMap(\.filed)
        checksRows = chunks.contains { $0.checks }
    }

    private init(documents: [Document], ids: [String], byteCounts: [Int], signatureLength k: Int, keying: _IndexKeying) {
        self.documents = documents
        ownsDocuments = true
        self.ids = ids
        self.byteCounts = byteCounts
        signatureLength = k
        self.keying = keying
        keysPerDocument = keying.keysPerDocument
        rowPacking = nil
        rowWords = k
        signatures = .allocate(capacity: ids.count * k)
        keys = .allocate(capacity: ids.count * keysPerDocument)
        chunkSize = 1
        chunkResults = .allocate(capacity: 0)
        isLoaded = true
    }

    deinit {
        signatures.deallocate()
        keys.deallocate()
        chunkResults.deinitialize().deallocate()
    }

    /// Shingles, signs and keys the documents of chunk `chunk` into their rows.
    func prepareChunk(_ chunk: Int, scheme: some SignatureScheme, options: DeduplicationOptions) {
        let k = signatureLength
        let width = keysPerDocument
        let keepSets = options.comparesShingleSets
        let needSizes = keepSets || options.usesContainment
        let range = chunk * chunkSize..<Swift.min((chunk + 1) * chunkSize, documents.count)
        let shingler = Shingler(options: options.shingling)
        let scratch = ScratchBuffer<UInt64>()
        var result = _ChunkResult()
        result.sizes.reserveCapacity(range.count)
        let signatures = signatures.baseAddress!
        let keys = keys.baseAddress
        let rowPacking = rowPacking
        let rowWords = rowWords
        // Whole rows are signed in place; packed ones through this one row of k values.
        let wholeRow: UnsafeMutablePointer<UInt64>? = rowPacking == nil ? nil : .allocate(capacity: k)
        defer { wholeRow?.deallocate() }
        // Read once: a class's property read per document is a load and an access check each.
        let documents = documents
        // Each text asked for ahead, its storage's header 2d documents ahead, then (its length
        // known, the header in cache) its first bytes d ahead: the first read of its length
        // missed the cache once a document (texts are parsed a step or more before this), and
        // so did the first lines of a paragraph's text, too short for the hardware to follow.
        let distance = Self.textPrefetchDistance
        Self.prefetchTexts(of: documents, range.prefix(2 &* distance))
        for index in range.prefix(distance) { documents[index].utf8.withUnsafeBytes { Self.prefetchBytes($0) } }
        for index in range {
            if index &+ 2 &* distance < range.upperBound {
                Self.prefetchTexts(of: documents, index &+ 2 &* distance..<index &+ 2 &* distance &+ 1)
            }
            if index &+ distance < range.upperBound {
                documents[index &+ distance].utf8.withUnsafeBytes { Self.prefetchBytes($0) }
            }
            documents[index].utf8.withUnsafeBytes { bytes in
                shingler.withShingleHashes(ofUTF8: bytes) { hashes in
                    // SAFETY: row `index` belongs to this chunk only, and so does `wholeRow`.
                    let row = wholeRow ?? signatures + index * k
                    scheme.sign(hashes, into: UnsafeMutableBufferPointer(start: row, count: k))
                    if !hashes.isEmpty && !_isEmptySignature(UnsafeBufferPointer(start: row, count: k)) {
                        result.filedRows.append(Int32(index))
                        keying.keys(of: row, into: keys! + index * width)
                    }
                    if let rowPacking { rowPacking.pack(row, into: signatures + index * rowWords) }
                    guard needSizes else {
                        result.sizes.append(hashes.isEmpty ? 0 : 1)
                        return
                    }
                    guard keepSets else {
                        result.sizes.append(_distinctCount(hashes, scratch: scratch))
                        return
                    }
                    let set = ShingleSet(hashes)
                    result.sizes.append(set.count)
                    result.sets.append(set)
                }
            }
        }
        chunkResults[chunk] = result
    }

    /// Gathers the chunks' results once every chunk is prepared, and hands the documents over:
    /// the batch no longer holds their texts, and the caller chooses where their memory is
    /// freed (a batch of 16,384 paragraphs takes about 3 ms, a cache miss and a `free` per
    /// text, which the filing leaves to its side task, beside the bands' filing).
    func finish() -> [Document] {
        precondition(!finished && !isLoaded, "a prepared batch finishes once")
        finished = true
        sizes = chunkResults.flatMap(\.sizes)
        sets = chunkResults.flatMap(\.sets)
        filedRows = chunkResults.flatMap(\.filedRows)
        for chunk in chunkResults.indices { chunkResults[chunk] = _ChunkResult() }
        defer { documents = [] }
        return documents
    }

    /// Releases `documents` (``finish()``'s, once filed, when the batch owns them:
    /// ``ownsDocuments``), leaving the array empty, with the storage of each text asked for
    /// some documents ahead of its release. A shared array would be copied by the first
    /// removal: give it up with `documents = []` instead.
    ///
    /// A text's release is an atomic decrement of the count in its storage's header, which
    /// waits for that cache line: texts last read when the batch was signed, a step before,
    /// are out of cache, and atomics do not overlap, so a batch of 16,384 paragraphs waited
    /// for 16,384 misses one after another (0.2 s of 1,080,000 paragraphs' filing). Released a
    /// group at a time from the end, with the next group's headers asked for first, the misses
    /// overlap.
    static func release(_ documents: inout [Document]) {
        let group = 32
        prefetchTexts(of: documents, Swift.max(0, documents.count - group)..<documents.count)
        while !documents.isEmpty {
            let end = documents.count
            let start = Swift.max(0, end - group)
            prefetchTexts(of: documents, Swift.max(0, start - group)..<start)
            documents.removeLast(end - start)
        }
    }

    /// How many documents ahead ``prepareChunk(_:scheme:options:)`` asks for a text's first
    /// bytes (its storage header twice as far ahead).
    static let textPrefetchDistance = 4

    /// Asks for the first ``textPrefetchBytes`` bytes of `bytes` (a hint: nothing changes).
    @inline(__always)
    static func prefetchBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        // SAFETY: every address is inside `bytes`; a prefetch reads nothing.
        for offset in Swift.stride(from: 0, to: Swift.min(bytes.count, textPrefetchBytes), by: 64) { simk_prefetch(base + offset) }
    }

    /// How much of a text ``prepareChunk(_:scheme:options:)`` asks for ahead: a paragraph's
    /// first lines, after which the hardware's own prefetching follows a longer text.
    static let textPrefetchBytes = 1_024

    /// Asks for the storage headers (length, reference count, first bytes) of the texts of
    /// `documents[range]` (a hint: nothing changes, nothing is retained).
    @inline(__always)
    static func prefetchTexts(of documents: [Document], _ range: Range<Int>) {
        documents.withUnsafeBufferPointer { documents in
            // SAFETY: index < documents.count (the callers' ranges); each document is borrowed
            // in place, and a prefetch reads nothing.
            for index in range { simk_prefetch(documents[index]._textStorageForPrefetch) }
        }
    }

    /// The k signature values of row `row` (valid while the batch lives); rows of whole values
    /// only (no ``rowPacking``).
    @inline(__always)
    func signature(ofRow row: Int) -> UnsafeBufferPointer<UInt64> {
        assert(rowPacking == nil, "a packed row has no whole values")
        return UnsafeBufferPointer(start: signatures.baseAddress! + row * signatureLength, count: signatureLength)
    }

    /// The `keysPerDocument` keys of row `row`.
    @inline(__always)
    func keys(ofRow row: Int) -> UnsafeBufferPointer<UInt64> {
        UnsafeBufferPointer(start: keys.baseAddress! + row * keysPerDocument, count: keysPerDocument)
    }
}

/// The number of distinct values among `hashes`, by linear probing in a zeroed table of at
/// least four times as many slots (shingle hashes are uniform, so their low bits pick the
/// slot); O(n), where sorting would be O(n log n).
///
/// A quarter full at most, the table finds a new hash's first slot empty about seven times in
/// eight, so the branch on it is mostly predicted: 3.5 → 2.4 ns a hash against a table half
/// full (documents of 300 to 1,800 hashes, 2% repeated). Past 2¹⁶ hashes (a table of 2 MiB) it
/// is only twice as large, so a huge document does not take a huge scratch buffer.
func _distinctCount(_ hashes: UnsafeBufferPointer<UInt64>, scratch: ScratchBuffer<UInt64>) -> Int {
    guard hashes.count > 1 else { return hashes.count }
    var capacity = 16
    let slotsPerHash = hashes.count <= 1 << 16 ? 4 : 2
    while capacity < hashes.count * slotsPerHash { capacity <<= 1 }
    let table = UnsafeMutableBufferPointer(rebasing: scratch.reserve(capacity)[0..<capacity])
    table.update(repeating: 0)
    let mask = capacity - 1
    var distinct = 0
    var sawZero = false
    for hash in hashes {
        guard hash != 0 else {
            sawZero = true
            continue
        }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] != 0 && table[slot] != hash { slot = (slot &+ 1) & mask }
        if table[slot] == 0 {
            table[slot] = hash
            distinct &+= 1
        }
    }
    return distinct + (sawZero ? 1 : 0)
}
