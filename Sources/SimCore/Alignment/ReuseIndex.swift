import SimCoreInternals

/// Finds which documents of a corpus share passages, and the passages: corpus-wide text reuse,
/// in one batch or as a stream.
///
/// Each document is tokenized as ``Shingler`` does it and its word n-grams are winnowed into
/// anchors (``ReuseOptions/anchorWindow``), which an inverted index files. Two documents are a
/// candidate pair when they share two anchors held by at most
/// ``ReuseOptions/maximumDocumentFrequency`` documents each (so every verbatim passage of the
/// minimum length is found); each candidate pair is then aligned once by ``PassageAligner``,
/// and kept when it has a passage.
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
        table.reserve(prepared.reduce(0) { $0 + $1.anchors.count })
        for (offset, entry) in prepared.enumerated() {
            self.documents.append(entry.document)
            table.insert(entry.anchors, document: first + offset)
        }
    }

    /// Blanks boilerplate and computes anchors, in chunks on `threads` cores.
    private func prepare(_ documents: [Document], threads: Int) -> [(document: Document, anchors: [UInt64])] {
        let options = options, boilerplate = boilerplate
        return concurrentChunks(count: documents.count, threads: threads, minimumChunk: 16) { range in
            let shingler = Self.shingler(options), queue = ScratchBuffer<Int32>()
            return range.map { index in
                let document = boilerplate.map { Document(id: documents[index].id, utf8: $0.blanking(documents[index].utf8)) }
                    ?? documents[index]
                return (document, Self.anchors(of: document, shingler: shingler, window: options.anchorWindow, queue: queue))
            }
        }.flatMap { $0 }
    }

    /// A shingler whose word n-grams are the alignment's seeds.
    private static func shingler(_ options: ReuseOptions) -> Shingler {
        Shingler(options: ShinglingOptions(
            unit: .words(options.alignment.ngramWidth), seed: options.alignment.seed, normalization: options.alignment.normalization))
    }

    /// A document's anchors, from the shingler's allocation-free n-gram stream (no byte offsets
    /// needed). A text shorter than the n-gram width gets one hash of all its words, which two
    /// documents can share but never twice: it makes no candidate pair.
    private static func anchors(of document: Document, shingler: Shingler, window: Int, queue: ScratchBuffer<Int32>) -> [UInt64] {
        document.utf8.withUnsafeBytes { bytes in
            shingler.withShingleHashes(ofUTF8: bytes) { _winnowedAnchors($0, window: window, queue: queue) }
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
        let documents = documents, starts = table.documentStarts, table = table.reader, options = options
        let cap = options.maximumDocumentFrequency
        let chunks = concurrentChunks(count: documents.count, threads: threads, minimumChunk: 8) { range in
            let aligner = PassageAligner(options: options.alignment)
            // SAFETY: both buffers are this chunk's own, indexed by document numbers below
            // `documents.count`, and freed when the chunk ends.
            let stamps = UnsafeMutableBufferPointer<Int32>.allocate(capacity: Swift.max(1, documents.count))
            let shared = UnsafeMutableBufferPointer<Int32>.allocate(capacity: Swift.max(1, documents.count))
            stamps.initialize(repeating: -1)
            shared.initialize(repeating: 0)
            defer {
                stamps.deallocate()
                shared.deallocate()
            }
            // A document is side B of every earlier partner: reprints of one story come in a run,
            // so the last few B texts' tokens are kept rather than tokenized again.
            let recent = _RecentTokens(options: options.alignment, capacity: 16)
            var found: [ReusedPair] = []
            var partners: [Int] = []
            var candidates: [Int] = []
            var aligned = 0
            for first in range {
                partners.removeAll(keepingCapacity: true)
                let stamp = Int32(truncatingIfNeeded: first)
                // The document's anchors, from its own postings: no second tokenization.
                for posting in starts[first]..<starts[first + 1] {
                    let slot = Int(table.postingSlots[posting])
                    guard table.count(at: slot) <= cap else { continue }
                    table.forEachDocument(at: slot) { other in
                        guard other > first else { return }
                        if stamps[other] != stamp {
                            stamps[other] = stamp
                            shared[other] = 0
                            partners.append(other)
                        }
                        shared[other] &+= 1
                    }
                }
                candidates.removeAll(keepingCapacity: true)
                for other in partners where shared[other] >= Self.minimumSharedAnchors { candidates.append(other) }
                guard !candidates.isEmpty else { continue }
                candidates.sort()
                aligned += candidates.count
                documents[first].utf8.withUnsafeBytes { aligner.prepareA($0) }
                for second in candidates {
                    let tokens = recent.tokens(of: second, in: documents)
                    let alignment = aligner.kernel.align(aligner.tokensA, with: tokens)
                    if !alignment.passages.isEmpty { found.append(ReusedPair(first: first, second: second, alignment: alignment)) }
                }
            }
            return (found, aligned)
        }
        candidatePairs = chunks.reduce(0) { $0 + $1.1 }
        return chunks.flatMap(\.0)
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
            let slot = table.slot(of: anchor)
            // The new document counts towards the frequency, as it will once inserted.
            guard slot >= 0, table.count(at: slot) + 1 <= cap else { continue }
            table.forEachDocument(at: slot) { shared[$0, default: 0] += 1 }
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

/// The tokens of the last few documents a worker aligned as side B, replaced round robin.
final class _RecentTokens {
    private let options: AlignmentOptions
    private var documents: [Int]
    private let tokens: [_WordTokens]
    private var victim = 0

    init(options: AlignmentOptions, capacity: Int) {
        self.options = options
        documents = [Int](repeating: -1, count: capacity)
        tokens = (0..<capacity).map { _ in _WordTokens(normalization: options.normalization) }
    }

    /// Document `index`'s tokens, tokenized unless kept from a recent call.
    func tokens(of index: Int, in corpus: [Document]) -> _WordTokens {
        if let kept = documents.firstIndex(of: index) { return tokens[kept] }
        let slot = victim
        victim = (victim + 1) % documents.count
        documents[slot] = index
        corpus[index].utf8.withUnsafeBytes { tokens[slot].tokenize($0, width: options.ngramWidth, seed: options.seed) }
        return tokens[slot]
    }
}
