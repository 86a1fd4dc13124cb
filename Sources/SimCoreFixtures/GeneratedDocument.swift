/// The ground truth of one document made by ``CorpusGenerator``.
///
/// Two documents are a planted duplicate pair exactly when they have the same ``cluster``.
///
/// ```swift
/// var generator = CorpusGenerator(options: CorpusGeneratorOptions(documentCount: 2, seed: 1))
/// var text: [UInt8] = []
/// let truth = generator.generate(into: &text)!   // truth.index == 0, truth.original == 0
/// ```
public struct GeneratedDocument: Sendable, Hashable, Codable {
    /// Position in the generated stream, from 0.
    public var index: Int
    /// The planted cluster: the index of the cluster's original story.
    public var cluster: Int
    /// The edits that made this copy from the original (empty for an original).
    public var edits: CorpusEdits
    /// The index of the story a paragraph was borrowed from (not a duplicate), if any.
    public var borrowedFrom: Int?
    /// Every paragraph that came from a story (its own, reprinted or borrowed), with its bytes:
    /// two documents share text exactly where they hold paragraphs of the same source
    /// (``PassageTruth`` joins them). Headers, footers and appended sentences are not listed.
    public var paragraphs: [PlantedParagraph]

    /// Creates a ground-truth record.
    ///
    /// - Parameters:
    ///   - index: Position in the stream.
    ///   - cluster: Index of the cluster's original.
    ///   - edits: Edits applied to the original.
    ///   - borrowedFrom: Index of a story a paragraph was borrowed from.
    ///   - paragraphs: The paragraphs that came from stories, with their bytes.
    public init(index: Int, cluster: Int, edits: CorpusEdits, borrowedFrom: Int? = nil, paragraphs: [PlantedParagraph] = []) {
        self.index = index
        self.cluster = cluster
        self.edits = edits
        self.borrowedFrom = borrowedFrom
        self.paragraphs = paragraphs
    }

    /// The document's identifier: `g` and the index in at least 8 digits (`g00000042`).
    public var id: String { Self.id(ofIndex: index) }

    /// Whether this document is the original of its cluster.
    public var isOriginal: Bool { index == cluster }

    /// The identifier of the document at `index`: `g` and the index in at least 8 digits.
    ///
    /// - Parameter index: A position in the stream, at least 0.
    /// - Returns: For example `g00000042`.
    public static func id(ofIndex index: Int) -> String {
        let digits = String(index)
        return "g" + String(repeating: "0", count: Swift.max(0, 8 - digits.count)) + digits
    }
}

/// The kinds of edit that turn an original story into a reprint, as real wire reprints show them.
///
/// ```swift
/// let edits: CorpusEdits = [.header, .changedWords]
/// edits.names   // ["header", "changed-words"]
/// ```
public struct CorpusEdits: OptionSet, Sendable, Hashable, Codable {
    /// The bits.
    public let rawValue: UInt16
    /// Creates edits from bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// A different outlet's header: dateline, byline, market ticker.
    public static let header = CorpusEdits(rawValue: 1 << 0)
    /// A different outlet's footer: "Comments (N)", copyright, share links.
    public static let footer = CorpusEdits(rawValue: 1 << 1)
    /// Curly quotes and dashes where the original has straight ones, or the reverse.
    public static let typography = CorpusEdits(rawValue: 1 << 2)
    /// One short paragraph dropped.
    public static let droppedParagraph = CorpusEdits(rawValue: 1 << 3)
    /// Two adjacent paragraphs swapped.
    public static let reorderedParagraphs = CorpusEdits(rawValue: 1 << 4)
    /// Two adjacent paragraphs merged into one.
    public static let mergedParagraphs = CorpusEdits(rawValue: 1 << 5)
    /// A few words replaced.
    public static let changedWords = CorpusEdits(rawValue: 1 << 6)
    /// One or two sentences appended.
    public static let appendedSentences = CorpusEdits(rawValue: 1 << 7)

    /// Every edit with its name, in bit order.
    public static let all: [(edit: CorpusEdits, name: String)] = [
        (.header, "header"), (.footer, "footer"), (.typography, "typography"),
        (.droppedParagraph, "dropped-paragraph"), (.reorderedParagraphs, "reordered-paragraphs"),
        (.mergedParagraphs, "merged-paragraphs"), (.changedWords, "changed-words"),
        (.appendedSentences, "appended-sentences"),
    ]

    /// The names of the edits in this set, in bit order.
    public var names: [String] { Self.all.filter { contains($0.edit) }.map(\.name) }
}
