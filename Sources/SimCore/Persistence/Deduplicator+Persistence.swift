#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Deduplicator {
    /// The file format version ``save(to:)`` writes (4). Versions 1, 2 and 3 still load.
    public static var fileFormatVersion: UInt32 { 4 }
    static var fileMagic: [UInt8] { Array("SCDEDUP\u{0}".utf8) }

    /// The parameters a saved deduplicator must share with the one loading it, as one line:
    /// scheme name, k and seed, measure, threshold, verification, banding, weights, rMax and
    /// shingling options (JSON with sorted keys); from format version 2 on, the verification
    /// bits too.
    ///
    /// - Parameter version: The format version whose line to give.
    func fileParameters(version: UInt32 = fileFormatVersion) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let shingling = (try? encoder.encode(options.shingling)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        // Format version 1 named the overlap coefficient "containment"; the name stays so that
        // files written before the measure was renamed still load.
        let measure = options.measure == .overlap ? "containment" : options.measure.rawValue
        let line = "scheme=\(scheme.name) k=\(scheme.signatureLength) seed=\(scheme.seed) measure=\(measure)"
            + " threshold=\(options.threshold) verification=\(options.verification.rawValue)"
            + " banding=\(options.banding.map { "\($0)" } ?? "auto") fp=\(options.falsePositiveWeight)"
            + " fn=\(options.falseNegativeWeight) rmax=\(options.maximumRowsPerBand) shingling=\(shingling)"
        return version == 1 ? line : line + " verification-bits=\(options.verificationBits)"
    }

    /// Saves everything the deduplicator has seen to a versioned binary file, atomically, so a
    /// service can stop and resume.
    ///
    /// Same envelope as ``MinHashLSH/save(to:)`` (magic `SCDEDUP\0`, version, length, payload,
    /// XXH3-64 checksum; temporary file, flush, rename). Payload of format version 4, each array
    /// as a `u64` count and its little-endian elements:
    ///
    /// 1. the parameter line (UTF-8 bytes; it names the verification bits);
    /// 2. the document count (`u64`), then per document its byte count (`u64`) and distinct
    ///    shingle count (`i32`);
    /// 3. the signatures as the engine keeps them: each row's length (`u16`; an empty array
    ///    when every row has the same length), then the rows' `u64` words one after another.
    ///    Whole values of ``OnePermutationMinHash`` are kept as the values of the filled bins
    ///    alone (about 39 of 128 for a paragraph of 50 words), in bin order, which the scheme
    ///    densifies again on load; a row of k values is whole as it is, a row of none an empty
    ///    document's. Whole values of other schemes are k values a row. With
    ///    ``DeduplicationOptions/verificationBits`` 16, 8 or 4, rows are k lanes of that many
    ///    bits, little-endian within each word, padded to whole words with zero lanes (checked
    ///    on load);
    /// 4. the ids (lengths `u32`, then the bytes), the shingle sets (exact verification: counts
    ///    `u32`, then the sorted hashes) and the verified pairs (`first`, `second`, similarity
    ///    bits, `u64` each);
    /// 5. the index: a shard count of 0 when the signatures are whole (the index is rebuilt
    ///    from them on load, on all cores, which keeps the file at the filled bins, about
    ///    39 × 8 + 2 bytes a paragraph of 50 words at k = 128, plus ids and lengths);
    ///    otherwise, since truncated values cannot give the keys again, the number of posting
    ///    shards (`u64`, one per band) and each shard's postings sorted by (key prefix,
    ///    document): the key bits kept (`u64`, 32 for an engine with truncated signatures), then
    ///    the prefixes (`u32` each when they have at most 32 bits, else `u64`) and the documents
    ///    (`u32`), each as an array; checked for order and range on load.
    ///
    /// Version 3 is the same without the row lengths in section 3: whole rows are k values each
    /// (a million paragraphs took 1.15 GB, against about 0.4 GB in version 4). Version 2 is
    /// version 3 with, in section 5, each band's whole 64-bit keys in a hash table
    /// (key count, slot keys, slot heads, entry documents, entry links); its keys are cut to
    /// their top 32 bits on load. Version 1 has no verification bits in the parameter line and
    /// no section 5 (signatures always whole); it loads into an engine with any verification
    /// bits.
    ///
    /// The file is written as it is produced (nothing like its size is held in memory: the
    /// payload is counted, then streamed through a small buffer), while inserts from other
    /// threads wait: the whole file goes to the
    /// page cache under the locks, about a second for 420 MB; the flush to disk and the rename
    /// happen after they are released.
    ///
    /// ```swift
    /// try deduplicator.save(to: "dedup.state")
    /// let resumed = try Deduplicator(contentsOf: "dedup.state")   // same scheme and options
    /// ```
    ///
    /// - Parameter path: The file to create or replace.
    /// - Throws: ``IndexFileError/io(path:reason:)``.
    public func save(to path: String) throws {
        try save(to: path, progress: nil)
    }

    /// Saves as ``save(to:)`` does, telling `progress` the bytes written and the file's size:
    /// (0, size) before the first byte, then after each mebibyte or so, and (size, size) at the
    /// end, before the file is flushed to disk and renamed (a tool's progress display).
    ///
    /// - Parameters:
    ///   - path: The file to create or replace.
    ///   - progress: Receives (bytes written, file size), on the calling thread.
    /// - Throws: ``IndexFileError/io(path:reason:)``.
    package func save(to path: String, progress: ((Int, Int) -> Void)?) throws {
        // With other threads inserting, the file holds the batches filed so far, each with its
        // verified pairs: new filings wait, and the save waits for those in flight. The payload
        // is counted, then written through a small buffer as it is produced (held whole, it
        // was 420 MB for 1,080,000 paragraphs, and once 1.15 GB copied twice); flushing the
        // file to disk and renaming it happen after the locks are released.
        let file = try _IndexFileWriter(path: path, magic: Self.fileMagic, version: Self.fileFormatVersion)
        filing.withFilingPaused { access.withReadLock { idAccess.withReadLock {
            let (pairs, unionFindCount) = clusterLock.withLock { (clustering.pairs, clustering.unionFind.count) }
            precondition(unionFindCount <= documents.count)
            let shards = options.verificationBits == 64 ? [] : state.filed.index.shards
            file.write(progress: progress) { writer in
                writeDocumentSections(to: &writer, version: Self.fileFormatVersion, pairs: pairs)
                writer.write(UInt64(shards.count))
                for shard in shards { shard.write(to: &writer) }
            }
        } } }
        try file.commit()
    }

    /// Saves the state in format version 1, 2 or 3, as builds before version 4 wrote it, so
    /// that the tests and the damage matrix keep covering files users may still hold. Not API:
    /// ``save(to:)`` writes the current version.
    ///
    /// Version 1 held whole signatures only (the engine must keep 64 verification bits) and no
    /// index; version 2 held, for an engine with fewer bits, each band's whole 64-bit keys in a
    /// chained hash table, which a current compact engine no longer keeps: they come from
    /// `whole`, an engine with whole signatures and otherwise the same options that filed the
    /// same documents.
    ///
    /// - Parameters:
    ///   - path: The file to create or replace.
    ///   - version: 1, 2 or 3.
    ///   - whole: For version 2 of a compact engine, where the keys come from.
    /// - Throws: ``IndexFileError/io(path:reason:)``.
    package func _save(to path: String, formatVersion version: UInt32, keysFrom whole: Deduplicator? = nil) throws {
        precondition((1...3).contains(version), "older format versions are 1, 2 and 3")
        let compact = options.verificationBits != 64
        precondition(version != 1 || !compact, "format version 1 holds whole signatures only")
        precondition(version != 2 || !compact || whole?.options.verificationBits == 64, "a compact engine's version-2 keys come from a whole one")
        let tables = version == 2 && compact ? whole!.access.withReadLock { whole!.version2Tables() } : []
        var writer = _BinaryWriter()
        access.withReadLock {
            idAccess.withReadLock {
                let pairs = clusterLock.withLock { clustering.pairs }
                writeDocumentSections(to: &writer, version: version, pairs: pairs)
            }
        }
        if version == 2 {
            writer.write(UInt64(tables.count))
            for table in tables { table.write(to: &writer) }
        }
        if version == 3 {
            let shards = compact ? access.withReadLock { state.filed.index.shards } : []
            writer.write(UInt64(shards.count))
            for shard in shards { shard.write(to: &writer) }
        }
        try _IndexFile.write(payload: writer.bytes, magic: Self.fileMagic, version: version, to: path)
    }

    /// The posting tables a build of format version 2 saved for a compact engine: each band's
    /// whole 64-bit keys, from this engine with whole signatures; an overlap engine's keys as
    /// those builds made them, every bit mixed with the size partition (this build's exact
    /// index keeps a band's low half the same in every partition: its keys are filed again
    /// from the signatures, without that). The caller holds the read lock.
    private func version2Tables() -> [_PostingTable] {
        guard let index = state.filed.index as? ContainmentIndex, index.partitionLocalKeys else {
            return state.filed.index.shards.map(_PostingTable.init)
        }
        let k = index.signatureLength
        var values: [UInt64] = []
        values.reserveCapacity(index.count * k)
        for row in 0..<index.count { state.filed.signatures.withRow(row) { values.append(contentsOf: $0) } }
        var mixed = ContainmentIndex(
            signatureLength: k, maximumRowsPerBand: index.maximumRowsPerBand, falsePositiveWeight: options.falsePositiveWeight,
            falseNegativeWeight: options.falseNegativeWeight, keyBits: 64, filtered: false, partitionLocalKeys: false)
        mixed.insert(contentsOf: SignatureMatrix(signatureLength: k, values: values), sizes: index.sizes.map { Int($0) }, threads: 1)
        return mixed.tables.map(_PostingTable.init)
    }

    /// Writes sections 1 to 4 of ``save(to:)`` (parameter line of `version`, documents,
    /// signatures, ids, shingle sets, `pairs`), which every format version shares; the caller
    /// holds both read locks (`access`, `idAccess`).
    func writeDocumentSections(to writer: inout _BinaryWriter, version: UInt32, pairs: _VerifiedPairs) {
        writer.write(array: Array(fileParameters(version: version).utf8))
        writer.write(UInt64(documents.count))
        // Arrays are written value by value where the engine keeps other types, so that the
        // save makes no copy of a section (the writer may be streaming to a file).
        let documents = documents
        writer.write(UInt64(documents.count))
        writer.append(count: documents.count) { UInt64(documents.length(of: $0)) }
        let sizes = state.filed.sizes
        writer.write(UInt64(sizes.count))
        writer.append(count: sizes.count) { Int32(sizes[$0]) }
        // Row by row, as `write(array:)` writes them, without a copy of every row first: from
        // version 4 on as they are kept, before it expanded (every row k whole values).
        let signatures = state.filed.signatures
        if version >= 4 {
            writer.write(array: signatures.storedRowLengths)
            writer.write(UInt64(signatures.storedWordCount))
            signatures.forEachStoredRow { writer.append(values: $0) }
        } else {
            writer.write(UInt64(signatures.count * signatures.wordsPerRow))
            signatures.forEachRun { writer.append(values: $0) }
        }
        writer.write(UInt64(documents.count))
        documents.forEachIDLength { writer.write(UInt32($0)) }
        writer.write(array: documents.idBytes)
        let sets = state.filed.sets
        writer.write(UInt64(sets.count))
        writer.append(count: sets.count) { UInt32(sets[$0].count) }
        writer.write(UInt64(sets.reduce(0) { $0 + $1.count }))
        for set in sets { set.hashes.withUnsafeBufferPointer { writer.append(values: $0) } }
        writer.write(UInt64(pairs.count * 3))
        writer.append(count: pairs.count * 3) { index in
            let pair = pairs[index / 3]
            switch index % 3 {
            case 0: return UInt64(pair.first)
            case 1: return UInt64(pair.second)
            default: return pair.similarity.bitPattern
            }
        }
    }

    /// Loads a deduplicator saved by ``save(to:)`` (format version 1, 2, 3 or 4); `scheme` and
    /// `options` must be the ones it was saved with (a version-1 file, whose signatures are
    /// whole, also loads into an engine with fewer ``DeduplicationOptions/verificationBits``).
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - scheme: The signature scheme (name, k and seed are checked).
    ///   - options: The options (measure, threshold, verification, verification bits, banding,
    ///     weights, shingling are checked; ``DeduplicationOptions/threads`` is not).
    /// - Throws: ``IndexFileError``: unreadable, wrong magic, truncated, checksum mismatch,
    ///   unsupported version, parameter mismatch (both parameter lines in the message) or
    ///   inconsistent contents.
    /// - Complexity: O(file size) plus the index's filing (whole signatures): documents are
    ///   stored 16,384 at a time, and their index keys filed in runs of 2²⁰ entries a shard
    ///   (about a million documents for the Jaccard measure); memory is the engine's, the
    ///   mapped file's, one batch's and one run's keys (about 120 MB with 14 bands).
    public convenience init(contentsOf path: String, scheme: Scheme, options: DeduplicationOptions = DeduplicationOptions()) throws {
        try self.init(source: .path(path), scheme: scheme, options: options)
    }

    /// Loads a deduplicator from a file or from its bytes in memory, as
    /// ``init(contentsOf:scheme:options:)`` does.
    ///
    /// - Parameters:
    ///   - source: The file, or its bytes.
    ///   - scheme: The signature scheme it was saved with.
    ///   - options: The options it was saved with.
    ///   - loadBatch: Documents stored at a time; tests cross batches with fewer.
    ///   - indexRun: The entries a shard takes from one run of keys filed at once, whole
    ///     signatures only (``_PendingKeys``); tests cross runs with fewer.
    ///   - progress: Receives (documents stored, documents in the file), on the calling thread:
    ///     (0, count) once the file is checked and its document count read, then after each
    ///     batch (a tool's progress display); a run's keys are filed before its last batch
    ///     is reported.
    /// - Throws: ``IndexFileError``.
    package convenience init(
        source: IndexFileSource, scheme: Scheme, options: DeduplicationOptions = DeduplicationOptions(),
        loadBatch: Int = _BatchLimits.standard.maximumDocuments, indexRun: Int = _PendingKeys.defaultRunEntries,
        progress: ((Int, Int) -> Void)? = nil
    ) throws {
        precondition(loadBatch >= 1 && indexRun >= 1, "a batch and a run take at least one document")
        self.init(scheme: scheme, options: options)
        // A new engine, held by nobody else: the file is read and filed under its locks.
        try access.withWriteLock { try idAccess.withWriteLock { try clusterLock.withLock {
            try _IndexFile.read(from: source, magic: Self.fileMagic, versions: 1...Self.fileFormatVersion) { payload, version in
                try restore(payload: payload, version: version, loadBatch: loadBatch, indexRun: indexRun, progress: progress)
            }
        } } }
        // The id index and a whole engine's postings were built here, a compact engine's
        // postings checked for order and range as they were read: the walks of every id and
        // every posting (a sixth of loading ten million documents) are left to the damage tests.
        try _checkInvariants(thorough: false)
    }

    /// Files the documents of a saved payload of format `version` into this new engine; the
    /// caller holds every lock. Whole signatures are stored `loadBatch` documents at a time, as a
    /// run files its batches: each batch's rows densified from the file and keyed on all cores;
    /// their keys are filed in runs of `indexRun` entries a shard (``_PendingKeys``).
    private func restore(
        payload: UnsafeRawBufferPointer, version: UInt32, loadBatch: Int, indexRun: Int, progress: ((Int, Int) -> Void)?
    ) throws {
        let expected = fileParameters(version: version)
        var reader = _BinaryReader(bytes: payload)
        let parameters = String(decoding: try reader.readArray(UInt8.self, limit: 1 << 16), as: UTF8.self)
        guard parameters == expected else {
            throw IndexFileError.parameterMismatch("file has \(parameters); expected \(expected)")
        }
        let k = scheme.signatureLength
        // Version 1 and whole-value files give k values per row (densified from their filled
        // bins in version 4); the keys come from them.
        let whole = version == 1 || options.verificationBits == 64
        let filledBinsScheme = state.filed.signatures.filledBinsScheme
        // Progress starts once the document count is read: a compact engine's postings are
        // read and rebuilt before its documents are filed.
        let saved = try _SavedDeduplicatorPayload(
            reading: &reader, version: version, whole: whole, signatureLength: k, storeWords: state.filed.signatures.wordsPerRow,
            keepsFilledBins: filledBinsScheme != nil, comparesShingleSets: options.comparesShingleSets,
            keyBits: state.filed.index.shards.first?.keyBits ?? 64) { progress?(0, $0) }
        documents.reserveCapacity(documents: saved.count, idBytes: saved.idBytes.count)
        if whole {
            var pending = _PendingKeys(
                keysPerDocument: keying.keysPerDocument, shardCount: state.filed.index.shards.count, runEntries: indexRun,
                expectedRows: saved.count)
            var first = 0
            while first < saved.count {
                let range = first..<Swift.min(saved.count, first + loadBatch)
                // Each chunk of the batch densifies its rows and computes their keys, on all cores.
                let batch = _PreparedBatch(
                    ids: saved.ids(range), byteCounts: Array(saved.byteCounts[range]), sizes: Array(saved.sizes[range]),
                    sets: try saved.sets(range), signatureLength: k, keying: keying, threads: options.threads
                ) { rows, target in
                    saved.wholeRows(range.lowerBound + rows.lowerBound..<range.lowerBound + rows.upperBound, into: target, scheme: filledBinsScheme)
                }
                state.restore(batch, documents: &documents, pending: &pending)
                first = range.upperBound
                if pending.isFull || first == saved.count { pending.file(into: &state.filed.index, threads: options.threads) }
                progress?(first, saved.count)
            }
        } else {
            try state.restore(compact: saved, batch: loadBatch, documents: &documents) { progress?($0, saved.count) }
        }
        clustering.unionFind = UnionFind(count: saved.count)
        for pair in saved.pairs { clustering.unionFind.union(pair.first, pair.second) }
        clustering.pairs = _VerifiedPairs(saved.pairs)
    }
}

extension Deduplicator where Scheme == OnePermutationMinHash {
    /// Loads a deduplicator that was saved with the default scheme (one-permutation MinHash,
    /// k = 128, seed 0).
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - options: The options it was saved with.
    /// - Throws: ``IndexFileError``.
    public convenience init(contentsOf path: String, options: DeduplicationOptions = DeduplicationOptions()) throws {
        try self.init(contentsOf: path, scheme: OnePermutationMinHash(signatureLength: 128, seed: 0), options: options)
    }
}
