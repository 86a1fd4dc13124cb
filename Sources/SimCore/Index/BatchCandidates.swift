/// The candidates of a batch's rows, found while the batch was filed into an LSH index: for
/// each row, the documents filed before the row's document under one of the row's keys, shard
/// (band) by shard (with fewer than 64 key bits, under its top bits: see ``_PostingShard``).
/// A ``ContainmentIndex`` finds them for the keys its query reads in the row's own size
/// partition; the query looks the other partitions up.
///
/// A query reads the postings a filing has just written: the same recent hash slots, probed
/// twice, and on paragraphs a quarter of a two-thread run went to those queries. Filing
/// with ``_PostingShard/insertFindingEarlier(keys:documents:firstDocument:rowCount:finds:)`` probes
/// each slot once and looks the key up in the frozen layers while its shard's postings are in
/// cache, so the batch's queries read only these lists.
///
/// What a row finds is exactly what a query made after the filing returns, restricted to
/// earlier documents (the only ones a ``Deduplicator`` verifies): documents of earlier
/// batches and earlier rows of this one. Immutable once made.
///
/// A row that found more than ``_PostingShard/foundLimit`` documents in a shard is
/// *overflowed*: its lists are dropped, and its query looks its keys up instead.
struct _BatchCandidates: Sendable {
    /// Every shard's documents, gathered row by row (so that a query reads one run).
    private let rows: _RowCandidates
    /// Whether each row overflowed in some shard; empty when none did.
    private let overflowed: [Bool]

    /// The lists of the shards that filed a batch of `rowCount` rows, gathered.
    init(rowCount: Int, shards: [_RowCandidates]) {
        var overflowed: [Bool] = []
        for shard in shards where !shard.overflowRows.isEmpty {
            if overflowed.isEmpty { overflowed = [Bool](repeating: false, count: rowCount) }
            for row in shard.overflowRows { overflowed[Int(row)] = true }
        }
        self.overflowed = overflowed
        var starts = [Int32](repeating: 0, count: rowCount + 1)
        // Offsets fit 32 bits: a shard keeps at most foundLimit documents a row.
        for shard in shards {
            for row in 0..<rowCount where overflowed.isEmpty || !overflowed[row] {
                starts[row + 1] &+= shard.rowStarts[row + 1] &- shard.rowStarts[row]
            }
        }
        for row in 0..<rowCount { starts[row + 1] &+= starts[row] }
        var gathered = [Int32](repeating: 0, count: Int(starts[rowCount]))
        var next = starts
        for shard in shards {
            for row in 0..<rowCount where overflowed.isEmpty || !overflowed[row] {
                for index in Int(shard.rowStarts[row])..<Int(shard.rowStarts[row + 1]) {
                    gathered[Int(next[row])] = shard.documents[index]
                    next[row] &+= 1
                }
            }
        }
        rows = _RowCandidates(documents: gathered, rowStarts: starts)
    }

    /// Whether row `row` overflowed, so that its candidates must be looked up.
    @inline(__always)
    func isOverflowed(_ row: Int) -> Bool { !overflowed.isEmpty && overflowed[row] }

    /// Calls `body` with every document found for row `row` (not overflowed) in every shard: a
    /// document found in several shards, several times.
    @inline(__always)
    func forEachDocument(ofRow row: Int, _ body: (Int32) -> Void) { rows.forEachDocument(ofRow: row, body) }
}

/// Documents found for each row of a batch (by one shard's filing, or gathered from all):
/// row `r`'s are `documents[rowStarts[r]..<rowStarts[r + 1]]`.
struct _RowCandidates: Sendable {
    /// The documents found, row after row.
    private(set) var documents: [Int32] = []
    /// Where each row's documents start, then the end: `rowCount + 1` offsets once finished.
    private(set) var rowStarts: [Int32] = []
    /// The rows that found too many documents (``overflow(row:)``), increasing; their lists
    /// are empty.
    private(set) var overflowRows: [Int32] = []

    /// An empty list for `rowCount` rows, to be filled row by row.
    init(rowCount: Int) {
        rowStarts.reserveCapacity(rowCount + 1)
    }

    /// A finished list.
    fileprivate init(documents: [Int32], rowStarts: [Int32]) {
        self.documents = documents
        self.rowStarts = rowStarts
    }

    /// Starts the documents of `row` (not below the rows started before; rows skipped find
    /// nothing).
    @inline(__always)
    mutating func start(row: Int) {
        while rowStarts.count <= row { rowStarts.append(Int32(truncatingIfNeeded: documents.count)) }
    }

    /// Adds a document to the row started last.
    @inline(__always)
    mutating func append(_ document: Int32) { documents.append(document) }

    /// Marks `row`, the row started last, overflowed, and drops its documents.
    mutating func overflow(row: Int) {
        precondition(row == rowStarts.count - 1, "only the row started last")
        documents.removeSubrange(Int(rowStarts[row])...)
        overflowRows.append(Int32(row))
    }

    /// Closes the list after the last of `rowCount` rows.
    mutating func finish(rowCount: Int) {
        start(row: rowCount)
    }

    /// Calls `body` with each document found for `row`.
    @inline(__always)
    func forEachDocument(ofRow row: Int, _ body: (Int32) -> Void) {
        let (start, end) = (Int(rowStarts[row]), Int(rowStarts[row &+ 1]))
        guard start < end else { return }
        documents.withUnsafeBufferPointer { documents in
            // SAFETY: the offsets lie in 0...documents.count (taken while appending, or summed
            // from the counts of the lists gathered).
            for index in start..<end { body(documents[index]) }
        }
    }
}
