/// The index keys of batches a loader has stored but not filed yet, filed together once the
/// rows they file make a run (2²⁰ by default, ``defaultRunLength``).
///
/// An exact posting shard (64 key bits: an engine keeping whole signatures) takes a batch of at
/// least 2²⁰ entries as one sorted run, merged into its layers by their policy
/// (``_PostingShard/insert(keys:documents:)``). Filed a batch of 16,384 documents at a time, as
/// a run files them, the keys went one by one into each shard's recent table, which was then
/// sorted and merged every 2²⁰ entries: a third of loading, adding 1,000 paragraphs to and
/// saving the state of a million. Which documents a lookup returns does not depend on how the
/// keys were batched, only on what was filed (``_PostingShard``, "Key bits").
struct _PendingKeys {
    /// The rows to file that make a run by default: an exact shard's largest recent table
    /// (2²⁰ entries), so that every run but the last is filed as one sorted run.
    static let defaultRunLength = 1 << 20

    /// Keys per document (``_IndexKeying/keysPerDocument``).
    private let keysPerDocument: Int
    /// The rows to file that make a run.
    private let runLength: Int
    /// `sizes.count × keysPerDocument` keys, row-major; rows not filed are zero.
    private var keys: [UInt64] = []
    /// The pending documents' distinct-shingle counts.
    private var sizes: [Int] = []
    /// The pending rows the index files (documents with shingles), increasing.
    private var filedRows: [Int32] = []

    /// No keys yet, for an index that files `keysPerDocument` keys a document, in runs of
    /// `runLength` rows to file (tests take short ones, to cross runs with few documents).
    init(keysPerDocument: Int, runLength: Int = _PendingKeys.defaultRunLength) {
        precondition(runLength >= 1, "a run files at least one row")
        self.keysPerDocument = keysPerDocument
        self.runLength = runLength
    }

    /// Whether the pending keys make a run (`runLength` rows to file).
    var isFull: Bool { filedRows.count >= runLength }

    /// Adds the keys of a stored batch, the documents after those pending.
    mutating func append(_ batch: _PreparedBatch) {
        precondition(batch.keysPerDocument == keysPerDocument, "one index's keys")
        let first = sizes.count
        let width = keysPerDocument
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
