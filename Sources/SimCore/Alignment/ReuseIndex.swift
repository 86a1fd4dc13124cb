import SimCoreInternals

/// Finds which documents of a corpus share passages, and the passages: corpus-wide text reuse,
/// in one batch or as a stream.
///
/// Each document is tokenized as ``Shingler`` does it and its word n-grams are winnowed into
/// anchors (``ReuseOptions/anchorWindow``), which an inverted index files. Two documents are a
/// candidate pair when they share two anchors held by at most
/// ``ReuseOptions/maximumDocumentFrequency`` documents each (so every verbatim passage of the
/// minimum length is found); each candidate pair is then aligned once by ``PassageAligner``,
/// and kept when it has a passage. Candidate pairs are aligned a neighbourhood at a time (the
/// documents breadth first over the graph of candidate pairs), so that each worker still holds
/// most documents' tokens when it meets them again: most documents are tokenized for alignment
/// once or twice, not once per partner.
///
/// - **Batch**: ``pairs(in:options:boilerplate:threads:)`` (or ``insert(contentsOf:threads:)``
///   then ``pairs(threads:)``) gives every pair with a shared passage, ordered by first then second
///   document, identical for every thread count.
/// - **Stream**: ``matches(for:threads:)`` aligns a new document against everything indexed so
///   far; ``insert(_:)`` then adds it. Document frequencies are counted over what is indexed at
///   the time (the new document included), so a stream gives the batch's pairs whenever the cap
///   does not bind.
///
/// With a ``BoilerplateLines`` model, every document's boilerplate lines are blanked before
/// anything else (see ``BoilerplateLines/blanking(_:)``): byte ranges still index the original.
///
/// **Threads.** Calls that take `threads` use that many cores inside; the index itself is not
/// safe to call from several threads at once.
///
/// ```swift
/// let index = ReuseIndex()
/// index.insert(contentsOf: corpus.documents)
/// for pair in index.pairs() {
///     print(index.id(of: pair.first), index.id(of: pair.second), pair.alignment.passages.count)
/// }
/// let news = Document(id: "new", text: wire)
/// let found = index.matches(for: news)    // ReusedPair(first: indexed document, second: index.count)
/// index.insert(news)
/// ```
///
/// - Complexity: Indexing is O(n) in the text; a batch aligns each candidate pair once in
///   O(n + m), and candidate generation costs the sum of squared capped document frequencies.
public final class ReuseIndex {
    /// The options in force.
    public let options: ReuseOptions
    /// The boilerplate model applied to every document, if any.
    public let boilerplate: BoilerplateLines?
    private var documents: [Document] = []
    private let table = _AnchorTable()
    private let prints = _GramPrints()

    /// Creates an empty index.
    ///
    /// - Parameters:
    ///   - options: Alignment and the document-frequency cap (default ``ReuseOptions/init(alignment:maximumDocumentFrequency:)``).
    ///   - boilerplate: Lines to blank in every document before indexing and aligning (default none).
    public init(options: ReuseOptions = ReuseOptions(), boilerplate: BoilerplateLines? = nil) {
        self.options = options
        self.boilerplate = boilerplate
    }

    /// Two documents are a candidate pair when they share at least this many capped anchors. An
    /// exact shared run of `minimumPassageWords` words holds two disjoint windows of
    /// ``ReuseOptions/anchorWindow`` n-grams, hence two shared anchors, so no verbatim passage of
    /// the minimum length is missed; most pairs that share a single common phrase are never
    /// aligned (on generated news, nine in ten candidates with one shared anchor had no passage).
    static let minimumSharedAnchors: Int32 = 2

    /// Documents indexed.
    public var count: Int { documents.count }

    /// The id of indexed document `index`.
    ///
    /// - Parameter index: A document index, below ``count``.
    /// - Returns: Its id.
    public func id(of index: Int) -> String { documents[index].id }

    /// Candidate pairs the last ``pairs(threads:)`` aligned (those sharing a capped anchor).
    public private(set) var candidatePairs = 0

    /// Bytes the index holds beyond the documents' text: anchors and postings.
    public var indexByteCount: Int { table.byteCount + prints.byteCount }

    /// Adds one document.
    ///
    /// - Parameter document: Its id and text.
    /// - Returns: Its index.
    /// - Complexity: O(n) in its length.
    @discardableResult
    public func insert(_ document: Document) -> Int {
        insert(contentsOf: [document], threads: 1)
        return documents.count - 1
    }

    /// Adds documents in order, tokenizing them on `threads` cores.
    ///
    /// - Parameters:
    ///   - documents: The documents; their indices follow on from ``count``.
    ///   - threads: Worker threads (default: all cores); the index is the same for every count.
    /// - Complexity: O(total bytes).
    public func insert(contentsOf documents: [Document], threads: Int = Parallelism.defaultThreadCount) {
        var prepared = prepare(documents, threads: threads)
        self.documents.append(contentsOf: prepared.map(\.document))
        prints.append(prepared.map(\.prints))
        var anchors = prepared.map(\.anchors)
        prepared = []
        table.insert(&anchors, threads: threads)
    }

    /// Blanks boilerplate and computes anchors and n-gram fingerprints, in chunks on `threads` cores.
    private func prepare(_ documents: [Document], threads: Int) -> [(document: Document, anchors: [UInt64], prints: [UInt16])] {
        let options = options, boilerplate = boilerplate
        return concurrentChunks(count: documents.count, threads: threads, minimumChunk: 16) { range in
            let shingler = Self.shingler(options), seen = ScratchBuffer<UInt64>()
            return range.map { index in
                let document = boilerplate.map { Document(id: documents[index].id, utf8: $0.blanking(documents[index].utf8)) }
                    ?? documents[index]
                let (anchors, prints) = Self.anchors(of: document, shingler: shingler, window: options.anchorWindow, seen: seen)
                return (document, anchors, prints)
            }
        }.flatMap { $0 }
    }

    /// A shingler whose word n-grams are the alignment's seeds.
    private static func shingler(_ options: ReuseOptions) -> Shingler {
        Shingler(options: ShinglingOptions(
            unit: .words(options.alignment.ngramWidth), seed: options.alignment.seed, normalization: options.alignment.normalization))
    }

    /// A document's anchors and n-gram fingerprints, from the shingler's allocation-free n-gram
    /// stream (no byte offsets needed). A text shorter than the n-gram width gets one hash of all
    /// its words, which two documents can share but never twice: it makes no candidate pair.
    private static func anchors(
        of document: Document, shingler: Shingler, window: Int, seen: ScratchBuffer<UInt64>
    ) -> (anchors: [UInt64], prints: [UInt16]) {
        document.utf8.withUnsafeBytes { bytes in
            shingler.withShingleHashes(ofUTF8: bytes) { grams in
                (_winnowedAnchors(grams, window: window, seen: seen), grams.map(_GramPrints.print(of:)))
            }
        }
    }

    /// Every pair of indexed documents that shares a passage.
    ///
    /// - Parameter threads: Worker threads (default: all cores); the result is the same for every
    ///   count.
    /// - Returns: The pairs, ordered by first then second document; side A is the first.
    /// - Complexity: O(candidate pairs × their lengths), plus the sum of squared capped document
    ///   frequencies.
    public func pairs(threads: Int = Parallelism.defaultThreadCount) -> [ReusedPair] {
        let candidates = table.sharedAnchorPairs(
            minimumShared: Int(Self.minimumSharedAnchors), cap: options.maximumDocumentFrequency, threads: threads)
        candidatePairs = candidates.count
        guard !candidates.isEmpty else { return [] }
        let order = _CandidateOrder.order(of: candidates, documentCount: documents.count)
        let documents = documents, options = options
        // SAFETY: the fingerprints are only read here, and the index is not mutated meanwhile.
        let printBase = SendableMutablePointer(base: UnsafeMutablePointer(mutating: prints.base))
        let printStarts = prints.starts
        @Sendable func printsOf(_ document: Int) -> UnsafeBufferPointer<UInt16> {
            UnsafeBufferPointer(start: printBase.base + printStarts[document], count: printStarts[document + 1] - printStarts[document])
        }
        // Stretches of the order, taken by whichever worker is free: their costs differ (a
        // neighbourhood's documents are tokenized once, a lone pair's both).
        let taskSize = Swift.max(1, (order.count + 16 * Swift.max(1, threads) - 1) / (16 * Swift.max(1, threads)))
        let taskCount = (order.count + taskSize - 1) / taskSize
        // SAFETY: task `t` alone writes `found[t]`, read after `concurrentTasks` has returned.
        let found = UnsafeMutableBufferPointer<[(position: Int, pair: ReusedPair)]>.allocate(capacity: taskCount)
        found.initialize(repeating: [])
        defer {
            _ = found.deinitialize()
            found.deallocate()
        }
        let output = SendableMutablePointer(base: found.baseAddress!)
        concurrentTasks(count: taskCount, threads: threads) { task in
            // Side A (the first document) stays indexed while its pairs follow each other.
            let cache = _TokenCache(options: options.alignment, capacity: 256)
            let kernel = _PairAligner(options: options.alignment)
            var indexed = -1
            var pairs: [(position: Int, pair: ReusedPair)] = []
            let printsA = _GramPrintSet()
            for position in order[(task * taskSize)..<Swift.min(order.count, (task + 1) * taskSize)] {
                let first = Int(candidates[position] >> 32), second = Int(candidates[position] & 0xFFFF_FFFF)
                // No stretch of B's n-grams in A long enough for a passage (most candidates, which
                // share a common phrase or two): not tokenized, not aligned.
                if printsA.document != first { printsA.fill(printsOf(first), document: first) }
                guard printsA.mayHavePassage(printsOf(second), options: options.alignment) else { continue }
                let tokensA = cache.tokens(of: first, in: documents, pinned: indexed)
                if indexed != first {
                    kernel.index(tokensA)
                    indexed = first
                }
                let alignment = kernel.align(tokensA, with: cache.tokens(of: second, in: documents, pinned: first))
                if !alignment.passages.isEmpty {
                    pairs.append((position, ReusedPair(first: first, second: second, alignment: alignment)))
                }
            }
            output.base[task] = pairs
        }
        // Back in candidate order: by first, then second document.
        return found.flatMap { $0 }.sorted { $0.position < $1.position }.map(\.pair)
    }

    /// The passages a new document shares with indexed ones; the document is not added.
    ///
    /// - Parameters:
    ///   - document: The new document.
    ///   - threads: Worker threads over its candidate partners (default: all cores).
    /// - Returns: One pair per indexed document sharing a passage with it, ordered by that
    ///   document: `first` is the indexed document (side A), `second` is ``count`` (the index
    ///   ``insert(_:)`` would give it, side B).
    /// - Complexity: O(n) plus the candidates' lengths.
    public func matches(for document: Document, threads: Int = Parallelism.defaultThreadCount) -> [ReusedPair] {
        let query = prepare([document], threads: 1)[0]
        let cap = options.maximumDocumentFrequency
        var shared: [Int: Int] = [:]
        let table = table.reader
        for anchor in query.anchors {
            let entry = table.entry(of: anchor)
            // The new document counts towards the frequency, as it will once inserted.
            guard entry.count > 0, entry.count + 1 <= cap else { continue }
            entry.forEachDocument(above: -1) { shared[$0, default: 0] += 1 }
        }
        let candidates = shared.filter { $0.value >= Self.minimumSharedAnchors }.keys.sorted()
        let documents = documents, options = options, newIndex = documents.count
        return concurrentChunks(count: candidates.count, threads: threads) { range in
            // The indexed document is side A, as in a batch: the same pair aligns the same way.
            let aligner = PassageAligner(options: options.alignment)
            query.document.utf8.withUnsafeBytes { aligner.prepareB($0) }
            return range.compactMap { position -> ReusedPair? in
                let first = candidates[position]
                documents[first].utf8.withUnsafeBytes { aligner.prepareA($0) }
                let alignment = aligner.alignPrepared()
                return alignment.passages.isEmpty ? nil : ReusedPair(first: first, second: newIndex, alignment: alignment)
            }
        }.flatMap { $0 }
    }

    /// Every pair of `documents` that shares a passage: a fresh index, filled and searched.
    ///
    /// - Parameters:
    ///   - documents: The corpus, in order.
    ///   - options: Alignment and the document-frequency cap.
    ///   - boilerplate: Lines to blank first (default none).
    ///   - threads: Worker threads (default: all cores); the result is the same for every count.
    /// - Returns: The pairs, ordered by first then second document.
    /// - Complexity: As ``insert(contentsOf:threads:)`` plus ``pairs(threads:)``.
    public static func pairs(
        in documents: [Document], options: ReuseOptions = ReuseOptions(), boilerplate: BoilerplateLines? = nil,
        threads: Int = Parallelism.defaultThreadCount
    ) -> [ReusedPair] {
        let index = ReuseIndex(options: options, boilerplate: boilerplate)
        index.insert(contentsOf: documents, threads: threads)
        return index.pairs(threads: threads)
    }
}

