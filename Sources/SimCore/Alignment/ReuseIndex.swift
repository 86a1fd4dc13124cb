import SimCoreInternals

/// Finds which documents of a corpus share passages, and the passages: corpus-wide text reuse,
/// in one batch or as a stream.
///
/// Each document is tokenized as ``Shingler`` does it and its word n-grams are winnowed into
/// anchors (``ReuseOptions/anchorWindow``), which an inverted index files. Two documents are a
/// candidate pair when they share an anchor held by at most
/// ``ReuseOptions/maximumDocumentFrequency`` documents; each candidate pair is then aligned once
/// by ``PassageAligner``, and kept when it has a passage.
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

    /// Creates an empty index.
    ///
    /// - Parameters:
    ///   - options: Alignment and the document-frequency cap (default ``ReuseOptions/init(alignment:maximumDocumentFrequency:)``).
    ///   - boilerplate: Lines to blank in every document before indexing and aligning (default none).
    public init(options: ReuseOptions = ReuseOptions(), boilerplate: BoilerplateLines? = nil) {
        self.options = options
        self.boilerplate = boilerplate
    }

    /// Documents indexed.
    public var count: Int { documents.count }

    /// The id of indexed document `index`.
    ///
    /// - Parameter index: A document index, below ``count``.
    /// - Returns: Its id.
    public func id(of index: Int) -> String { documents[index].id }

    /// Bytes the index holds beyond the documents' text: anchors and postings.
    public var indexByteCount: Int { table.byteCount }

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
        let prepared = prepare(documents, threads: threads)
        let first = self.documents.count
        for (offset, entry) in prepared.enumerated() {
            self.documents.append(entry.document)
            table.insert(entry.anchors, document: first + offset)
        }
    }

    /// Blanks boilerplate and computes anchors, in chunks on `threads` cores.
    private func prepare(_ documents: [Document], threads: Int) -> [(document: Document, anchors: [UInt64])] {
        let options = options, boilerplate = boilerplate
        return concurrentChunks(count: documents.count, threads: threads, minimumChunk: 16) { range in
            let tokens = _WordTokens(normalization: options.alignment.normalization)
            let queue = ScratchBuffer<Int32>(), scratch = ScratchBuffer<UInt64>()
            return range.map { index in
                let document = boilerplate.map { Document(id: documents[index].id, utf8: $0.blanking(documents[index].utf8)) }
                    ?? documents[index]
                document.utf8.withUnsafeBytes {
                    tokens.tokenize($0, width: options.alignment.ngramWidth, seed: options.alignment.seed)
                }
                return (document, tokens.anchors(window: options.anchorWindow, queue: queue, scratch: scratch))
            }
        }.flatMap { $0 }
    }

    /// Every pair of indexed documents that shares a passage.
    ///
    /// - Parameter threads: Worker threads (default: all cores); the result is the same for every
    ///   count.
    /// - Returns: The pairs, ordered by first then second document; side A is the first.
    /// - Complexity: O(candidate pairs × their lengths), plus the sum of squared capped document
    ///   frequencies.
    public func pairs(threads: Int = Parallelism.defaultThreadCount) -> [ReusedPair] {
        let documents = documents, table = table, options = options
        let cap = options.maximumDocumentFrequency
        return concurrentChunks(count: documents.count, threads: threads, minimumChunk: 8) { range in
            let aligner = PassageAligner(options: options.alignment)
            let queue = ScratchBuffer<Int32>(), scratch = ScratchBuffer<UInt64>()
            var stamps = [Int32](repeating: -1, count: documents.count)
            var found: [ReusedPair] = []
            var candidates: [Int] = []
            for first in range {
                documents[first].utf8.withUnsafeBytes { aligner.prepareA($0) }
                let anchors = aligner.tokensA.anchors(window: options.anchorWindow, queue: queue, scratch: scratch)
                candidates.removeAll(keepingCapacity: true)
                for anchor in anchors {
                    let slot = table.slot(of: anchor)
                    guard slot >= 0, table.count(at: slot) <= cap else { continue }
                    table.forEachDocument(at: slot) { other in
                        if other > first && stamps[other] != Int32(truncatingIfNeeded: first) {
                            stamps[other] = Int32(truncatingIfNeeded: first)
                            candidates.append(other)
                        }
                    }
                }
                candidates.sort()
                for second in candidates {
                    let alignment = documents[second].utf8.withUnsafeBytes { aligner.align(preparedWith: $0) }
                    if !alignment.passages.isEmpty { found.append(ReusedPair(first: first, second: second, alignment: alignment)) }
                }
            }
            return found
        }.flatMap { $0 }
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
        var isCandidate = Set<Int>()
        for anchor in query.anchors {
            let slot = table.slot(of: anchor)
            // The new document counts towards the frequency, as it will once inserted.
            guard slot >= 0, table.count(at: slot) + 1 <= cap else { continue }
            table.forEachDocument(at: slot) { isCandidate.insert($0) }
        }
        let candidates = isCandidate.sorted()
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
