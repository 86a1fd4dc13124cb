import SimCore

/// A deterministic generator of news-like corpora with planted near-duplicate clusters.
///
/// Each new story is English-like text (function words and seeded pseudo-words drawn with a
/// Zipf-like 1/rank distribution) in sentences of 8 to 24 words, some quoting a named speaker or
/// broken by a dash, in paragraphs of 2 to 5 sentences, until the story body reaches a length
/// drawn from the options' range. A story is then, with ``CorpusGeneratorOptions/reprintProbability``,
/// followed by 1 to `maximumClusterSize - 1` reprints made with the edits real reprints show
/// (``CorpusEdits``): another outlet's header (dateline, byline, market ticker) and footer
/// ("Comments (N)", copyright), curly instead of straight quotes and dashes, a short paragraph
/// (at most 10% of the words) dropped, two paragraphs swapped or merged, a few words changed
/// (1 to 6 by default, ``CorpusGeneratorOptions/changedWordCount``), one or two sentences
/// appended. Stories also borrow a paragraph from an earlier unrelated story
/// (``CorpusGeneratorOptions/paragraphReuseProbability``), which is shared text but no duplicate.
///
/// With the default options, on word 5-grams with the default normalization, every planted pair
/// has a Jaccard similarity of at least 0.5 and every other pair stays far below it (about 0.1 at
/// most), which the tests check with ``ExactAllPairs``. Short stories with more changed words
/// bring planted pairs down towards any threshold a test needs.
///
/// Output is identical on every machine for the same options: every choice comes from one
/// ``SplitMix64`` seeded with ``CorpusGeneratorOptions/seed``. The generator holds one story
/// and a pool of 256 paragraphs, so memory stays constant for any corpus size.
///
/// ```swift
/// var generator = CorpusGenerator(options: CorpusGeneratorOptions(documentCount: 3, seed: 1))
/// var text: [UInt8] = []
/// while let truth = generator.generate(into: &text) {
///     print(truth.id, truth.cluster, text.count)   // g00000000 0 6120 ...
///     text.removeAll(keepingCapacity: true)
/// }
/// ```
public struct CorpusGenerator {
    /// The options this generator follows.
    public let options: CorpusGeneratorOptions
    let vocabulary: _GeneratorVocabulary
    private var random: SplitMix64
    private var nextIndex = 0
    private var story: [[UInt32]] = []
    /// Where each paragraph of ``story`` comes from, and which copy of it this is.
    private var storyParts: [_ParagraphPart] = []
    private var storyCurly = false
    private var clusterOriginal = 0
    private var copiesLeft = 0
    private var pool: [(story: Int, paragraph: [UInt32], part: _ParagraphPart)] = []
    private var poolCursor = 0
    private var paragraphScratch: [UInt8] = []

    /// Creates a generator that starts at document `firstDocument`.
    ///
    /// Starting at a block boundary gives exactly the documents a generator started at 0 gives
    /// from there on, so blocks can be generated on different threads and concatenated.
    ///
    /// - Parameters:
    ///   - options: Size, seed and shape of the corpus.
    ///   - firstDocument: A multiple of ``CorpusGeneratorOptions/blockSize`` (default 0).
    /// - Complexity: O(`vocabularySize`) to build the vocabulary (a few milliseconds).
    public init(options: CorpusGeneratorOptions, firstDocument: Int = 0) {
        self.init(options: options, vocabulary: _GeneratorVocabulary(size: options.vocabularySize, seed: options.seed),
                  firstDocument: firstDocument)
    }

    /// Creates a generator that reuses a vocabulary built for the same options (it depends only on
    /// ``CorpusGeneratorOptions/vocabularySize`` and ``CorpusGeneratorOptions/seed``).
    init(options: CorpusGeneratorOptions, vocabulary: _GeneratorVocabulary, firstDocument: Int) {
        precondition(firstDocument >= 0 && firstDocument % options.blockSize == 0, "firstDocument must start a block")
        self.options = options
        self.vocabulary = vocabulary
        self.random = SplitMix64(seed: options.seed)
        self.nextIndex = firstDocument
    }

    /// How many documents are left to generate.
    public var remaining: Int { options.documentCount - nextIndex }

    /// Appends the next document's UTF-8 text to `text` and returns its ground truth.
    ///
    /// - Parameters:
    ///   - text: A buffer the document is appended to (clear it between documents).
    /// - Returns: The document's ground truth, or `nil` after ``CorpusGeneratorOptions/documentCount``
    ///   documents.
    /// - Complexity: O(n) in the document's length; no allocation per word.
    public mutating func generate(into text: inout [UInt8]) -> GeneratedDocument? {
        guard nextIndex < options.documentCount else { return nil }
        let index = nextIndex
        nextIndex += 1
        if index % options.blockSize == 0 { startBlock(index / options.blockSize) }
        if copiesLeft > 0 {
            copiesLeft -= 1
            return reprint(index: index, into: &text)
        }
        return newStory(index: index, into: &text)
    }

    /// The next document and its ground truth, or `nil` when done.
    ///
    /// - Returns: A ``Document`` whose id is ``GeneratedDocument/id`` and its ground truth.
    public mutating func next() -> (document: Document, truth: GeneratedDocument)? {
        var text: [UInt8] = []
        guard let truth = generate(into: &text) else { return nil }
        return (Document(id: truth.id, utf8: text), truth)
    }

    // MARK: Stories

    /// Reseeds from (seed, block) and forgets the previous block's story and paragraphs.
    private mutating func startBlock(_ block: Int) {
        var mixer = SplitMix64(seed: options.seed &+ UInt64(block) &* 0xD1B5_4A32_D192_ED03)
        random = SplitMix64(seed: mixer.next())
        pool.removeAll(keepingCapacity: true)
        poolCursor = 0
        copiesLeft = 0
    }

    private mutating func newStory(index: Int, into text: inout [UInt8]) -> GeneratedDocument {
        let span = UInt64(options.maximumStoryBytes - options.minimumStoryBytes + 1)
        let target = options.minimumStoryBytes + Int(truncatingIfNeeded: random.next().multipliedFullWidth(by: span).high)
        story.removeAll(keepingCapacity: true)
        storyParts.removeAll(keepingCapacity: true)
        var bytes = 0
        while bytes < target {
            var paragraph: [UInt32] = []
            for _ in 0..<(2 + uniform(4)) { appendSentence(to: &paragraph) }
            bytes += estimatedBytes(paragraph)
            storyParts.append(_ParagraphPart(source: ParagraphSource(story: index, paragraph: story.count), copy: 0, tokens: paragraph.count))
            story.append(paragraph)
        }
        var borrowedFrom: Int?
        if !pool.isEmpty && chance(options.paragraphReuseProbability) {
            let entry = pool[uniform(pool.count)]
            borrowedFrom = entry.story
            var paragraph = entry.paragraph
            var part = entry.part
            // Drawn only when asked for, so that default corpora stay byte-identical.
            if options.reusedParagraphEditProbability > 0 && chance(options.reusedParagraphEditProbability)
                && editLightly(&paragraph) {
                part.copy = index + 1
            }
            part.tokens = paragraph.count
            let position = 1 + uniform(story.count)
            story.insert(paragraph, at: position)
            storyParts.insert(part, at: position)
        }
        for _ in 0..<2 {
            let pick = uniform(story.count)
            let entry = (index, story[pick], storyParts[pick])
            if pool.count < 256 { pool.append(entry) } else { pool[poolCursor] = entry }
            poolCursor = (poolCursor + 1) % 256
        }
        clusterOriginal = index
        copiesLeft = chance(options.reprintProbability) ? 1 + uniform(options.maximumClusterSize - 1) : 0
        storyCurly = chance(0.5)
        var planted: [PlantedParagraph] = []
        _ = render(story, parts: storyParts.map { [$0] }, curly: storyCurly, into: &text, planted: &planted)
        return GeneratedDocument(index: index, cluster: index, edits: [], borrowedFrom: borrowedFrom, paragraphs: planted)
    }

    /// Edits a borrowed paragraph lightly, as a rewriting outlet does: one to three words
    /// replaced, a clause of three to six words dropped, or one to three words inserted.
    /// Returns whether the text changed.
    private mutating func editLightly(_ paragraph: inout [UInt32]) -> Bool {
        let words = paragraph.indices.filter { paragraph[$0] < Self.special }
        guard words.count >= 12 else { return false }
        let before = paragraph
        switch uniform(3) {
        case 0:
            for _ in 0..<(1 + uniform(3)) {
                let position = words[uniform(words.count)]
                paragraph[position] = (paragraph[position] & Self.capital) | vocabulary.sampleWord(&random)
            }
        case 1:
            // A clause inside the paragraph, never its first word (which may carry a capital).
            let length = 3 + uniform(4)
            let start = 1 + uniform(words.count - length - 1)
            paragraph.removeSubrange(words[start]...words[start + length - 1])
        default:
            let position = words[1 + uniform(words.count - 1)]
            var inserted: [UInt32] = []
            for _ in 0..<(1 + uniform(3)) { inserted.append(vocabulary.sampleWord(&random)) }
            paragraph.insert(contentsOf: inserted, at: position)
        }
        return paragraph != before
    }

    private mutating func reprint(index: Int, into text: inout [UInt8]) -> GeneratedDocument {
        var paragraphs = story
        // Each paragraph's parts (two after a merge), mirrored through every paragraph edit.
        var parts = storyParts.map { [$0] }
        var edits: CorpusEdits = []
        let totalWords = paragraphs.reduce(0) { $0 + $1.count }
        if paragraphs.count >= 4 && chance(options.paragraphEditProbability) {
            let short = paragraphs.indices.filter { paragraphs[$0].count * 10 <= totalWords }
            if !short.isEmpty {
                let dropped = short[uniform(short.count)]
                paragraphs.remove(at: dropped)
                parts.remove(at: dropped)
                edits.insert(.droppedParagraph)
            }
        }
        if paragraphs.count >= 2 && chance(options.paragraphEditProbability) {
            let first = uniform(paragraphs.count - 1)
            paragraphs.swapAt(first, first + 1)
            parts.swapAt(first, first + 1)
            edits.insert(.reorderedParagraphs)
        }
        if paragraphs.count >= 2 && chance(options.paragraphEditProbability) {
            let first = uniform(paragraphs.count - 1)
            paragraphs[first].append(contentsOf: paragraphs.remove(at: first + 1))
            parts[first].append(contentsOf: parts.remove(at: first + 1))
            edits.insert(.mergedParagraphs)
        }
        if chance(options.changedWordsProbability) {
            let changes = options.changedWordCount.lowerBound + uniform(options.changedWordCount.count)
            for _ in 0..<changes {
                let row = uniform(paragraphs.count)
                let column = uniform(paragraphs[row].count)
                let token = paragraphs[row][column]
                guard token < Self.special else { continue }
                paragraphs[row][column] = (token & Self.capital) | vocabulary.sampleWord(&random)
                if paragraphs[row][column] != token {
                    var part = 0
                    var end = parts[row][0].tokens
                    while column >= end {
                        part += 1
                        end += parts[row][part].tokens
                    }
                    parts[row][part].copy = index + 1
                }
            }
            if changes > 0 { edits.insert(.changedWords) }
        }
        if chance(options.appendedSentencesProbability) {
            var added: [UInt32] = []
            for _ in 0..<(1 + uniform(2)) { appendSentence(to: &added, maximumWords: 16) }
            paragraphs.append(added)
            parts.append([_ParagraphPart(source: nil, copy: 0, tokens: added.count)])
            edits.insert(.appendedSentences)
        }
        let curly = chance(0.5)
        if curly != storyCurly { edits.insert(.typography) }
        var planted: [PlantedParagraph] = []
        edits.formUnion(render(paragraphs, parts: parts, curly: curly, into: &text, planted: &planted))
        return GeneratedDocument(index: index, cluster: clusterOriginal, edits: edits, paragraphs: planted)
    }

    // MARK: Sentences

    static let special: UInt32 = 0xFFFF_FF00
    static let period: UInt32 = special
    static let comma: UInt32 = special + 1
    static let openQuote: UInt32 = special + 2
    static let closeQuote: UInt32 = special + 3
    static let dash: UInt32 = special + 4
    static let capital: UInt32 = 1 << 30
    static let said = UInt32(_GeneratorVocabulary.commonWords.firstIndex(of: "said")!)

    private mutating func appendSentence(to paragraph: inout [UInt32], maximumWords: Int = 24) {
        let words = 8 + uniform(maximumWords - 7)
        let kind = uniform(20)
        if kind < 3 { paragraph.append(Self.openQuote) }
        for position in 0..<words {
            if kind >= 3 && kind < 6 && position == words / 2 { paragraph.append(Self.dash) }
            let bits = random.next()
            let word = vocabulary.word(bits: bits)
            paragraph.append(position == 0 ? word | Self.capital : word)
            // The 11 low bits the word did not use: a comma after about 1 word in 14.
            if position + 1 < words && position > 1 && bits & 0x7FF < 146 { paragraph.append(Self.comma) }
        }
        if kind < 3 {
            paragraph.append(Self.comma)
            paragraph.append(Self.closeQuote)
            paragraph.append(Self.said)
            paragraph.append(vocabulary.sampleName(&random))
            paragraph.append(vocabulary.sampleName(&random))
        }
        paragraph.append(Self.period)
    }

    private func estimatedBytes(_ paragraph: [UInt32]) -> Int {
        var bytes = 2
        for token in paragraph where token < Self.special {
            bytes += 1 + vocabulary.length(of: Int(token & ~Self.capital))
        }
        return bytes
    }

    // MARK: Rendering

    static let outlets = [
        "Wire Daily", "The Morning Ledger", "Global Courier", "Metro Post", "Continental Herald",
        "Pacific Tribune", "Northern Star", "Capital Gazette",
    ]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    /// Renders boilerplate and paragraphs; returns the boilerplate edits it added, and appends
    /// to `planted` the bytes of every paragraph part that has a source.
    private mutating func render(
        _ paragraphs: [[UInt32]], parts: [[_ParagraphPart]], curly: Bool, into text: inout [UInt8],
        planted: inout [PlantedParagraph]
    ) -> CorpusEdits {
        var edits: CorpusEdits = []
        let newline: [UInt8] = [0x0A]
        let outlet = Self.outlets[uniform(Self.outlets.count)]
        if chance(options.headerProbability) {
            edits.insert(.header)
            if chance(0.8) {
                text.append(contentsOf: "By ".utf8)
                appendWord(vocabulary.sampleName(&random), to: &text)
                text.append(0x20)
                appendWord(vocabulary.sampleName(&random), to: &text)
                text.append(contentsOf: ", ".utf8)
                text.append(contentsOf: outlet.utf8)
                text.append(contentsOf: newline)
            }
            text.append(contentsOf: outlet.utf8)
            text.append(contentsOf: " | ".utf8)
            text.append(contentsOf: Self.months[uniform(12)].utf8)
            text.append(0x20)
            appendNumber(1 + uniform(28), to: &text)
            text.append(contentsOf: ", 2026 ".utf8)
            appendNumber(10 + uniform(14), to: &text)
            text.append(0x3A)
            appendNumber(10 + uniform(50), to: &text)
            text.append(contentsOf: " GMT".utf8)
            text.append(contentsOf: newline)
            if chance(0.4) {
                for (position, ticker) in ["DJIA", "S&P 500", "NASDAQ", "FTSE 100"].enumerated() {
                    text.append(contentsOf: position == 0 ? "Markets: ".utf8 : " | ".utf8)
                    text.append(contentsOf: ticker.utf8)
                    text.append(contentsOf: chance(0.5) ? " +".utf8 : " -".utf8)
                    appendNumber(uniform(3), to: &text)
                    text.append(0x2E)
                    appendNumber(10 + uniform(90), to: &text)
                    text.append(0x25)
                }
                text.append(contentsOf: newline)
            }
            text.append(contentsOf: newline)
        }
        for (number, paragraph) in paragraphs.enumerated() {
            if number > 0 { text.append(contentsOf: newline + newline) }
            let start = text.count
            appendParagraph(paragraph, curly: curly, to: &text)
            // A merged paragraph's second part starts one space after the first part's bytes.
            var partStart = start
            var tokensBefore = 0
            for (partNumber, part) in parts[number].enumerated() {
                tokensBefore += part.tokens
                let partEnd = partNumber == parts[number].count - 1
                    ? text.count : start + renderedLength(paragraph[0..<tokensBefore], curly: curly)
                if let source = part.source {
                    planted.append(PlantedParagraph(source: source, copy: part.copy, bytes: partStart..<partEnd))
                }
                partStart = partEnd + 1
            }
        }
        text.append(contentsOf: newline)
        if chance(options.footerProbability) {
            edits.insert(.footer)
            text.append(contentsOf: newline)
            text.append(contentsOf: "Comments (".utf8)
            appendNumber(uniform(500), to: &text)
            text.append(0x29)
            text.append(contentsOf: newline)
            text.append(contentsOf: curly ? "© 2026 ".utf8 : "(c) 2026 ".utf8)
            text.append(contentsOf: outlet.utf8)
            text.append(contentsOf: ". All rights reserved. Share this article: Facebook, X, Email".utf8)
            text.append(contentsOf: newline)
        }
        return edits
    }

    /// The bytes `tokens` take when written as a paragraph (the rare path of merged paragraphs).
    private mutating func renderedLength(_ tokens: ArraySlice<UInt32>, curly: Bool) -> Int {
        var scratch: [UInt8] = []
        appendParagraph(Array(tokens), curly: curly, to: &scratch)
        return scratch.count
    }

    private mutating func appendParagraph(_ paragraph: [UInt32], curly: Bool, to text: inout [UInt8]) {
        var bound = 0
        for token in paragraph {
            bound += token >= Self.special ? 5 : 1 + vocabulary.length(of: Int(token & ~Self.capital))
        }
        bound += _GeneratorVocabulary.padding
        // The paragraph is written into a scratch buffer that only ever grows, then copied: no
        // zero-filling of `text` per paragraph, which debug builds (the tests) ran byte by byte.
        if paragraphScratch.count < bound { paragraphScratch = [UInt8](repeating: 0, count: Swift.max(bound, 2 * paragraphScratch.count)) }
        let vocabulary = self.vocabulary
        let end = paragraphScratch.withUnsafeMutableBufferPointer { output in
            vocabulary.bytes.withUnsafeBufferPointer { bytes in
                vocabulary.offsets.withUnsafeBufferPointer { offsets in
                    paragraph.withUnsafeBufferPointer { tokens in
                        Self._writeParagraph(tokens, words: bytes, offsets: offsets, curly: curly, into: output.baseAddress!)
                    }
                }
            }
        }
        text.append(contentsOf: paragraphScratch[..<end])
    }

    /// Writes a paragraph's tokens as text at `output` and returns the bytes written.
    ///
    /// At most 5 bytes per special token (` — ` is 5) and
    /// 1 + length per word (a separating space), plus 32 bytes of slack for the block copies of
    /// the last word, which is the bound the caller reserves.
    static func _writeParagraph(
        _ tokens: UnsafeBufferPointer<UInt32>, words: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int32>,
        curly: Bool, into output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var cursor = 0
        var space = false
        // SAFETY: the caller reserved 5 bytes per special token, 1 + length per word and 32 bytes
        // of slack; each case writes at most that, and a word's block copy writes at most 31
        // bytes past its end (words are under 32 bytes), which the next token overwrites or the
        // slack absorbs. Reads stay inside `words` because the vocabulary pads it with 32 zero
        // bytes; word ids index `offsets` because the vocabulary made them.
        @inline(__always) func put(_ byte: UInt8) {
            output[cursor] = byte
            cursor &+= 1
        }
        @inline(__always) func quote(_ curlyLast: UInt8) {
            if curly {
                put(0xE2); put(0x80); put(curlyLast)
            } else {
                put(0x22)
            }
        }
        for token in tokens {
            switch token {
            case period: put(0x2E); space = true
            case comma: put(0x2C); space = true
            case openQuote:
                if space { put(0x20) }
                quote(0x9C)
                space = false
            case closeQuote: quote(0x9D); space = true
            case dash:
                put(0x20)
                if curly { put(0xE2); put(0x80); put(0x94) } else { put(0x2D); put(0x2D) }
                put(0x20)
                space = false
            default:
                if space { put(0x20) }
                let id = Int(token & ~capital)
                let start = Int(offsets[id])
                let count = Int(offsets[id &+ 1]) &- start
                // 16-byte block copies: words are short, and a libc call per word cost more
                // than the copy. The bytes written past `count` are overwritten or trimmed.
                var copied = 0
                repeat {
                    let block = UnsafeRawPointer(words.baseAddress! + start + copied).loadUnaligned(as: SIMD16<UInt8>.self)
                    UnsafeMutableRawPointer(output + cursor + copied).storeBytes(of: block, as: SIMD16<UInt8>.self)
                    copied &+= 16
                } while copied < count
                if token & capital != 0, output[cursor] >= 0x61, output[cursor] <= 0x7A { output[cursor] &-= 0x20 }
                cursor &+= count
                space = true
            }
        }
        return cursor
    }

    private func appendWord(_ token: UInt32, to text: inout [UInt8]) {
        let id = Int(token & ~Self.capital)
        let start = Int(vocabulary.offsets[id])
        let end = Int(vocabulary.offsets[id + 1])
        vocabulary.bytes.withUnsafeBufferPointer { bytes in
            if token & Self.capital != 0 {
                let first = bytes[start]
                text.append(first >= 0x61 && first <= 0x7A ? first &- 0x20 : first)
                text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]))
            } else {
                text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            }
        }
    }

    private func appendNumber(_ value: Int, to text: inout [UInt8]) {
        if value >= 10 { appendNumber(value / 10, to: &text) }
        text.append(UInt8(0x30 + value % 10))
    }

    // MARK: Random choices

    private mutating func uniform(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: random.next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    private mutating func chance(_ probability: Double) -> Bool {
        Double(random.next() >> 11) * 0x1p-53 < probability
    }
}

/// Where a paragraph of a generated document comes from: a story and its paragraph's position
/// when the story was first written. Two documents that hold paragraphs of the same source share
/// that text (reprinted, borrowed, possibly lightly edited).
public struct ParagraphSource: Sendable, Hashable, Codable {
    /// The index of the document that first had the paragraph.
    public var story: Int
    /// The paragraph's position in that story, from 0.
    public var paragraph: Int

    /// Creates a source.
    ///
    /// - Parameters:
    ///   - story: Index of the first document holding it.
    ///   - paragraph: Its position there.
    public init(story: Int, paragraph: Int) {
        self.story = story
        self.paragraph = paragraph
    }
}

/// One paragraph (or one part of a merged paragraph) of a generated document that came from a
/// story: its source, which copy of the text it is, and its bytes in the document.
///
/// ```swift
/// let paragraph = corpus.truth[3].paragraphs[0]
/// corpus.documents[3].utf8[paragraph.bytes]   // the paragraph's text, first word to final period
/// ```
public struct PlantedParagraph: Sendable, Hashable, Codable {
    /// The story paragraph it reproduces.
    public var source: ParagraphSource
    /// 0 for the text as first written; otherwise 1 + the index of the document whose edit made
    /// this wording. Two copies with the same source and copy are word for word the same.
    public var copy: Int
    /// Its bytes in the document: from the first byte of its first word to its final period.
    public var bytes: Range<Int>

    /// Creates a planted paragraph.
    ///
    /// - Parameters:
    ///   - source: The story paragraph.
    ///   - copy: Which wording (0: the original).
    ///   - bytes: Its bytes in the document.
    public init(source: ParagraphSource, copy: Int, bytes: Range<Int>) {
        self.source = source
        self.copy = copy
        self.bytes = bytes
    }
}

/// A paragraph part while a document is being made: its source (`nil` for sentences a reprint
/// appended), which wording, and how many tokens it has.
struct _ParagraphPart: Sendable, Hashable {
    var source: ParagraphSource?
    var copy: Int
    var tokens: Int
}
