/// The sections of a saved ``Deduplicator``'s payload (``Deduplicator/save(to:)`` lists them),
/// read and checked: the small ones copied, the signature rows, ids and shingle sets left in
/// the file's bytes and read a batch at a time (``wholeRows(_:into:scheme:)``, ``ids(_:)``,
/// ``sets(_:)``), so that loading a million documents never holds every row at once.
///
/// Sendable so that a batch's chunks read their rows on several cores.
// SAFETY: the payload is immutable, and the file's bytes it views stay mapped, unchanged,
// until the load that made it returns; chunks only read them.
struct _SavedDeduplicatorPayload: @unchecked Sendable {
    /// The number of documents.
    let count: Int
    /// Each document's byte count.
    let byteCounts: [Int]
    /// Each document's distinct shingle count.
    let sizes: [Int]
    /// Words per row when ``rowStarts`` is empty: k for whole values, else the store's packed row.
    let rowWords: Int
    /// Where each row starts in ``signatureValues`` (count + 1 entries), for rows of varying
    /// length (format version 4, filled bins); empty when every row is ``rowWords`` words.
    let rowStarts: [Int]
    /// The signature rows' words.
    let signatureValues: _LittleEndianValues<UInt64>
    /// Where each id starts in ``idBytes`` (count + 1 entries).
    let idStarts: [Int]
    /// The ids' UTF-8 bytes, one after another.
    let idBytes: _LittleEndianValues<UInt8>
    /// Where each shingle set starts in ``setHashes`` (count + 1 entries; empty without sets).
    let setStarts: [Int]
    /// The shingle sets' sorted hashes, one after another.
    let setHashes: _LittleEndianValues<UInt64>
    /// The verified pairs.
    let pairs: [SimilarPair]
    /// The posting shards (an engine with truncated signatures), empty otherwise.
    let shards: [_PostingShard]

    /// Reads and checks the sections after the parameter line (which the caller has read and
    /// compared) of a payload of format `version`.
    ///
    /// - Parameters:
    ///   - reader: A reader positioned after the parameter line.
    ///   - version: The file's format version (1 to 4).
    ///   - whole: Whether rows give k whole values (version 1, or an engine keeping 64 bits),
    ///     as they are or, in version 4, densified from their filled bins.
    ///   - signatureLength: k.
    ///   - storeWords: Words per row of the loading engine's store (packed truncated values).
    ///   - keepsFilledBins: Whether the loading engine keeps whole rows as their filled bins
    ///     (the only engine whose version-4 rows have lengths of their own).
    ///   - comparesShingleSets: Whether the file holds shingle sets (exact verification).
    ///   - keyBits: The key bits of the engine's posting shards.
    ///   - counted: Told the document count as soon as it is read.
    /// - Throws: ``IndexFileError/corrupt(_:)`` for any section that disagrees with the others.
    init(
        reading reader: inout _BinaryReader, version: UInt32, whole: Bool, signatureLength k: Int, storeWords: Int,
        keepsFilledBins: Bool, comparesShingleSets: Bool, keyBits: Int, counted: (Int) -> Void = { _ in }
    ) throws {
        let rowWords = whole ? k : storeWords
        // Every count is range-checked before it becomes an Int (see MinHashLSH's loader).
        let count = try reader.readInt(in: 0...(Int(Int32.max) - 1), "document count")
        counted(count)
        let byteCounts = try reader.readArray(UInt64.self, limit: count)
        let sizes = try reader.readArray(Int32.self, limit: count)
        // Version 4: each row's length (empty when every row is `rowWords` words), then the words.
        let rowLengths = version >= 4 ? try reader.readArray(UInt16.self, limit: count) : []
        var rowStarts: [Int] = []
        var signatureWords: Int
        if rowLengths.isEmpty {
            let (words, overflow) = count.multipliedReportingOverflow(by: rowWords)
            guard !overflow else { throw IndexFileError.corrupt("document count \(count) with \(rowWords) words a row") }
            signatureWords = words
        } else {
            guard rowLengths.count == count else {
                throw IndexFileError.corrupt("row lengths for \(rowLengths.count) of \(count) documents")
            }
            guard keepsFilledBins, whole else {
                throw IndexFileError.corrupt("row lengths for an engine whose rows all have one length")
            }
            guard rowLengths.allSatisfy({ Int($0) <= k }) else { throw IndexFileError.corrupt("a row longer than k = \(k)") }
            rowStarts.reserveCapacity(count + 1)
            signatureWords = 0
            rowStarts.append(0)
            for length in rowLengths {
                signatureWords += Int(length)
                rowStarts.append(signatureWords)
            }
        }
        let signatureValues = try reader.readValues(UInt64.self, limit: signatureWords)
        let idLengths = try reader.readArray(UInt32.self, limit: count)
        let idBytes = try reader.readValues(UInt8.self, limit: Int(Int32.max))
        let setCounts = try reader.readArray(UInt32.self, limit: count)
        let setHashes = try reader.readValues(UInt64.self, limit: Int(Int32.max))
        let pairValues = try reader.readArray(UInt64.self, limit: Int(Int32.max))
        var shards: [_PostingShard] = []
        if version >= 2 {
            let shardCount = try reader.readInt(in: 0...4_096, "posting table count")
            guard whole == (shardCount == 0) else { throw IndexFileError.corrupt("posting table count \(shardCount)") }
            for _ in 0..<shardCount {
                if version == 2 {
                    let table = try _PostingTable(reading: &reader, documentLimit: count)
                    shards.append(_PostingShard(converting: table, keyBits: keyBits, documentLimit: count))
                } else {
                    shards.append(try _PostingShard(reading: &reader, keyBits: keyBits, documentLimit: count))
                }
            }
        }
        guard reader.offset == reader.bytes.count, byteCounts.count == count, sizes.count == count,
              signatureValues.count == signatureWords, idLengths.count == count,
              setCounts.count == (comparesShingleSets ? count : 0), pairValues.count % 3 == 0
        else { throw IndexFileError.corrupt("section sizes disagree") }
        // A set size is below 2³¹ − 1 (what the containment index's partitions take), and a
        // byte count fits an Int.
        guard sizes.allSatisfy({ $0 >= 0 && $0 < Int32.max }) else { throw IndexFileError.corrupt("a set size out of range") }
        guard byteCounts.allSatisfy({ $0 <= UInt64(Int.max) }) else { throw IndexFileError.corrupt("a byte count out of range") }
        let idStarts = Self.starts(of: idLengths)
        let setStarts = setCounts.isEmpty ? [] : Self.starts(of: setCounts)
        guard idStarts.last == idBytes.count, setStarts.last ?? 0 == setHashes.count else {
            throw IndexFileError.corrupt("section sizes disagree")
        }
        var pairs: [SimilarPair] = []
        pairs.reserveCapacity(pairValues.count / 3)
        for i in stride(from: 0, to: pairValues.count, by: 3) {
            let first = Int(truncatingIfNeeded: pairValues[i])
            let second = Int(truncatingIfNeeded: pairValues[i + 1])
            guard first >= 0, first < second, second < count else { throw IndexFileError.corrupt("pair out of range") }
            pairs.append(SimilarPair(first: first, second: second, similarity: Double(bitPattern: pairValues[i + 2])))
        }
        self.count = count
        self.byteCounts = byteCounts.map { Int($0) }
        self.sizes = sizes.map { Int($0) }
        self.rowWords = rowWords
        self.rowStarts = rowStarts
        self.signatureValues = signatureValues
        self.idStarts = idStarts
        self.idBytes = idBytes
        self.setStarts = setStarts
        self.setHashes = setHashes
        self.pairs = pairs
        self.shards = shards
    }

    /// Where each of `lengths`' runs starts, and the end (lengths.count + 1 entries).
    private static func starts(of lengths: [UInt32]) -> [Int] {
        var starts = [0]
        starts.reserveCapacity(lengths.count + 1)
        for length in lengths { starts.append(starts[starts.count - 1] + Int(length)) }
        return starts
    }

    /// The ids of documents `range`.
    func ids(_ range: Range<Int>) -> [String] {
        range.map { document in
            let bytes = UnsafeRawBufferPointer(rebasing: idBytes.bytes[idStarts[document]..<idStarts[document + 1]])
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The shingle sets of documents `range` (none when the file holds no sets).
    ///
    /// - Throws: ``IndexFileError/corrupt(_:)`` for a set whose hashes are not strictly increasing.
    func sets(_ range: Range<Int>) throws -> [ShingleSet] {
        guard !setStarts.isEmpty else { return [] }
        return try range.map { document in
            let start = setStarts[document]
            let hashes = [UInt64](unsafeUninitializedCapacity: setStarts[document + 1] - start) { buffer, initialized in
                setHashes.copy(start..<start + buffer.count, to: buffer)
                initialized = buffer.count
            }
            guard zip(hashes, hashes.dropFirst()).allSatisfy({ $0 < $1 }) else { throw IndexFileError.corrupt("unsorted shingle set") }
            return ShingleSet(sortedUniqueHashes: hashes)
        }
    }

    /// Appends the rows of documents `range` in the store's layout (`rowWords` words each) to
    /// `store`, as they were saved, through `scratch` (room for them): an engine whose rows
    /// cannot give index keys (truncated values) takes them back as they are, a batch at a time.
    func appendStoredRows(_ range: Range<Int>, to store: inout _SignatureStore, through scratch: UnsafeMutableBufferPointer<UInt64>) {
        precondition(rowStarts.isEmpty && rowWords == store.wordsPerRow, "rows of the store's one length")
        let rows = UnsafeMutableBufferPointer(rebasing: scratch[0..<range.count * rowWords])
        signatureValues.copy(range.lowerBound * rowWords..<range.upperBound * rowWords, to: rows)
        store.append(words: UnsafeBufferPointer(rows))
    }

    /// Writes the whole rows (k values each) of documents `range` to `target`: as saved, or
    /// densified from their filled bins by `scheme` (format version 4).
    ///
    /// - Precondition: The rows are whole (`rowWords` is k), and `scheme` is given when rows
    ///   have lengths of their own.
    /// - Returns: Whether the store must check each row as it keeps it
    ///   (``_PreparedBatch/checksRows``): always for rows of one length (every file before
    ///   version 4, and version-4 files of schemes other than one-permutation MinHash), which
    ///   are copied unchecked here; for version-4 rows, only when a row saved whole (k values)
    ///   is not the scheme's (its filled bins do not densify to it: a damaged file), so that the
    ///   store keeps it whole and it reads back as it came. Densified rows are the scheme's by
    ///   construction.
    func wholeRows(_ range: Range<Int>, into target: UnsafeMutableBufferPointer<UInt64>, scheme: OnePermutationMinHash?) -> Bool {
        let k = rowWords
        precondition(target.count == range.count * k, "room for the rows")
        guard !rowStarts.isEmpty else {
            signatureValues.copy(range.lowerBound * k..<range.upperBound * k, to: target)
            return true
        }
        guard let scheme else { preconditionFailure("rows of filled bins need their scheme") }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * k) { scratch in
            let filled = UnsafeMutableBufferPointer(rebasing: scratch[0..<k])
            let again = UnsafeMutableBufferPointer(rebasing: scratch[k..<2 * k])
            var allTheSchemes = true
            for (row, document) in range.enumerated() {
                let start = rowStarts[document]
                let length = rowStarts[document + 1] - start
                // SAFETY: row < range.count, so the row's k values lie inside `target`.
                let whole = UnsafeMutableBufferPointer(rebasing: target[row * k..<(row + 1) * k])
                if length < k {
                    // length < k values fit the scratch of k.
                    signatureValues.copy(start..<start + length, to: filled)
                    scheme.expand(filledValues: UnsafeBufferPointer(rebasing: filled[0..<length]), into: whole)
                    continue
                }
                signatureValues.copy(start..<start + k, to: whole)
                // A row saved whole had every bin filled, or too few to keep them alone.
                let written = scheme.filledValues(of: UnsafeBufferPointer(whole), into: filled.baseAddress!)
                guard written < k else { continue }
                scheme.expand(filledValues: UnsafeBufferPointer(rebasing: filled[0..<written]), into: again)
                if !again.elementsEqual(whole) { allTheSchemes = false }
            }
            return !allTheSchemes
        }
    }
}

extension _DeduplicatorState {
    /// Refiles a saved engine whose signatures are too short to compute index keys from
    /// (truncated values): the ids, rows and sets come back `batch` documents at a time, and
    /// the posting shards as saved; `filed` is told the documents filed after each batch.
    ///
    /// - Throws: ``IndexFileError/corrupt(_:)`` for an unsorted shingle set, or shards that do
    ///   not fit the index.
    mutating func restore(
        compact saved: _SavedDeduplicatorPayload, batch: Int, documents: inout _DocumentTable, filed progress: (Int) -> Void
    ) throws {
        // One buffer for every batch's rows (a fresh one a batch faults its pages in each time).
        let scratch = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: Swift.min(saved.count, batch) * saved.rowWords)
        defer { scratch.deallocate() }
        var first = 0
        while first < saved.count {
            let range = first..<Swift.min(saved.count, first + batch)
            for (document, id) in zip(range, saved.ids(range)) { documents.append(id: id, byteCount: saved.byteCounts[document]) }
            saved.appendStoredRows(range, to: &filed.signatures, through: scratch)
            filed.sets.append(contentsOf: try saved.sets(range))
            first = range.upperBound
            progress(first)
        }
        filed.sizes.append(contentsOf: saved.sizes)
        // Rows with shingles were filed (an empty document's signature is never filed).
        let filedRows = saved.sizes.indices.filter { saved.sizes[$0] > 0 }.map { Int32($0) }
        try filed.index.restore(shards: saved.shards, sizes: saved.sizes, filedRows: filedRows)
    }
}
