import Foundation
import SimCore

/// The text that documents of a generated corpus share, with exact byte ranges on both sides:
/// the ground truth of passage alignment.
///
/// Two documents share a passage wherever they hold paragraphs of the same
/// ``ParagraphSource`` (a reprint and its original, a story and one that borrowed a paragraph
/// from it, two reprints of either). A passage is `edited` when the two copies are different
/// wordings (``PlantedParagraph/copy``): words changed by a reprint, or a borrowed paragraph
/// lightly edited.
///
/// `simbench generate` writes it as `NAME.passages.jsonl`, one document pair per line:
/// `{"a":"g00000001","b":"g00000004","passages":[{"a":[120,610],"b":[98,590],"edited":false}]}`.
///
/// ```swift
/// let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(documentCount: 1_000, seed: 1))
/// let shared = PassageTruth(generated: corpus.truth)
/// shared.pairs[0].passages[0].bytesA   // the bytes of a shared paragraph in the earlier document
/// ```
public struct PassageTruth: Sendable, Hashable {
    /// One shared paragraph: its bytes in each document, and whether the wordings differ.
    public struct Passage: Sendable, Hashable, Codable {
        /// Bytes in the earlier document.
        public var bytesA: Range<Int>
        /// Bytes in the later document.
        public var bytesB: Range<Int>
        /// Whether the two copies are different wordings.
        public var edited: Bool

        /// Creates a passage.
        ///
        /// - Parameters:
        ///   - bytesA: Bytes in the earlier document.
        ///   - bytesB: Bytes in the later document.
        ///   - edited: Whether the wordings differ.
        public init(bytesA: Range<Int>, bytesB: Range<Int>, edited: Bool) {
            self.bytesA = bytesA
            self.bytesB = bytesB
            self.edited = edited
        }
    }

    /// Two documents (indices in corpus order, `first < second`) and every passage they share.
    public struct Pair: Sendable, Hashable {
        /// The earlier document.
        public var first: Int
        /// The later document.
        public var second: Int
        /// Their shared passages, by position in the earlier document.
        public var passages: [Passage]

        /// Creates a pair.
        public init(first: Int, second: Int, passages: [Passage]) {
            self.first = first
            self.second = second
            self.passages = passages
        }
    }

    /// Every pair of documents that shares planted text, by `first` then `second`.
    public var pairs: [Pair]

    /// Creates truth from pairs.
    ///
    /// - Parameter pairs: The pairs (sorted by `first`, then `second`).
    public init(pairs: [Pair]) {
        self.pairs = pairs
    }

    /// Joins the planted paragraphs of generated documents by source.
    ///
    /// - Parameter records: What ``CorpusGenerator`` returned, in corpus order (their position in
    ///   this array is the document index the pairs use).
    /// - Complexity: O(paragraphs + shared passages).
    public init(generated records: [GeneratedDocument]) {
        var holders: [ParagraphSource: [(document: Int, paragraph: PlantedParagraph)]] = [:]
        for (document, record) in records.enumerated() {
            for paragraph in record.paragraphs { holders[paragraph.source, default: []].append((document, paragraph)) }
        }
        var shared: [DocumentPair: [Passage]] = [:]
        for copies in holders.values where copies.count > 1 {
            for first in copies.indices {
                for second in copies.indices where copies[second].document > copies[first].document {
                    let a = copies[first], b = copies[second]
                    shared[DocumentPair(a.document, b.document), default: []].append(
                        Passage(bytesA: a.paragraph.bytes, bytesB: b.paragraph.bytes, edited: a.paragraph.copy != b.paragraph.copy))
                }
            }
        }
        pairs = shared.map { pair, passages in
            Pair(first: pair.first, second: pair.second,
                 passages: passages.sorted { ($0.bytesA.lowerBound, $0.bytesB.lowerBound) < ($1.bytesA.lowerBound, $1.bytesB.lowerBound) })
        }.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// Appends one JSON Lines record per pair to `buffer`, documents named by their ids.
    ///
    /// - Parameters:
    ///   - ids: Document ids by index.
    ///   - buffer: Where the lines go.
    public func appendJSONLines(ids: [String], to buffer: inout [UInt8]) {
        for pair in pairs {
            buffer.append(contentsOf: "{\"a\":\"\(ids[pair.first])\",\"b\":\"\(ids[pair.second])\",\"passages\":[".utf8)
            for (number, passage) in pair.passages.enumerated() {
                if number > 0 { buffer.append(0x2C) }
                buffer.append(contentsOf: ("{\"a\":[\(passage.bytesA.lowerBound),\(passage.bytesA.upperBound)],"
                    + "\"b\":[\(passage.bytesB.lowerBound),\(passage.bytesB.upperBound)],\"edited\":\(passage.edited)}").utf8)
            }
            buffer.append(contentsOf: "]}\n".utf8)
        }
    }

    /// Reads a passages file written by `simbench generate`, for a loaded corpus.
    ///
    /// - Parameters:
    ///   - url: A `.passages.jsonl` file.
    ///   - documentIDs: The loaded corpus's ids in order; pairs naming other ids are left out.
    /// - Returns: The truth, by index.
    /// - Throws: File or decoding errors.
    public static func read(from url: URL, documentIDs: [String]) throws -> PassageTruth {
        struct Line: Decodable {
            struct Span: Decodable { var a: [Int]; var b: [Int]; var edited: Bool }
            var a: String
            var b: String
            var passages: [Span]
        }
        var index: [String: Int] = [:]
        for (position, id) in documentIDs.enumerated() { index[id] = position }
        var pairs: [Pair] = []
        let decoder = JSONDecoder()
        for line in try Data(contentsOf: url).split(separator: 0x0A) where !line.isEmpty {
            let record = try decoder.decode(Line.self, from: Data(line))
            guard let a = index[record.a], let b = index[record.b], a != b,
                  record.passages.allSatisfy({ $0.a.count == 2 && $0.b.count == 2 && $0.a[0] <= $0.a[1] && $0.b[0] <= $0.b[1] })
            else { continue }
            let passages = record.passages.map {
                a < b ? Passage(bytesA: $0.a[0]..<$0.a[1], bytesB: $0.b[0]..<$0.b[1], edited: $0.edited)
                    : Passage(bytesA: $0.b[0]..<$0.b[1], bytesB: $0.a[0]..<$0.a[1], edited: $0.edited)
            }
            pairs.append(Pair(first: Swift.min(a, b), second: Swift.max(a, b), passages: passages))
        }
        return PassageTruth(pairs: pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) })
    }
}
