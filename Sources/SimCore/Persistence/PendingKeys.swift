/// The index keys of batches a loader has stored but not filed yet, filed together once they
/// make a run: 2²⁰ entries a shard by default (``defaultRunEntries``).
///
/// An exact posting shard (64 key bits: an engine keeping whole signatures) takes a batch of at
/// least 2²⁰ entries as one sorted run, merged into its layers by their policy
/// (``_PostingShard/insert(keys:documents:)``). Filed a batch of 16,384 documents at a time, as
/// a run files them, the keys went one by one into each shard's recent table, which was then
/// sorted and merged every 2²⁰ entries: a third of loading, adding 1,000 paragraphs to and
/// saving the state of a million. Which documents a lookup returns does not depend on how the
/// keys were batched, only on what was filed (``_PostingShard``, "Key bits").
///
/// A run holds its rows' keys, 8 bytes each: 2²⁰ rows of 14 band keys (``MinHashLSH``) are
/// 117 MB, 2¹⁸ rows of 32 bands × 4 levels (``ContainmentIndex``, 4 entries a shard a row)
/// 268 MB, less than the recent tables the keys went through before (up to 32 MB a shard).
struct _PendingKeys {
    /// The entries a shard takes from one run by default: an exact shard's largest recent
    /// table, so that every run but the last is filed as sorted runs.
    static let defaultRunEntries = 1 << 20

    /// Keys per document (``_IndexKeying/keysPerDocument``).
    private let keysPerDocument: Int
    /// The rows that make a run: `runEntries` divided by the entries a row gives each shard.
    let rowsPerRun: Int
    /// Rows still expected after those appended (for the run's one allocation).
    private var rowsExpected: Int
    /// `sizes.count × keysPerDocument` keys, row-major; rows not filed are zero.
    private var keys: [UInt64] = []
    /// The pending documents' distinct-shingle counts.
    private var sizes: [Int] = []
    /// The pending rows the index files (documents with shingles), increasing.
    private var filedRows: [Int32] = []

    /// No keys yet, for an index of `shardCount` shards that files `keysPerDocument` keys a
    /// document, in runs of `runEntries` entries a shard (tests take short ones, to cross runs
    /// with few documents), of `expectedRows` rows in all.
    init(keysPerDocument: Int, shardCount: Int, runEntries: Int = _PendingKeys.defaultRunEntries, expectedRows: Int) {
        precondition(runEntries >= 1, "a run files at least one entry")
        self.keysPerDocument = keysPerDocument
        rowsPerRun = Swift.max(1, runEntries / Swift.max(1, keysPerDocument / Swift.max(1, shardCount)))
        rowsExpected = expectedRows
    }

    /// Whether the pending rows make a run.
    var isFull: Bool { sizes.count >= rowsPerRun }

    /// Adds the keys of a stored batch, the documents after those pending.
    mutating func append(_ batch: _PreparedBatch) {
        precondition(batch.keysPerDocument == keysPerDocument, "one index's keys")
        let first = sizes.count
        let width = keysPerDocument
        if keys.isEmpty {
            // One allocation for the run (or the rows left), not a doubling copy of it.
            keys.reserveCapacity(Swift.max(batch.count, Swift.min(rowsPerRun, rowsExpected)) * width)
        }
        rowsExpected -= batch.count
        keys.append(contentsOf: repeatElement(0, count: batch.count * width))
        keys.withUnsafeMutableBufferPointer { keys in
            for row in batch.filedRows {
                // SAFETY: row < batch.count, so both ranges lie inside their buffers (the batch's
                // keys are `batch.count × width`, and `keys` has `first + batch.count` rows).
                let source = UnsafeBufferPointer(rebasing: batch.keys[Int(row) * width..<(Int(row) + 1) * width])
                _ = UnsafeMutableBufferPointer(rebasing: keys[(first + Int(row)) * width..<(first + Int(row) + 1) * width])
                    .update(fromContentsOf: source)
            }
        }
        sizes.append(contentsOf: batch.sizes)
        filedRows.append(contentsOf: batch.filedRows.map { $0 + Int32(first) })
    }

    /// Files every pending key into `index` (the documents after the ones it numbered before),
    /// and forgets them.
    mutating func file(into index: inout any _CandidateIndex, threads: Int) {
        guard !sizes.isEmpty else { return }
        keys.withUnsafeBufferPointer { index.insert(keys: $0, sizes: sizes, filedRows: filedRows, threads: threads) }
        keys = []
        sizes = []
        filedRows = []
    }
}
