import SimCoreInternals

/// A batch made ready for filing outside the engine's lock, on all cores: each document's id,
/// length, shingle-set size, signature and index keys, and (exact verification) its shingle set.
///
/// Everything downstream uses these values as they are: the signatures are copied once into the
/// engine's store, and the same keys file the document and query for its candidates.
///
/// Set sizes cost a sort or a hash table per document, so Jaccard with estimated verification,
/// which needs none, records only 0 (no shingles) or 1.
struct _PreparedBatch: Sendable {
    /// The documents' ids, in batch order.
    var ids: [String]
    /// Their UTF-8 lengths.
    var byteCounts: [Int]
    /// Their distinct-shingle counts (0 or 1 only, when no measure needs them).
    var sizes: [Int]
    /// `count × k` signature values, row-major.
    var signatures: [UInt64]
    /// `count × keysPerDocument` index keys, row-major (rows of empty documents unset).
    var keys: [UInt64]
    /// The rows that have shingles, increasing: the ones the index files.
    var filedRows: [Int32]
    /// Shingle sets, one per document, for exact verification; empty otherwise.
    var sets: [ShingleSet]

    /// The number of documents.
    var count: Int { ids.count }

    /// Shingles, signs and keys `documents` on `threads` cores.
    init(
        documents: [Document], scheme: some SignatureScheme, options: DeduplicationOptions, keying: _IndexKeying,
        threads: Int
    ) {
        let k = scheme.signatureLength
        let keepSets = options.comparesShingleSets
        let needSizes = keepSets || options.usesContainment
        let n = documents.count
        // Every row is written by `scheme.sign` below, so the rows need no zeroing first (4 MiB
        // of memset per 4,096-document batch at k = 128).
        var signatures = [UInt64](unsafeUninitializedCapacity: n * k) { _, count in count = n * k }
        let chunks: [([Int], [ShingleSet])] = n == 0 ? [] : signatures.withUnsafeMutableBufferPointer { output in
            let box = SendableMutablePointer(base: output.baseAddress!)
            return concurrentChunks(count: n, threads: threads, minimumChunk: 8) { range in
                let shingler = Shingler(options: options.shingling)
                let scratch = ScratchBuffer<UInt64>()
                var sizes: [Int] = []
                var sets: [ShingleSet] = []
                for index in range {
                    documents[index].utf8.withUnsafeBytes { bytes in
                        shingler.withShingleHashes(ofUTF8: bytes) { hashes in
                            // SAFETY: row `index` belongs to this chunk only.
                            scheme.sign(hashes, into: UnsafeMutableBufferPointer(start: box.base + index * k, count: k))
                            guard needSizes else {
                                sizes.append(hashes.isEmpty ? 0 : 1)
                                return
                            }
                            guard keepSets else {
                                sizes.append(_distinctCount(hashes, scratch: scratch))
                                return
                            }
                            let set = ShingleSet(hashes)
                            sizes.append(set.count)
                            sets.append(set)
                        }
                    }
                }
                return (sizes, sets)
            }
        }
        self.init(
            ids: documents.map(\.id), byteCounts: documents.map(\.utf8.count), sizes: chunks.flatMap(\.0),
            signatures: signatures, sets: chunks.flatMap(\.1), signatureLength: k, keying: keying, threads: threads)
    }

    /// A batch from values already made (a saved engine): computes the keys on `threads` cores.
    init(
        ids: [String], byteCounts: [Int], sizes: [Int], signatures: [UInt64], sets: [ShingleSet], signatureLength k: Int,
        keying: _IndexKeying, threads: Int
    ) {
        let n = ids.count
        let width = keying.keysPerDocument
        var keys = [UInt64](repeating: 0, count: n * width)
        let filed: [[Int32]] = n == 0 ? [] : keys.withUnsafeMutableBufferPointer { output in
            let box = SendableMutablePointer(base: output.baseAddress!)
            return signatures.withUnsafeBufferPointer { values in
                let source = SendableMutablePointer(base: UnsafeMutablePointer(mutating: values.baseAddress!))
                return concurrentChunks(count: n, threads: threads, minimumChunk: 64) { range in
                    var filed: [Int32] = []
                    for row in range where sizes[row] > 0 {
                        // SAFETY: rows are disjoint across chunks; the signatures are only read.
                        let signature = UnsafeBufferPointer(start: source.base + row * k, count: k)
                        guard !_isEmptySignature(signature) else { continue }
                        filed.append(Int32(row))
                        keying.keys(of: signature.baseAddress!, into: box.base + row * width)
                    }
                    return filed
                }
            }
        }
        self.ids = ids
        self.byteCounts = byteCounts
        self.sizes = sizes
        self.signatures = signatures
        self.keys = keys
        self.filedRows = filed.flatMap { $0 }
        self.sets = sets
    }
}

/// The number of distinct values among `hashes`, by linear probing in a zeroed table of at
/// least twice as many slots (shingle hashes are uniform, so their low bits pick the slot);
/// O(n), where sorting would be O(n log n).
func _distinctCount(_ hashes: UnsafeBufferPointer<UInt64>, scratch: ScratchBuffer<UInt64>) -> Int {
    guard hashes.count > 1 else { return hashes.count }
    var capacity = 16
    while capacity < hashes.count * 2 { capacity <<= 1 }
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
