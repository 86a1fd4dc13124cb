import SimCoreInternals

/// What a deduplicator has filed: the documents' signatures, sizes and (exact verification)
/// shingle sets with the index over them. Guarded by the deduplicator's read-write lock:
/// batches are filed by a writer, queried and verified by any number of readers at once. The
/// ids and lengths (``_DocumentTable``) have a lock of their own, so that id lookups never wait
/// for an index to be filed.
struct _DeduplicatorState: Sendable {
    /// What verification reads.
    var filed: _FiledDocuments

    /// An empty state; whole signatures of a one-permutation `scheme` keep only their filled
    /// bins (``_SignatureStore``, "Filled bins only").
    init(index: any _CandidateIndex, signatureLength: Int, verificationBits: Int, scheme: some SignatureScheme) {
        filed = _FiledDocuments(
            index: index,
            signatures: _SignatureStore(
                signatureLength: signatureLength, bits: verificationBits, filledBinsScheme: scheme as? OnePermutationMinHash))
    }

    /// Bytes held by every part (ids excluded).
    var byteCount: Int { filed.byteCount }

    /// Stores and indexes a prepared batch, finding its candidates on the way for queries with
    /// `threshold`; the caller's `alongside` (which files the batch's ids, under their own
    /// lock) runs beside the index's filing, on another worker where the filing is parallel.
    mutating func file(_ batch: _PreparedBatch, threshold: Double, threads: Int, alongside: @Sendable () -> Void) {
        batch.foundCandidates = filed.append(batch, threshold: threshold, threads: threads, alongside: alongside)
    }

    /// The verified matches of rows `rows` of a batch filed from document `first` on: for each,
    /// its number and the earlier documents whose verified similarity reaches the threshold, in
    /// increasing order.
    func matches(
        of batch: _PreparedBatch, first: Int, rows: Range<Int>, scheme: some SignatureScheme, options: DeduplicationOptions
    ) -> [(document: Int, others: [(Int, Double)])] {
        let collector = _CandidateCollector(shards: filed.index.shards)
        // Read once for the chunk: a read of the batch's property per row copied it, a retain
        // and a release per row on a count that every query worker shares.
        let candidates = batch.foundCandidates
        return rows.map { row in
            (first + row, filed.verifiedMatches(
                ofRow: row, in: batch, candidates: candidates, document: first + row, scheme: scheme, options: options,
                collector: collector))
        }
    }

    /// Stores a saved batch without verifying it again, and adds its keys to `pending`, which
    /// the loader files into the index in runs of many batches.
    mutating func restore(_ batch: _PreparedBatch, documents: inout _DocumentTable, pending: inout _PendingKeys) {
        documents.append(batch)
        filed.store(batch)
        pending.append(batch)
    }
}

/// The clustering of a deduplicator: verified pairs merged. Guarded by the deduplicator's
/// cluster lock; batches merge their verified pairs in any order (each document's pairs arrive
/// together, earlier documents first), and the clusters do not depend on it.
struct _ClusterState: Sendable {
    /// The clusters: verified pairs merged.
    var unionFind = UnionFind()
    /// Every verified pair, `first < second`; a document's pairs together, in increasing `first`.
    var pairs = _VerifiedPairs()

    /// Bytes held.
    var byteCount: Int { unionFind.count * 5 + pairs.byteCount }

    /// Merges a queried batch's matches and returns its results, as one-by-one inserts would
    /// give: each document's verdict names its most similar match, the first among equals.
    mutating func merge(_ matches: [[(document: Int, others: [(Int, Double)])]], documentCount: Int) -> [InsertionResult] {
        grow(to: documentCount)
        var results: [InsertionResult] = []
        for chunk in matches {
            for (document, others) in chunk {
                var best: (Int, Double)?
                for (other, similarity) in others {
                    unionFind.union(document, other)
                    pairs.append(SimilarPair(first: other, second: document, similarity: similarity))
                    if best == nil || similarity > best!.1 { best = (other, similarity) }
                }
                results.append(InsertionResult(
                    document: document, verdict: best.map { .duplicate(of: $0.0, similarity: $0.1) } ?? .new))
            }
        }
        return results
    }

    /// Adds singletons up to `count` elements (documents filed whose batch has not merged yet).
    mutating func grow(to count: Int) {
        while unionFind.count < count { unionFind.append() }
    }

    /// The clusters with at least `minimumSize` members, each with its representative (the
    /// longest member, the first among equals), ordered by first member.
    mutating func clusters(minimumSize: Int, documents: _DocumentTable) -> [DuplicateCluster] {
        grow(to: documents.count)
        return unionFind.groups(minimumSize: minimumSize).map { members in
            var representative = members[0]
            for member in members where documents.length(of: member) > documents.length(of: representative) {
                representative = member
            }
            return DuplicateCluster(representative: representative, members: members)
        }
    }

    /// Every document's cluster label, representative flag and verdict, in document order.
    ///
    /// The representative (the longest member, the first among equals) and the label (the
    /// member with the smallest id, the first among equal ids) are kept per cluster root in
    /// one pass in document order: what ``clusters(minimumSize:documents:)`` and a scan of
    /// each cluster's members give, without building the clusters and their dictionary: on
    /// 100,000 news documents 16–19 → 4 ms, on 1,080,000 paragraphs 0.46–0.50 → 0.25 s, one
    /// thread after the engine's work. Document numbers fit 32 bits (the union-find numbers
    /// its elements with `Int32`, and `grow(to:)` has made one per document), so the working
    /// arrays and the table hold `Int32`: 13 bytes per document while the clusters are
    /// labelled, 17 in the table, where arrays of `Int` and then of ``DocumentAssignment`` took
    /// 80 (800 MB at ten million documents, on top of the engine, at the end of a
    /// `simdedup dedupe` run).
    mutating func assignments(documents: _DocumentTable) -> _AssignmentTable {
        let n = documents.count
        grow(to: n)
        precondition(n <= Int(Int32.max), "document numbers past 32 bits")
        // Each document's root first, then its cluster's label.
        var labels = [Int32](repeating: 0, count: n)
        var representativeOfRoot = [Int32](repeating: -1, count: n)
        var labelOfRoot = [Int32](repeating: -1, count: n)
        for document in 0..<n {
            let root = unionFind.find(document)
            labels[document] = Int32(root)
            let representative = Int(representativeOfRoot[root])
            if representative < 0 || documents.length(of: document) > documents.length(of: representative) {
                representativeOfRoot[root] = Int32(document)
            }
            let label = Int(labelOfRoot[root])
            if label < 0 || documents.idPrecedes(document, label) { labelOfRoot[root] = Int32(document) }
        }
        var isRepresentative = [Bool](repeating: false, count: n)
        for document in 0..<n {
            let root = Int(labels[document])
            isRepresentative[document] = Int(representativeOfRoot[root]) == document
            labels[document] = labelOfRoot[root]
        }
        representativeOfRoot = []
        labelOfRoot = []
        // The verdict: the most similar earlier verified document, the first among equals (a
        // document's pairs are stored together, earlier documents first).
        var matches = [Int32](repeating: -1, count: n)
        var similarities = [Double](repeating: 0, count: n)
        for pair in pairs where pair.second < n && (matches[pair.second] < 0 || pair.similarity > similarities[pair.second]) {
            matches[pair.second] = Int32(pair.first)
            similarities[pair.second] = pair.similarity
        }
        return _AssignmentTable(labels: labels, isRepresentative: isRepresentative, matches: matches, similarities: similarities)
    }
}

/// The filed documents verification reads: signatures, sizes, shingle sets (exact verification)
/// and the index. A value of references: copying it is O(1) and shares the storage.
struct _FiledDocuments: Sendable {
    /// The candidate index: ``MinHashLSH`` or ``ContainmentIndex``.
    var index: any _CandidateIndex
    /// One signature per document.
    var signatures: _SignatureStore
    /// Distinct-shingle counts (0 or 1 only for Jaccard with estimated verification, then a bit
    /// a document).
    var sizes = _SetSizes()
    /// Shingle sets, for exact verification.
    var sets: [ShingleSet] = []

    /// Bytes held by the signatures, sizes, sets and index.
    var byteCount: Int {
        signatures.byteCount + sizes.byteCount + sets.reduce(0) { $0 + $1.count * 8 } + index.byteCount
    }

    /// Stores and indexes a batch, and returns what the index found for the batch's rows while
    /// filing them for queries with `threshold`
    /// (``_CandidateIndex/insertFindingCandidates(keys:sizes:filedRows:threshold:threads:alongside:)``).
    /// Then the signatures are stored (their filled bins, or whole), and `alongside` runs,
    /// beside the index's filing, which files its bands on several workers: paragraphs file
    /// their batches between pipeline steps, where storing the signatures and the caller's id
    /// filing were a serial stretch with the other workers idle.
    mutating func append(
        _ batch: _PreparedBatch, threshold: Double, threads: Int, alongside: @Sendable () -> Void
    ) -> _BatchCandidates {
        sizes.append(contentsOf: batch.sizes)
        sets.append(contentsOf: batch.sets)
        let keys = UnsafeBufferPointer(batch.keys)
        // The store moves out of `self` for the filing, so that the side task holds it alone.
        var store = signatures
        signatures = _SignatureStore(
            signatureLength: store.signatureLength, bits: store.bits, filledBinsScheme: store.filledBinsScheme)
        let found = withUnsafeMutablePointer(to: &store) { pointer in
            let box = SendableMutablePointer(base: pointer)
            return index.insertFindingCandidates(
                keys: keys, sizes: batch.sizes, filedRows: batch.filedRows, threshold: threshold, threads: threads
            ) {
                // SAFETY: the store is touched by this task alone until the filing returns.
                box.base.pointee.append(rowsOf: batch)
                alongside()
            }
        }
        signatures = store
        return found
    }

    /// Stores a saved batch's sizes, sets and signatures without filing its keys, which a
    /// loader files many batches at a time (``_PendingKeys``). Rows a file held whole are
    /// checked row by row as they are stored (``_SignatureStore/append(rows:checked:)``,
    /// ``_PreparedBatch/checksRows``).
    mutating func store(_ batch: _PreparedBatch) {
        sizes.append(contentsOf: batch.sizes)
        sets.append(contentsOf: batch.sets)
        signatures.append(rowsOf: batch)
    }

    /// The earlier documents (smaller numbers) whose verified similarity with row `row` of
    /// `batch`, filed as `document`, reaches the threshold, in increasing order: from
    /// `candidates`, what its filing found (the batch's ``_PreparedBatch/foundCandidates``, read
    /// once per chunk of rows by the caller) and, for a containment index, its queries in the
    /// other size partitions; or (a row that overflowed) by querying its keys.
    func verifiedMatches(
        ofRow row: Int, in batch: _PreparedBatch, candidates: _BatchCandidates?, document: Int, scheme: some SignatureScheme,
        options: DeduplicationOptions, collector: _CandidateCollector
    ) -> [(Int, Double)] {
        var found: [(Int, Double)] = []
        // The row's whole signature is still in its batch: a store keeping filled bins only
        // then expands the candidate's row alone.
        let whole = signatures.keepsFilledBins ? batch.signature(ofRow: row) : nil
        let size = sizes[document]
        // A nested function, not a closure value: passed as a non-escaping argument it captures
        // the state in place, where a closure value copied the state (a retain and a release of
        // each of its parts per row). It appends through a pointer to `found`: capturing the
        // variable itself, passed to the index through its protocol, moved it into a heap box,
        // an allocation a row (1,080,000 paragraphs: a fifth of the run's allocations).
        // SAFETY: the pointer is used only inside the call, while `found` lives.
        withUnsafeMutablePointer(to: &found) { found in
            func verify(_ other: Int) {
                guard other < document else { return }
                let similarity = similarity(document, other, scheme: scheme, options: options, wholeSignatureOfA: whole)
                if similarity >= options.threshold { found.pointee.append((other, similarity)) }
            }
            if let candidates, !candidates.isOverflowed(row) {
                guard size > 0 else { return }
                index.forEachCandidate(
                    found: candidates, row: row, keys: batch.keys(ofRow: row), size: size, threshold: options.threshold,
                    collector: collector, verify)
            } else {
                index.forEachCandidate(
                    keys: batch.keys(ofRow: row), size: size, threshold: options.threshold, collector: collector, verify)
            }
        }
        return found
    }

    /// The verified similarity of two filed documents under the options' measure;
    /// `wholeSignatureOfA`, when given, is `a`'s signature whole (as its batch holds it), read
    /// instead of its stored row.
    func similarity(
        _ a: Int, _ b: Int, scheme: some SignatureScheme, options: DeduplicationOptions,
        wholeSignatureOfA: UnsafeBufferPointer<UInt64>? = nil
    ) -> Double {
        // A document without shingles is nobody's duplicate (its signature is all UInt64.max,
        // which every other empty document shares).
        guard sizes[a] > 0 && sizes[b] > 0 else { return 0 }
        if options.findsExactDuplicates {
            return sets[a] == sets[b] ? 1 : 0
        }
        if options.verification == .exact {
            return options.measure.similarityMeasure.value(sets[a], sets[b])
        }
        let jaccard = wholeSignatureOfA.map { signatures.estimatedJaccard(wholeRow: $0, b, scheme: scheme) }
            ?? signatures.estimatedJaccard(a, b, scheme: scheme)
        guard options.usesContainment else { return jaccard }
        let sizeA = sizes[a]
        let sizeB = sizes[b]
        return SignatureEstimators.containment(
            fromJaccard: jaccard, sizeOfA: Swift.min(sizeA, sizeB), sizeOfB: Swift.max(sizeA, sizeB))
    }
}

extension _DeduplicatorState {
    /// Checks that every part describes the same documents and holds what verification,
    /// clustering and later inserts rely on: one id, length, signature, set size, union-find
    /// element and index number per document; (exact verification) one sorted set per document
    /// whose size is its set size (exact verification or exact duplicates); set sizes below 2³¹ − 1; verified pairs `first < second`
    /// inside the documents with a similarity in [threshold, 1]; and a whole index.
    ///
    /// - Parameters:
    ///   - options: The deduplicator's options (verification, threshold).
    ///   - documents: The deduplicator's ids and lengths.
    ///   - clustering: The deduplicator's clusters and verified pairs.
    ///   - thorough: Whether the id index and the postings are walked whole too (a loader
    ///     that built them, or checked them as it read them, passes `false`).
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    /// - Complexity: O(state size) expected.
    func _checkInvariants(
        options: DeduplicationOptions, documents: _DocumentTable, clustering: _ClusterState, thorough: Bool = true
    ) throws(IndexFileError) {
        let n = documents.count
        guard filed.signatures.count == n, filed.sizes.count == n, clustering.unionFind.count == n, filed.index.count == n else {
            throw .corrupt("parts disagree on the number of documents")
        }
        try documents._checkInvariants(lookingUpEveryID: thorough)
        try filed.signatures._checkPadding()
        if options.comparesShingleSets {
            guard filed.sets.count == n else { throw .corrupt("one shingle set per document") }
            for document in 0..<n {
                let hashes = filed.sets[document].hashes
                guard hashes.count == filed.sizes[document] else { throw .corrupt("a shingle set disagrees with its size") }
                for index in hashes.indices.dropFirst() where hashes[index - 1] >= hashes[index] {
                    throw .corrupt("a shingle set is unsorted")
                }
            }
        } else {
            guard filed.sets.isEmpty else { throw .corrupt("shingle sets kept without exact verification") }
        }
        for pair in clustering.pairs {
            guard pair.first >= 0, pair.first < pair.second, pair.second < n,
                  pair.similarity >= options.threshold, pair.similarity <= 1 else {
                throw .corrupt("verified pair \(pair.first)–\(pair.second) (\(pair.similarity)) out of range")
            }
        }
        try filed.index._checkInvariants(walkingPostings: thorough)
    }
}
