import SimCoreInternals

/// Everything a deduplicator has filed: the documents' signatures, sizes and (exact
/// verification) shingle sets with the index over them, the ids and lengths, and the clustering.
/// Guarded by the deduplicator's lock.
struct _DeduplicatorState: Sendable {
    /// What verification reads: never mutated while a batch's queries run.
    var filed: _FiledDocuments
    /// Ids and lengths.
    var documents = _DocumentTable()
    /// The clusters: verified pairs merged.
    var unionFind = UnionFind()
    /// Every verified pair, `first < second`, in the order found.
    var pairs: [SimilarPair] = []

    init(index: any _CandidateIndex, signatureLength: Int, verificationBits: Int) {
        filed = _FiledDocuments(
            index: index, signatures: _SignatureStore(signatureLength: signatureLength, bits: verificationBits))
    }

    /// Bytes held by every part (ids included).
    var byteCount: Int {
        filed.byteCount + documents.byteCount + unionFind.count * 8 + pairs.count * 24
    }

    /// Files a prepared batch: stores and indexes it, queries each document against the earlier
    /// ones (in parallel, with the keys it was filed under), verifies, and merges clusters.
    ///
    /// - Returns: One result per document, as one-by-one inserts would give.
    mutating func file(
        _ batch: _PreparedBatch, scheme: some SignatureScheme, options: DeduplicationOptions, threads: Int
    ) -> [InsertionResult] {
        let first = documents.count
        let n = batch.count
        for row in 0..<n { documents.append(id: batch.ids[row], byteCount: batch.byteCounts[row]) }
        for _ in 0..<n { unionFind.append() }
        filed.append(batch, threads: threads)

        var matches: [[(document: Int, others: [(Int, Double)])]] = []
        if n > 0 {
            // A copy of the references only: `filed` is not mutated until the queries are done.
            let view = filed
            let width = view.index.keying.keysPerDocument
            matches = batch.keys.withUnsafeBufferPointer { keys in
                let source = SendableMutablePointer(base: UnsafeMutablePointer(mutating: keys.baseAddress!))
                return concurrentChunks(count: n, threads: threads, minimumChunk: 16) { range in
                    range.map { row in
                        // SAFETY: the batch's keys are only read here.
                        let rowKeys = UnsafeBufferPointer(start: source.base + row * width, count: width)
                        return (first + row, view.verifiedMatches(of: first + row, keys: rowKeys, scheme: scheme, options: options))
                    }
                }
            }
        }
        var results: [InsertionResult] = []
        results.reserveCapacity(n)
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

    /// Refiles a saved batch without verifying again: the store and index are rebuilt, the
    /// clusters come from the saved pairs.
    mutating func restore(_ batch: _PreparedBatch, pairs saved: [SimilarPair], threads: Int) {
        for row in 0..<batch.count { documents.append(id: batch.ids[row], byteCount: batch.byteCounts[row]) }
        unionFind = UnionFind(count: batch.count)
        filed.append(batch, threads: threads)
        for pair in saved { unionFind.union(pair.first, pair.second) }
        pairs = saved
    }

    /// Refiles a saved engine whose signatures are too short to compute index keys from: the
    /// signature rows (in the store's layout) and the posting tables come back as saved.
    mutating func restore(
        ids: [String], byteCounts: [Int], sizes: [Int], signatureWords: [UInt64], sets: [ShingleSet],
        shards: [_PostingTable], pairs saved: [SimilarPair]
    ) throws {
        // Rows with shingles were filed (an empty document's signature is never filed).
        let filedRows = sizes.indices.filter { sizes[$0] > 0 }.map { Int32($0) }
        for row in 0..<ids.count { documents.append(id: ids[row], byteCount: byteCounts[row]) }
        unionFind = UnionFind(count: ids.count)
        signatureWords.withUnsafeBufferPointer { filed.signatures.append(words: $0) }
        filed.sizes.append(contentsOf: sizes.map { Int32($0) })
        filed.sets.append(contentsOf: sets)
        try filed.index.restore(shards: shards, sizes: sizes, filedRows: filedRows)
        for pair in saved { unionFind.union(pair.first, pair.second) }
        pairs = saved
    }

    /// The clusters with at least `minimumSize` members, each with its representative (the
    /// longest member, the first among equals), ordered by first member.
    mutating func clusters(minimumSize: Int) -> [DuplicateCluster] {
        unionFind.groups(minimumSize: minimumSize).map { members in
            var representative = members[0]
            for member in members where documents.byteCounts[member] > documents.byteCounts[representative] {
                representative = member
            }
            return DuplicateCluster(representative: representative, members: members)
        }
    }

    /// Every document's cluster label, representative flag and verdict, in document order.
    mutating func assignments() -> [DocumentAssignment] {
        let n = documents.count
        var label = [Int](repeating: 0, count: n)
        var isRepresentative = [Bool](repeating: false, count: n)
        for cluster in clusters(minimumSize: 1) {
            var smallest = cluster.members[0]
            for member in cluster.members where documents.idPrecedes(member, smallest) { smallest = member }
            for member in cluster.members { label[member] = smallest }
            isRepresentative[cluster.representative] = true
        }
        // The verdict: the most similar earlier verified document, the first among equals (pairs
        // are stored in the order insertion found them, earlier documents first).
        var match = [Int](repeating: -1, count: n)
        var similarity = [Double](repeating: 0, count: n)
        for pair in pairs where match[pair.second] < 0 || pair.similarity > similarity[pair.second] {
            match[pair.second] = pair.first
            similarity[pair.second] = pair.similarity
        }
        return (0..<n).map { document in
            DocumentAssignment(
                document: document, cluster: label[document], isRepresentative: isRepresentative[document],
                verdict: match[document] < 0 ? .new : .duplicate(of: match[document], similarity: similarity[document]))
        }
    }
}

/// The filed documents verification reads: signatures, sizes, shingle sets (exact verification)
/// and the index. A value of references: copying it is O(1) and shares the storage.
struct _FiledDocuments: Sendable {
    /// The candidate index: ``MinHashLSH`` or ``ContainmentIndex``.
    var index: any _CandidateIndex
    /// One signature per document.
    var signatures: _SignatureStore
    /// Distinct-shingle counts (0 or 1 only for Jaccard with estimated verification).
    var sizes: [Int32] = []
    /// Shingle sets, for exact verification.
    var sets: [ShingleSet] = []

    /// Bytes held by the signatures, sizes, sets and index.
    var byteCount: Int {
        signatures.byteCount + sizes.count * 4 + sets.reduce(0) { $0 + $1.count * 8 } + index.byteCount
    }

    /// Stores and indexes a batch.
    mutating func append(_ batch: _PreparedBatch, threads: Int) {
        batch.signatures.withUnsafeBufferPointer { signatures.append(rows: $0) }
        sizes.append(contentsOf: batch.sizes.map { Int32($0) })
        sets.append(contentsOf: batch.sets)
        batch.keys.withUnsafeBufferPointer { keys in
            index.insert(keys: keys, sizes: batch.sizes, filedRows: batch.filedRows, threads: threads)
        }
    }

    /// The earlier documents (smaller numbers) whose verified similarity with `document`
    /// reaches the threshold, in increasing order.
    func verifiedMatches(
        of document: Int, keys: UnsafeBufferPointer<UInt64>, scheme: some SignatureScheme, options: DeduplicationOptions
    ) -> [(Int, Double)] {
        var found: [(Int, Double)] = []
        index.forEachCandidate(keys: keys, size: Int(sizes[document]), threshold: options.threshold) { other in
            guard other < document else { return }
            let similarity = similarity(document, other, scheme: scheme, options: options)
            if similarity >= options.threshold { found.append((other, similarity)) }
        }
        return found
    }

    /// The verified similarity of two filed documents under the options' measure.
    func similarity(_ a: Int, _ b: Int, scheme: some SignatureScheme, options: DeduplicationOptions) -> Double {
        // A document without shingles is nobody's duplicate (its signature is all UInt64.max,
        // which every other empty document shares).
        guard sizes[a] > 0 && sizes[b] > 0 else { return 0 }
        if options.findsExactDuplicates {
            return sets[a] == sets[b] ? 1 : 0
        }
        if options.verification == .exact {
            return options.measure.similarityMeasure.value(sets[a], sets[b])
        }
        let jaccard = signatures.estimatedJaccard(a, b, scheme: scheme)
        guard options.usesContainment else { return jaccard }
        let sizeA = Int(sizes[a])
        let sizeB = Int(sizes[b])
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
    /// - Parameter options: The deduplicator's options (verification, threshold).
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    /// - Complexity: O(state size) expected.
    func _checkInvariants(options: DeduplicationOptions) throws(IndexFileError) {
        let n = documents.count
        guard filed.signatures.count == n, filed.sizes.count == n, unionFind.count == n, filed.index.count == n else {
            throw .corrupt("parts disagree on the number of documents")
        }
        try documents._checkInvariants()
        guard filed.sizes.allSatisfy({ $0 >= 0 && $0 < Int32.max }) else { throw .corrupt("a set size out of range") }
        if options.comparesShingleSets {
            guard filed.sets.count == n else { throw .corrupt("one shingle set per document") }
            for (set, size) in zip(filed.sets, filed.sizes) {
                guard set.count == Int(size), zip(set.hashes, set.hashes.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw .corrupt("a shingle set disagrees with its size or is unsorted")
                }
            }
        } else {
            guard filed.sets.isEmpty else { throw .corrupt("shingle sets kept without exact verification") }
        }
        for pair in pairs {
            guard pair.first >= 0, pair.first < pair.second, pair.second < n,
                  pair.similarity >= options.threshold, pair.similarity <= 1 else {
                throw .corrupt("verified pair \(pair.first)–\(pair.second) (\(pair.similarity)) out of range")
            }
        }
        try filed.index._checkInvariants()
    }
}
