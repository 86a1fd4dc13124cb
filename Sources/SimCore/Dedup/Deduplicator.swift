import SimCoreInternals

/// The deduplication engine: insert documents one by one or in batches, learn for each whether
/// it is new or a near-duplicate of an earlier one, and cluster everything seen so far.
///
/// **Pipeline.** Each document is shingled (``DeduplicationOptions/shingling``), signed by
/// `Scheme` (default ``OnePermutationMinHash`` with k = 128) and keyed for the index, all on the
/// caller's cores and outside any lock. A batch is then *filed*: numbered, stored once and
/// filed in a ``MinHashLSH`` (Jaccard) or a ``ContainmentIndex`` (overlap coefficient), by one
/// writer. It is *queried* as a reader: each document's candidates come from the same keys it
/// was filed under (for Jaccard, found by the writer while it files them), restricted to
/// earlier documents, and are confirmed by the estimated or exact similarity
/// (``DeduplicationOptions/Verification``). Finally every confirmed pair is merged in
/// a ``UnionFind``. A document's verdict names the most similar earlier document (ties: the
/// first inserted).
///
/// **Clusters by id.** ``assignments()`` hands back each document's cluster (labelled by its
/// member with the smallest id, in byte-wise UTF-8 order), whether it is the one to keep, and its
/// verdict; ``id(of:)`` names any document. Callers need keep nothing of their own.
///
/// **Representatives.** Each cluster keeps its longest document (most UTF-8 bytes), ties going
/// to the first inserted; ``keptDocuments()`` is "keep one per cluster" in one call.
///
/// **Determinism.** A batch gives exactly the verdicts that inserting its documents one by one
/// would, on any number of threads.
///
/// **Threads.** Safe to call from several threads. Shingling, signing and keying take no lock;
/// filing takes a read-write lock as the one writer; queries and verification take it as
/// readers, so the queries of any number of batches (and callers) run at once, and they never
/// wait for each other; merging the verified pairs takes a short lock of its own. Verdicts do
/// not depend on the threads: "earlier" is the filing order, and a query sees only documents
/// numbered before its own. ``insert(batchesFrom:threads:results:)`` overlaps consecutive
/// batches: batch N+1 is prepared, and the batch after it fetched, while batch N is queried.
///
/// ```swift
/// let deduplicator = Deduplicator()
/// deduplicator.insert(utf8: Array(page.utf8), id: "000").verdict      // .new
/// deduplicator.insert(utf8: Array(reprint.utf8), id: "001").verdict   // .duplicate(of: 0, similarity: 0.92)
/// deduplicator.keptDocuments()                                          // [0]
/// ```
public final class Deduplicator<Scheme: SignatureScheme>: @unchecked Sendable {
    // SAFETY: `state` is written only inside `access.withWriteLock` and read only inside
    // `access.withReadLock` or the write lock (readers only read, so any number overlap);
    // `documents` likewise with `idAccess`, and it is appended to only while `access` is held
    // for writing too, so that ids and filed rows keep one order; `clustering` is read and
    // written only while `clusterLock` is held. The three are separate stored properties, so an
    // access to one never overlaps an access to another. Locks are taken in the order
    // `access`, `idAccess`, `clusterLock`. `scheme`, `options` and `keying` are immutable;
    // `_batchFiling` is set by tests before any insert.
    /// The signature scheme.
    public let scheme: Scheme
    /// The options every document is processed with.
    public let options: DeduplicationOptions
    /// How a signature becomes the index's keys (fixed at creation).
    let keying: _IndexKeying
    /// How batches pack their rows for the signature store (``_SignatureStore/truncatedLanes``):
    /// `nil` for whole values.
    let rowPacking: _PackedLanes?
    let access = ReadWriteLock()
    var state: _DeduplicatorState
    /// Guards `documents` alone: an id lookup (``document(withID:)``, which `simdedup` makes
    /// for every record it reads while a batch is filed) waits only while ids are appended,
    /// never for the index.
    let idAccess = ReadWriteLock()
    /// The ids and lengths.
    var documents = _DocumentTable()
    let clusterLock = Lock()
    var clustering = _ClusterState()
    /// Where ``insert(batchesFrom:threads:results:)`` files its batches: ``_BatchFiling/adaptive``
    /// but in tests, which pin each placement.
    package var _batchFiling = _BatchFiling.adaptive
    /// Counts the batches filed whose pairs are not merged yet, so that ``save(to:)`` writes a
    /// state in which every filed document has its verified pairs.
    let filing = _FilingGate()

    /// Creates an empty deduplicator.
    ///
    /// - Parameters:
    ///   - scheme: Any MinHash-family scheme (its ``SignatureScheme/signatureLength`` is k).
    ///   - options: Measure, threshold, verification, banding (default ``DeduplicationOptions/init()``).
    public init(scheme: Scheme, options: DeduplicationOptions = DeduplicationOptions()) {
        precondition(options.threshold > 0 && options.threshold <= 1, "threshold must be in (0, 1]")
        precondition(
            DeduplicationOptions.supportedVerificationBits.contains(options.verificationBits),
            "verificationBits must be 4, 8, 16 or 64")
        self.scheme = scheme
        self.options = options
        let k = scheme.signatureLength
        // Whole signatures: exact keys. Truncated ones: the keys' top 32 bits, a quarter of the
        // postings' memory at ten million documents; the few documents that share a band's top
        // bits without sharing the band are candidates that verification rejects.
        let keyBits = options.verificationBits == 64 ? 64 : 32
        let index: any _CandidateIndex
        switch options.usesContainment ? DeduplicationOptions.Measure.overlap : .jaccard {
        case .overlap:
            index = ContainmentIndex(
                signatureLength: k, maximumRowsPerBand: Swift.min(options.maximumRowsPerBand, k),
                falsePositiveWeight: options.falsePositiveWeight, falseNegativeWeight: options.falseNegativeWeight, keyBits: keyBits)
        case .jaccard:
            // Exact duplicates (threshold 1) under either measure: the optimum is one band of all
            // k rows, so only identical signatures become candidates.
            index = MinHashLSH(
                signatureLength: k,
                banding: options.banding ?? .optimal(
                    threshold: options.threshold, signatureLength: k,
                    falsePositiveWeight: options.falsePositiveWeight, falseNegativeWeight: options.falseNegativeWeight),
                keyBits: keyBits)
        }
        keying = index.keying
        state = _DeduplicatorState(index: index, signatureLength: k, verificationBits: options.verificationBits, scheme: scheme)
        rowPacking = state.filed.signatures.truncatedLanes
    }

    /// The number of documents inserted (filed, including those whose batch is still being
    /// verified by another thread).
    public var count: Int { idAccess.withReadLock { documents.count } }

    /// The banding of the Jaccard index (`nil` when the measure is the overlap coefficient).
    public var banding: BandingParameters? { access.withReadLock { state.filed.index.jaccardBanding } }

    /// The id given to `document` when it was inserted.
    ///
    /// - Parameter document: A document number, `0..<count`.
    public func id(of document: Int) -> String { idAccess.withReadLock { documents.id(of: document) } }

    /// The ids of `documents`, in their order: ``id(of:)`` for many documents under one lock.
    ///
    /// Callers that name many documents (a verdict line names up to three) take the ids' read
    /// lock once per call instead of once per id.
    ///
    /// ```swift
    /// let deduplicator = Deduplicator()
    /// deduplicator.insert(contentsOf: [Document(id: "a", text: "one"), Document(id: "b", text: "two")])
    /// deduplicator.ids(of: [1, 0, 1])   // ["b", "a", "b"]
    /// ```
    ///
    /// - Parameter documents: Document numbers, each in `0..<count`.
    /// - Returns: One id per number.
    /// - Complexity: O(total length of the ids).
    public func ids(of documents: [Int]) -> [String] {
        idAccess.withReadLock {
            let table = self.documents
            return documents.map { table.id(of: $0) }
        }
    }

    /// Asks for the cache lines where ``document(withID:idHash:)`` will look for ids of
    /// hashes `idHashes` (a hint: nothing changes; package access: `simdedup dedupe` asks a
    /// few records ahead of its lookups, each of which missed the cache in an index of a
    /// million ids). One lock for the group.
    package func prefetchIDs(hashes idHashes: [UInt64]) {
        idAccess.withReadLock {
            let table = documents
            for hash in idHashes { table.prefetchSlot(of: hash) }
        }
    }

    /// ``ids(of:)`` as UTF-8 bytes, with no string made (package access: `simdedup dedupe`
    /// writes its verdict lines from them): each id's bytes are appended to `bytes`, and its end
    /// (an offset in `bytes`) to `ends`, all under one lock.
    ///
    /// - Parameters:
    ///   - documents: Document numbers, each in `0..<count`.
    ///   - bytes: Receives the ids' bytes, one after another.
    ///   - ends: Receives where each id ends in `bytes`.
    /// - Complexity: O(total length of the ids).
    package func appendIDs(of documents: [Int], to bytes: inout [UInt8], ends: inout [Int]) {
        idAccess.withReadLock { self.documents.appendIDs(of: documents, to: &bytes, ends: &ends) }
    }

    /// The first document inserted with the id `id` (byte-wise equal), or `nil` if none was.
    ///
    /// The engine keeps a hash index of document numbers over the ids it already holds (no
    /// second copy of them), so callers that need unique ids, like `simdedup dedupe`, can refuse
    /// a repeat without keeping ids of their own.
    ///
    /// ```swift
    /// let deduplicator = Deduplicator()
    /// deduplicator.insert(utf8: Array("some text".utf8), id: "a")
    /// deduplicator.document(withID: "a")   // 0
    /// deduplicator.document(withID: "b")   // nil
    /// ```
    ///
    /// - Parameter id: The id to look for.
    /// - Returns: Its first document's number.
    /// - Complexity: O(id length) expected.
    public func document(withID id: String) -> Int? {
        var id = id
        // The hash needs no lock.
        let hash = id.withUTF8 { _DocumentTable.idHash(UnsafeRawBufferPointer($0)) }
        return document(withID: id, idHash: hash)
    }

    /// ``document(withID:)`` for a caller that has hashed the id already (the command line
    /// hashes each id once, for its own table of recent ids and for this lookup).
    ///
    /// - Parameters:
    ///   - id: The id to look for.
    ///   - idHash: `XXH3.hash64` of its UTF-8 bytes with seed 0, the hash the engine files ids
    ///     under.
    /// - Returns: Its first document's number.
    /// - Complexity: O(id length) expected.
    package func document(withID id: String, idHash hash: UInt64) -> Int? {
        var id = id
        return id.withUTF8 { bytes in
            let id = UnsafeRawBufferPointer(bytes)
            assert(hash == _DocumentTable.idHash(id), "idHash is not the id's XXH3")
            return idAccess.withReadLock { documents.firstDocument(withID: id, hash: hash) }
        }
    }

    /// Checks that the engine's parts agree (see the loader): package access, for the damage
    /// tests and fuzz targets.
    ///
    /// - Parameter thorough: Whether the id index and the postings are walked whole too; the
    ///   loader passes `false`, having built the one and checked the other as it read it.
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    package func _checkInvariants(thorough: Bool = true) throws(IndexFileError) {
        // The locks' closures rethrow untyped errors; the check throws IndexFileError only.
        let failure: IndexFileError? = access.withReadLock {
            idAccess.withReadLock {
                clusterLock.withLock {
                    do throws(IndexFileError) {
                        try state._checkInvariants(options: options, documents: documents, clustering: clustering, thorough: thorough)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    /// Bytes held by signatures, set sizes, shingle sets (exact verification), the index, the
    /// ids and lengths, and the clustering.
    public var byteCount: Int {
        access.withReadLock { idAccess.withReadLock { clusterLock.withLock { state.byteCount + documents.byteCount + clustering.byteCount } } }
    }

    /// Merges the index's recent inserts and compact layers into one compact layer per band
    /// (see ``MinHashLSH``), so that ``byteCount`` measures the engine as a long run leaves it;
    /// inserts merge by themselves as the recent layer fills. Verdicts never depend on it.
    ///
    /// - Parameter threads: Workers (default ``DeduplicationOptions/threads``).
    public func compact(threads: Int? = nil) {
        access.withWriteLock { state.filed.index.compact(threads: threads ?? options.threads) }
    }

    /// Inserts one document.
    ///
    /// - Parameters:
    ///   - bytes: The text as UTF-8.
    ///   - id: A name for the document (kept, not interpreted).
    /// - Returns: Its number and verdict.
    @discardableResult
    public func insert(utf8 bytes: [UInt8], id: String = "") -> InsertionResult {
        insert(contentsOf: [Document(id: id, utf8: bytes)], threads: 1)[0]
    }

    /// Inserts one corpus document.
    ///
    /// - Parameter document: The document.
    /// - Returns: Its number and verdict.
    @discardableResult
    public func insert(_ document: Document) -> InsertionResult {
        insert(contentsOf: [document], threads: 1)[0]
    }

    /// Inserts documents on `threads` cores.
    ///
    /// They go through the engine's pipeline in batches of a few thousand (more for short
    /// documents), as ``insert(batchesFrom:threads:results:)`` takes them: while one batch is
    /// filed and queried, the next is shingled and signed.
    ///
    /// - Parameters:
    ///   - documents: The documents, inserted in order.
    ///   - threads: Workers (default ``DeduplicationOptions/threads``).
    /// - Returns: One result per document, as one-by-one inserts would give.
    /// - Complexity: Linear in the text, plus the candidates' verification.
    @discardableResult
    public func insert(contentsOf documents: [Document], threads: Int? = nil) -> [InsertionResult] {
        insert(contentsOf: documents, threads: threads, limits: .standard)
    }

    /// Inserts documents in batches cut by `limits` (``insert(contentsOf:threads:)`` with
    /// ``_BatchLimits/standard``).
    @discardableResult
    package func insert(contentsOf documents: [Document], threads: Int?, limits: _BatchLimits) -> [InsertionResult] {
        var start = 0
        var results: [InsertionResult] = []
        results.reserveCapacity(documents.count)
        // A batch of everything hands over the array itself, not a copy: the caller still holds
        // it, so the batch does not own its documents.
        let oneBatch = limits.end(ofBatchFrom: 0, in: documents) == documents.count
        insert(batchesFrom: {
            guard start < documents.count else { return nil }
            let end = limits.end(ofBatchFrom: start, in: documents)
            defer { start = end }
            return oneBatch ? documents : Array(documents[start..<end])
        }, threads: threads, batchesStayShared: oneBatch) { results += $0 }
        return results
    }

    /// Inserts the batches `next` hands over, in order, until it returns `nil`, overlapping
    /// the work of consecutive batches: while batch N is filed, then queried and verified,
    /// batch N+1 is shingled and signed and `next` is asked for the batch after, all as tasks
    /// on `threads` workers that take whichever task is left. The verdicts are those of
    /// inserting the batches one after another with ``insert(contentsOf:threads:)``, on any
    /// thread count.
    ///
    /// `next` runs on one of the workers (one call at a time, never two at once) and may look
    /// ids up (``document(withID:)``, ``count``: they wait only while a batch's ids are
    /// appended, never for its index) but must not insert or save (either would wait for the
    /// batches in flight, and so for itself); `results` runs on the calling thread, once per
    /// batch, in order.
    /// When `next` or `results` throws, the batches `next` returned before are inserted and
    /// their results delivered (unless `results` threw), then the error is rethrown.
    ///
    /// ```swift
    /// var remaining = corpus[...]
    /// try deduplicator.insert(batchesFrom: {
    ///     defer { remaining = remaining.dropFirst(4_096) }
    ///     return remaining.isEmpty ? nil : Array(remaining.prefix(4_096))
    /// }) { results in duplicates += results.filter(\.verdict.isDuplicate).count }
    /// ```
    ///
    /// - Parameters:
    ///   - next: Returns the next batch, or `nil` at the end.
    ///   - threads: Workers (default ``DeduplicationOptions/threads``).
    ///   - results: Receives each batch's results, as one-by-one inserts would give.
    /// - Throws: What `next` or `results` threw.
    /// - Complexity: Linear in the text, plus the candidates' verification.
    public func insert<Failure: Error>(
        batchesFrom next: () throws(Failure) -> [Document]?, threads: Int? = nil,
        results: ([InsertionResult]) throws(Failure) -> Void
    ) throws(Failure) {
        try insert(batchesFrom: next, threads: threads, batchesStayShared: false, results: results)
    }

    /// ``insert(batchesFrom:threads:results:)``, told whether the arrays `next` hands over stay
    /// shared with the caller (``insert(contentsOf:threads:limits:)``'s one batch of
    /// everything), so that their filing drops them whole instead of releasing their texts a
    /// group at a time (``_PreparedBatch/release(_:)``, which would copy a shared array first).
    private func insert<Failure: Error>(
        batchesFrom next: () throws(Failure) -> [Document]?, threads: Int?, batchesStayShared: Bool,
        results: ([InsertionResult]) throws(Failure) -> Void
    ) throws(Failure) {
        let threads = Swift.max(1, threads ?? options.threads)
        var failure: Failure?
        var receiverFailed = false
        // `upcoming` is prepared in the next step. A prepared batch is filed either as the first
        // task of the step that queries it (`prepared`), while the other workers prepare the
        // batch after it, or before that step with nothing else running (`filed`): in the step
        // at first, and between steps for the rest of the run once a query had to wait for its
        // batch's filing: short documents under the overlap measure, whose filing outweighs
        // their preparation, lost a third filing every batch in its step (README, Measurements,
        // "filing overlapped with signing"), news documents gain a sixth. The last batch, with
        // nothing to prepare beside it, is filed between steps too.
        var upcoming: _PreparedBatch?
        do {
            if let documents = try next() { upcoming = makeBatch(documents, threads: threads, owned: !batchesStayShared) }
        } catch {
            failure = error
        }
        var exhausted = upcoming == nil
        var filesInStep = threads > 1 && _batchFiling != .betweenSteps
        var prepared: _PreparedBatch?
        var filed: (batch: _PreparedBatch, first: Int)?
        while upcoming != nil || prepared != nil || filed != nil {
            // This caller has no batch in flight here (its last one was merged below), so
            // waiting for a save cannot hold the save up.
            if prepared != nil { filing.begin() }
            let fetchedNext: Result<[Document]?, Failure>
            do {
                // Scoped, so that the queried batch is released before the next one is filed.
                let queried = filed?.batch ?? prepared
                let fetched = withoutActuallyEscaping(next) { next in
                    step(
                        query: queried, filedFrom: filed?.first, prepare: upcoming,
                        fetch: failure == nil && !exhausted ? _Unchecked(next) : nil, threads: threads)
                }
                if let batch = queried {
                    if fetched.queriesWaited && _batchFiling == .adaptive { filesInStep = false }
                    let matches = fetched.matches
                    let merged = clusterLock.withLock { clustering.merge(matches, documentCount: fetched.first + batch.count) }
                    filing.end()
                    // A failed source still delivers the batches it handed over; a failed receiver
                    // gets nothing more.
                    if !receiverFailed {
                        do throws(Failure) { try results(merged) } catch {
                            receiverFailed = true
                            if failure == nil { failure = error }
                        }
                    }
                }
                fetchedNext = fetched.next
            }
            prepared = nil
            filed = nil
            let batch = upcoming
            upcoming = nil
            switch fetchedNext {
            case .success(let documents?) where failure == nil && !exhausted: upcoming = makeBatch(documents, threads: threads, owned: !batchesStayShared)
            case .success: exhausted = true
            case .failure(let error) where failure == nil: failure = error
            case .failure: break
            }
            if let batch {
                // The last batch has no batch after it to prepare beside its filing, which would
                // then run alone on one worker: adaptive runs file it between steps, on every
                // worker (a call of a single batch, such as a C or Python caller's, filed every
                // band on one core).
                if filesInStep && (upcoming != nil || _batchFiling == .inStep) {
                    prepared = batch
                } else {
                    filing.begin()
                    filed = (batch, file(batch, threads: threads))
                }
            }
        }
        if let failure { throw failure }
    }

    /// Finishes and files a prepared batch, as the one writer: stores and indexes its documents
    /// and, beside that, numbers them (their ids, under `idAccess` for as long as that takes)
    /// and frees their texts. Paragraphs file between pipeline steps, where freeing the texts
    /// first was a serial 0.2 s of a 4 s run on 1,080,000 paragraphs, the other worker idle
    /// (the index files its bands on every worker beside this).
    ///
    /// - Returns: The number of its first document.
    private func file(_ batch: _PreparedBatch, threads: Int) -> Int {
        // The slot holds the batch's reference to the texts, so that the side task frees them
        // (unless the caller still holds the documents, as a caller of one batch may: then
        // it only drops its reference).
        let owned = batch.ownsDocuments
        let texts = _ResultSlot(batch.finish())
        return access.withWriteLock {
            // Ids are appended only under `access` held for writing, as here: the count holds.
            let first = idAccess.withReadLock { documents.count }
            state.file(batch, threshold: options.threshold, threads: threads) {
                self.idAccess.withWriteLock { self.documents.append(batch) }
                if owned { _PreparedBatch.release(&texts.value) } else { texts.value = [] }
            }
            return first
        }
    }

    /// An unprepared batch of `documents`, which it owns unless the caller still holds them.
    private func makeBatch(_ documents: [Document], threads: Int, owned: Bool) -> _PreparedBatch {
        _PreparedBatch(
            documents: documents, ownsDocuments: owned, signatureLength: scheme.signatureLength, keying: keying, threads: threads,
            rowPacking: rowPacking)
    }

    /// One pipeline step on `threads` workers, as tasks taken in this order by whichever
    /// worker is free: the filing of the queried batch unless it was filed before (one task,
    /// the one writer), one call of `fetch`, the preparation of the next batch (chunks, no
    /// lock), and the query and verification of the queried batch (chunks, each a reader, each
    /// waiting for the filing to end).
    ///
    /// Filing in the step lets the other workers prepare meanwhile: on 100,000 news documents
    /// and 2 threads it was a serial step of 0.14 s in a 1.0 s run. The queries come last, so
    /// they seldom wait: every other task was taken before them.
    ///
    /// - Parameters:
    ///   - queried: The batch to query (prepared), if any.
    ///   - first: The number of its first document when it was filed before the step; `nil`
    ///     files it in the step.
    ///   - upcoming: The batch to prepare, if any.
    ///   - fetch: What asks for the next batch, if anything.
    ///   - threads: Workers.
    /// - Returns: The number of the queried batch's first document, whether a query task had
    ///   to wait for its filing, the matches (by query chunk), and what `fetch` returned.
    private func step<Failure: Error>(
        query queried: _PreparedBatch?, filedFrom first: Int?, prepare upcoming: _PreparedBatch?,
        fetch: _Unchecked<() throws(Failure) -> [Document]?>?, threads: Int
    ) -> (first: Int, queriesWaited: Bool, matches: [[(document: Int, others: [(Int, Double)])]], next: Result<[Document]?, Failure>) {
        let fileTasks = queried != nil && first == nil ? 1 : 0
        let fetchTasks = fetch == nil ? 0 : 1
        let prepareChunks = upcoming?.chunkCount ?? 0
        let queryCount = queried?.count ?? 0
        let queryChunk = Swift.max(16, (queryCount + threads * 4 - 1) / Swift.max(1, threads * 4))
        let queryChunks = (queryCount + queryChunk - 1) / queryChunk
        let matches = UnsafeMutableBufferPointer<[(document: Int, others: [(Int, Double)])]>.allocate(capacity: queryChunks)
        matches.initialize(repeating: [])
        defer { matches.deinitialize().deallocate() }
        let fetched = _ResultSlot<Result<[Document]?, Failure>>(.success(nil))
        let filed = _FilingSignal(first: first)
        let output = _Unchecked(matches)
        let scheme = scheme
        let options = options
        concurrentTasks(count: fileTasks + fetchTasks + prepareChunks + queryChunks, threads: threads) { task in
            var task = task
            if task < fileTasks, let queried {
                filed.open(first: self.file(queried, threads: threads))
                return
            }
            task -= fileTasks
            if task < fetchTasks {
                // SAFETY: one task calls `fetch`, once; the caller waits for the tasks to end.
                let result: Result<[Document]?, Failure>
                do throws(Failure) { result = .success(try fetch!.value()) } catch { result = .failure(error) }
                fetched.value = result
                return
            }
            task -= fetchTasks
            if task < prepareChunks, let upcoming {
                upcoming.prepareChunk(task, scheme: scheme, options: options)
                return
            }
            task -= prepareChunks
            guard let queried else { return }
            // The filing task was taken before this one (tasks are taken in order) by a worker
            // that holds nothing this one holds, so the wait ends.
            let first = filed.wait()
            let rows = task * queryChunk..<Swift.min((task + 1) * queryChunk, queryCount)
            let found = self.access.withReadLock {
                self.state.matches(of: queried, first: first, rows: rows, scheme: scheme, options: options)
            }
            // SAFETY: slot `task` belongs to this task; it is read after the tasks end.
            output.value[task] = found
        }
        return (filed.first ?? 0, filed.waited, Array(matches), fetched.value)
    }

    /// The clusters of near-duplicates found so far.
    ///
    /// - Parameter includingSingletons: Whether documents with no duplicate appear as
    ///   one-member clusters (default `false`).
    /// - Returns: Clusters ordered by their first member.
    public func clusters(includingSingletons: Bool = false) -> [DuplicateCluster] {
        idAccess.withReadLock {
            clusterLock.withLock { clustering.clusters(minimumSize: includingSingletons ? 1 : 2, documents: documents) }
        }
    }

    /// Every document's place in the clusters found so far, in document order: its cluster's
    /// label (the member whose id is smallest in byte-wise UTF-8 order, the first among equal
    /// ids), whether it is its cluster's representative, and its verdict.
    ///
    /// ```swift
    /// let deduplicator = Deduplicator()
    /// deduplicator.insert(contentsOf: [page, reprint])   // ids "b-page" and "a-reprint"
    /// deduplicator.assignments().map(\.cluster)         // [1, 1]: labelled by "a-reprint"
    /// ```
    ///
    /// - Returns: One assignment per document.
    /// - Complexity: O(n α(n) + pairs + n · id length).
    public func assignments() -> [DocumentAssignment] {
        Array(assignmentTable())
    }

    /// ``assignments()`` in 17 bytes per document (package access: `simdedup dedupe` writes
    /// its verdict lines from it).
    ///
    /// - Returns: Every document's assignment, in document order, made on demand.
    /// - Complexity: O(n α(n) + pairs + n · id length), as ``assignments()``.
    package func assignmentTable() -> _AssignmentTable {
        idAccess.withReadLock { clusterLock.withLock { clustering.assignments(documents: documents) } }
    }

    /// Every verified duplicate pair so far: `first` < `second`, with the verified similarity,
    /// sorted by `first`, then `second`.
    public func verifiedPairs() -> [SimilarPair] {
        clusterLock.withLock { clustering.pairs }.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// The documents to keep: one representative per cluster and every document without
    /// duplicates, in increasing order.
    public func keptDocuments() -> [Int] {
        clusters(includingSingletons: true).map(\.representative).sorted()
    }
}

extension Deduplicator where Scheme == OnePermutationMinHash {
    /// A deduplicator with the default scheme: one-permutation MinHash, k = 128, seed 0.
    ///
    /// - Parameter options: Measure, threshold, verification (default ``DeduplicationOptions/init()``).
    public convenience init(options: DeduplicationOptions = DeduplicationOptions()) {
        self.init(scheme: OnePermutationMinHash(signatureLength: 128, seed: 0), options: options)
    }
}

/// A value handed to concurrent tasks without a `Sendable` check.
struct _Unchecked<Value>: @unchecked Sendable {
    // SAFETY: each use says why its tasks never touch the value at once (one task calls a
    // closure; each task writes its own slot of a buffer).
    let value: Value

    init(_ value: Value) { self.value = value }
}

/// A slot one concurrent task writes and the caller reads (or drops) after the tasks end.
final class _ResultSlot<Value>: @unchecked Sendable {
    // SAFETY: written by at most one task, read or deinitialized by the caller after
    // `concurrentTasks` returns (which orders the write before the read).
    var value: Value

    init(_ value: Value) { self.value = value }
}

/// Where ``Deduplicator/insert(batchesFrom:threads:results:)`` files a prepared batch (the
/// verdicts are the same for each).
package enum _BatchFiling: Sendable {
    /// In the step that queries it while a query never had to wait for a filing, then between
    /// steps; the last batch of a run always between steps (nothing is left to prepare beside
    /// its filing).
    case adaptive
    /// Always in the step that queries it (on more than one thread).
    case inStep
    /// Always between steps, with nothing else running.
    case betweenSteps
}

/// The number of a batch's first document, which the tasks querying the batch wait for until
/// the task filing it has filed it (one pipeline step of ``Deduplicator``).
final class _FilingSignal: @unchecked Sendable {
    // SAFETY: `value` and `someoneWaited` are read and written only while `condition` is locked.
    private let condition = Condition()
    private var value: Int?
    private var someoneWaited = false

    /// A signal for a batch filed from document `first` on, or not filed yet (`nil`).
    init(first: Int?) {
        value = first
    }

    /// The first document's number, once filed.
    var first: Int? { condition.lock(); defer { condition.unlock() }; return value }

    /// Whether a query task had to wait for the filing.
    var waited: Bool { condition.lock(); defer { condition.unlock() }; return someoneWaited }

    /// Records the first document's number and wakes the tasks waiting for it.
    func open(first: Int) {
        condition.lock()
        value = first
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the batch is filed; returns its first document's number.
    func wait() -> Int {
        condition.lock()
        defer { condition.unlock() }
        if value == nil { someoneWaited = true }
        while value == nil { condition.wait() }
        return value!
    }
}

/// Counts the batches between their filing and the merge of their verified pairs, and lets a
/// snapshot (``Deduplicator/save(to:)``) stop new filings and wait until none is in flight.
final class _FilingGate: @unchecked Sendable {
    // SAFETY: `inFlight` and `paused` are read and written only while `condition` is locked.
    private let condition = Condition()
    private var inFlight = 0
    private var paused = false

    /// Called before a batch is filed: waits while a snapshot is being taken.
    func begin() {
        condition.lock()
        while paused { condition.wait() }
        inFlight += 1
        condition.unlock()
    }

    /// Called once the batch's pairs are merged.
    func end() {
        condition.lock()
        inFlight -= 1
        if inFlight == 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Runs `body` with no batch in flight and none filed until it returns. The caller must
    /// have no batch in flight itself.
    func withFilingPaused<R>(_ body: () throws -> R) rethrows -> R {
        condition.lock()
        while paused { condition.wait() }
        paused = true
        while inFlight > 0 { condition.wait() }
        condition.unlock()
        defer {
            condition.lock()
            paused = false
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}
