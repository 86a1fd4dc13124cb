import SimCoreInternals

/// When a line counts as boilerplate: how many documents must carry it.
///
/// A line (the text between two line breaks; a paragraph written on one line is one line) is
/// boilerplate when its normalized text (``TextNormalizer``) stands in at least
/// `max(minimumDocuments, ⌈minimumFraction × documents⌉)` documents of the corpus: by default in
/// at least 10 documents and at least 1% of them. Tickers, "Comments", copyright lines and
/// navigation recur that often; a paragraph syndicated to a few dozen outlets of a large corpus
/// does not. A line without words is never boilerplate.
///
/// ```swift
/// BoilerplateOptions().threshold(documentCount: 100_000)   // 1,000 documents
/// BoilerplateOptions().threshold(documentCount: 200)       // 10 documents
/// ```
public struct BoilerplateOptions: Sendable, Hashable, Codable {
    /// The fewest documents a boilerplate line stands in, whatever the corpus size. Default 10.
    public var minimumDocuments: Int
    /// The smallest fraction of the corpus's documents a boilerplate line stands in. Default 0.01.
    public var minimumFraction: Double

    /// Creates boilerplate options.
    ///
    /// - Parameters:
    ///   - minimumDocuments: At least 2 (default 10).
    ///   - minimumFraction: In [0, 1] (default 0.01).
    public init(minimumDocuments: Int = 10, minimumFraction: Double = 0.01) {
        precondition(minimumDocuments >= 2, "minimumDocuments must be at least 2")
        precondition((0...1).contains(minimumFraction), "minimumFraction must be in [0, 1]")
        self.minimumDocuments = minimumDocuments
        self.minimumFraction = minimumFraction
    }

    /// The documents a line must stand in to be boilerplate, in a corpus of `documentCount`.
    ///
    /// - Parameter documentCount: Documents in the corpus.
    /// - Returns: `max(minimumDocuments, ⌈minimumFraction × documentCount⌉)`.
    public func threshold(documentCount: Int) -> Int {
        Swift.max(minimumDocuments, Int((minimumFraction * Double(documentCount)).rounded(.up)))
    }
}

/// The boilerplate lines of a corpus, found by how many documents carry each line, and the
/// filter that blanks them.
///
/// ``blanking(_:)`` replaces each boilerplate line's bytes by spaces and keeps its line break, so
/// the text keeps its length (byte ranges found in it index the original) while the words of
/// those lines are gone: shingling, signing and aligning the result is shingling, signing and
/// aligning the text without them. `simdedup dedupe --boilerplate auto` and `simdedup reuse`
/// apply it before their engines see a document.
///
/// ```swift
/// let boilerplate = BoilerplateLines(documents: corpus)
/// boilerplate.lines.first?.text        // "© Copyright AFP 2024. All rights reserved."
/// boilerplate.lines.first?.documents   // 4,212
/// let clean = boilerplate.blanking(corpus[0].utf8)
/// ```
public struct BoilerplateLines: Sendable {
    /// One boilerplate line: its text as it first appeared (trimmed of surrounding white space)
    /// and how many documents carry it.
    public struct Line: Sendable, Hashable, Codable {
        /// The line as the first document carrying it wrote it.
        public var text: String
        /// Documents that carry it (after normalization).
        public var documents: Int
    }

    /// The boilerplate lines, most frequent first (then in order of first appearance).
    public let lines: [Line]
    /// The documents a line had to stand in.
    public let threshold: Int
    /// The normalization lines are compared under.
    public let normalization: NormalizationOptions
    private let hashes: Set<UInt64>

    /// Counts every line of `documents` and keeps those at or above the threshold.
    ///
    /// - Parameters:
    ///   - documents: The corpus.
    ///   - options: The threshold rule (default ``BoilerplateOptions/init(minimumDocuments:minimumFraction:)``).
    ///   - normalization: How lines are compared (default ``NormalizationOptions/default``).
    ///   - threads: Worker threads (default: all cores); the result is the same for every count.
    /// - Complexity: O(total bytes).
    public init(
        documents: [Document], options: BoilerplateOptions = BoilerplateOptions(),
        normalization: NormalizationOptions = .default, threads: Int = Parallelism.defaultThreadCount
    ) {
        self.init(documents: documents, lines: Self.lines(of: documents, normalization: normalization, threads: threads),
                  options: options, normalization: normalization, threads: threads)
    }

    /// Finds the boilerplate lines of `documents` and blanks them, normalizing each line once.
    ///
    /// The same as ``init(documents:options:normalization:threads:)`` followed by
    /// ``blanking(_:)`` of every document, in one pass over the text instead of two.
    ///
    /// ```swift
    /// let (boilerplate, clean) = BoilerplateLines.blanking(corpus)
    /// let pairs = ReuseIndex.pairs(in: clean)   // byte ranges still index the original texts
    /// ```
    ///
    /// - Parameters:
    ///   - documents: The corpus.
    ///   - options: The threshold rule.
    ///   - normalization: How lines are compared.
    ///   - threads: Worker threads (default: all cores).
    /// - Returns: The boilerplate lines, and the documents with them blanked (same ids, same lengths).
    /// - Complexity: O(total bytes).
    public static func blanking(
        _ documents: [Document], options: BoilerplateOptions = BoilerplateOptions(),
        normalization: NormalizationOptions = .default, threads: Int = Parallelism.defaultThreadCount
    ) -> (lines: BoilerplateLines, documents: [Document]) {
        let lines = lines(of: documents, normalization: normalization, threads: threads)
        let model = BoilerplateLines(documents: documents, lines: lines, options: options, normalization: normalization, threads: threads)
        guard !model.hashes.isEmpty else { return (model, documents) }
        let blanked = concurrentChunks(count: documents.count, threads: threads, minimumChunk: 64) { range in
            range.map { index in
                let found = lines[index].filter { model.hashes.contains($0.hash) }
                guard !found.isEmpty else { return documents[index] }
                var bytes = documents[index].utf8
                for line in found {
                    for position in line.range { bytes[position] = 0x20 }
                }
                return Document(id: documents[index].id, utf8: bytes)
            }
        }.flatMap { $0 }
        return (model, blanked)
    }

    /// Every line of every document with words: its hash and byte range, by document.
    private static func lines(
        of documents: [Document], normalization: NormalizationOptions, threads: Int
    ) -> [[(hash: UInt64, range: Range<Int>)]] {
        let normalizer = TextNormalizer(options: normalization)
        return concurrentChunks(count: documents.count, threads: threads, minimumChunk: 64) { range in
            let scratch = ScratchBuffer<UInt8>()
            return range.map { index in
                var lines: [(hash: UInt64, range: Range<Int>)] = []
                forEachLine(documents[index].utf8, normalizer: normalizer, scratch: scratch) { lines.append(($0, $1)) }
                return lines
            }
        }.flatMap { $0 }
    }

    /// Counts the documents each line stands in and keeps those at the threshold.
    ///
    /// Lines are counted in 16 shards by their hash's top bits, each shard on one
    /// worker over all documents in order, so the result is the same for every thread count.
    private init(
        documents: [Document], lines: [[(hash: UInt64, range: Range<Int>)]], options: BoilerplateOptions,
        normalization: NormalizationOptions, threads: Int
    ) {
        let threshold = options.threshold(documentCount: documents.count)
        let shardBits = UInt64(Self.countingShardBits)
        let kept = concurrentChunks(count: 1 << Self.countingShardBits, threads: threads) { shards in
            // Per line: documents carrying it, the first of them and where, and the last one
            // counted (a line repeated in one document counts once).
            var total: [UInt64: (count: Int, document: Int, line: Range<Int>, last: Int)] = [:]
            for (index, documentLines) in lines.enumerated() {
                for line in documentLines where shards.contains(Int(truncatingIfNeeded: line.hash >> (64 - shardBits))) {
                    Self.count(&total[line.hash, default: (0, index, line.range, -1)], document: index)
                }
            }
            return total.filter { $0.value.count >= threshold }.map { (hash: $0.key, count: $0.value.count, document: $0.value.document, line: $0.value.line) }
        }.flatMap { $0 }
        let ordered = kept.sorted { ($1.count, $0.document, $0.line.lowerBound) < ($0.count, $1.document, $1.line.lowerBound) }
        self.lines = ordered.map { entry in
            Line(text: String(decoding: documents[entry.document].utf8[entry.line], as: UTF8.self).trimmingWhiteSpace(),
                 documents: entry.count)
        }
        self.hashes = Set(kept.map(\.hash))
        self.threshold = threshold
        self.normalization = normalization
    }

    /// Lines are counted in 2^this shards.
    private static let countingShardBits = 4

    /// Counts `document` for a line unless it already has.
    @inline(__always)
    private static func count(_ entry: inout (count: Int, document: Int, line: Range<Int>, last: Int), document: Int) {
        if entry.last != document {
            entry.count += 1
            entry.last = document
        }
    }

    /// Whether no line is boilerplate.
    public var isEmpty: Bool { hashes.isEmpty }

    /// The byte ranges of `utf8`'s boilerplate lines (line breaks excluded).
    ///
    /// - Parameter utf8: A document's text.
    /// - Returns: The ranges, in order.
    /// - Complexity: O(n).
    public func ranges(in utf8: [UInt8]) -> [Range<Int>] {
        guard !hashes.isEmpty else { return [] }
        var found: [Range<Int>] = []
        Self.forEachLine(utf8, normalizer: TextNormalizer(options: normalization), scratch: ScratchBuffer()) { hash, line in
            if hashes.contains(hash) { found.append(line) }
        }
        return found
    }

    /// `utf8` with every boilerplate line's bytes replaced by spaces (line breaks kept): the same
    /// length, the same byte offsets, none of those lines' words.
    ///
    /// - Parameter utf8: A document's text.
    /// - Returns: The blanked text (`utf8` itself when it has no boilerplate line).
    /// - Complexity: O(n).
    public func blanking(_ utf8: [UInt8]) -> [UInt8] {
        let found = ranges(in: utf8)
        guard !found.isEmpty else { return utf8 }
        var blanked = utf8
        for range in found {
            for index in range { blanked[index] = 0x20 }
        }
        return blanked
    }

    /// Calls `body` with each line's hash (XXH3 of its normalized text) and byte range; lines
    /// without words are passed over.
    private static func forEachLine(
        _ utf8: [UInt8], normalizer: TextNormalizer, scratch: ScratchBuffer<UInt8>, _ body: (UInt64, Range<Int>) -> Void
    ) {
        utf8.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                let count = normalizer._normalize(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), into: scratch)
                if count > 0 { body(_xxh3_64(scratch.storage.baseAddress!, count, 0), start..<end) }
                start = end + 1
            }
        }
    }
}

extension String {
    /// The string without leading and trailing white space (spaces, tabs, line breaks).
    func trimmingWhiteSpace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
