import SimCommandLine
import SimCore
import SimCoreIO
import SimCoreInternals

/// `simdedup reuse`: a corpus in, one line per pair of documents that share a passage (or, with
/// `--passages`, one line per group of documents carrying the same passage).
///
/// Pair lines (input order: `a` before `b`, pairs by `a` then `b`; byte ranges into each
/// document's original UTF-8, half-open):
/// ```
/// {"a":"001","b":"002","coverage_a":0.41,"coverage_b":0.52,"passages":[{"a":[1201,1673],"b":[2310,2790],"words_a":80,"words_b":81,"similarity":0.96}]}
/// ```
/// Group lines (groups by their first member, members by input order):
/// ```
/// {"passage":1,"documents":3,"members":[{"id":"001","span":[1201,1673],"words":80},…]}
/// ```
public enum ReuseRun {
    /// What a run did, for the summary line.
    public struct Summary: Equatable, Sendable {
        /// Documents accepted.
        public var documents = 0
        /// Records skipped as invalid.
        public var rejected = 0
        /// Bytes of text accepted.
        public var bytes = 0
        /// Boilerplate lines blanked (distinct lines).
        public var boilerplateLines = 0
        /// Pairs of documents sharing at least one passage.
        public var pairs = 0
        /// Passages over all pairs.
        public var passages = 0
        /// Passage groups (with `--passages`).
        public var groups: Int?
        /// Wall-clock seconds.
        public var seconds = 0.0

        /// The summary line printed on standard error (without a newline).
        public var description: String {
            let rate = seconds > 0 ? Double(documents) / seconds : 0
            let megabytesPerSecond = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
            return "simdedup: \(grouped(documents + rejected)) documents in, \(grouped(rejected)) rejected, "
                + "\(grouped(pairs)) pairs share \(grouped(passages)) passages\(groups.map { " in \(grouped($0)) groups" } ?? ""); "
                + "\(formatted(seconds, 2)) s, \(groupedRate(rate)) docs/s, \(formatted(megabytesPerSecond, 1)) MB/s"
        }
    }

    /// Reads every document, finds boilerplate if asked, finds reuse and writes it.
    ///
    /// - Parameters:
    ///   - reader: The documents.
    ///   - options: Alignment and the document-frequency cap.
    ///   - boilerplate: The boilerplate flags (`auto` by default).
    ///   - groups: Write passage groups instead of pairs.
    ///   - threads: Worker threads.
    ///   - io: Output and messages.
    ///   - progress: The progress display while reading (default: none).
    /// - Returns: The summary.
    /// - Throws: ``CommandError`` (status 1) at the first bad record when not skipping, or when
    ///   the inputs hold no document; ``OutputError`` when output fails.
    public static func run(
        reader: CorpusReader, options: ReuseOptions, boilerplate: BoilerplateOptionGroup, groups: Bool, threads: Int,
        io: CommandIO, progress: ProgressDisplay? = nil
    ) throws -> Summary {
        let clock = ContinuousClock()
        let start = clock.now
        var summary = Summary()
        var documents: [Document] = []
        var ids: [DocumentID] = []
        let input = CommandInput(reader: reader, io: io, tool: "simdedup", progress: progress)
        var unique = UniqueIDs()
        while let record = try input.next() {
            guard try unique.admit(record, input: input) else { continue }
            ids.append(record.id)
            summary.bytes += record.document.utf8.count
            documents.append(record.document)
        }
        try input.finish()
        summary.documents = documents.count
        summary.rejected = input.rejectedCount
        if boilerplate.isOn(defaultMode: .auto) {
            let (model, blanked) = try boilerplate.blanking(documents, threads: threads, io: io, tool: "simdedup")
            summary.boilerplateLines = model.lines.count
            documents = blanked
        }
        let pairs = ReuseIndex.pairs(in: documents, options: options, threads: threads)
        summary.pairs = pairs.count
        summary.passages = pairs.reduce(0) { $0 + $1.alignment.passages.count }
        var line: [UInt8] = []
        if groups {
            let found = PassageGroup.groups(of: pairs)
            summary.groups = found.count
            for (number, group) in found.enumerated() {
                line.removeAll(keepingCapacity: true)
                appendGroup(group, number: number + 1, ids: ids, to: &line)
                try io.standardOutput.write(bytes: line)
            }
        } else {
            // Lines are formatted on all cores, a window of pairs at a time, and written in order.
            let window = 4_096 * Swift.max(1, threads), ids = ids
            for start in stride(from: 0, to: pairs.count, by: window) {
                let slice = pairs[start..<Swift.min(pairs.count, start + window)]
                let formatted = concurrentChunks(count: slice.count, threads: threads, minimumChunk: 512) { range in
                    var bytes: [UInt8] = []
                    for pair in slice[(slice.startIndex + range.lowerBound)..<(slice.startIndex + range.upperBound)] {
                        appendPair(pair.alignment, a: ids[pair.first], b: ids[pair.second], to: &bytes)
                    }
                    return bytes
                }
                for bytes in formatted { try io.standardOutput.write(bytes: bytes) }
            }
        }
        summary.seconds = (clock.now - start).seconds
        return summary
    }

    /// Appends one pair line: ids, coverage, passages, and a newline.
    ///
    /// - Parameters:
    ///   - alignment: The pair's alignment (`a` is side A).
    ///   - a: The first document's id.
    ///   - b: The second document's id.
    ///   - line: The buffer.
    public static func appendPair(_ alignment: Alignment, a: DocumentID, b: DocumentID, to line: inout [UInt8]) {
        line.append(contentsOf: #"{"a":"#.utf8)
        a.appendJSON(to: &line)
        line.append(contentsOf: #","b":"#.utf8)
        b.appendJSON(to: &line)
        line.append(contentsOf: ",\"coverage_a\":\(alignment.coverageA),\"coverage_b\":\(alignment.coverageB),\"passages\":[".utf8)
        for (number, passage) in alignment.passages.enumerated() {
            if number > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: ("{\"a\":[\(passage.bytesA.lowerBound),\(passage.bytesA.upperBound)],"
                + "\"b\":[\(passage.bytesB.lowerBound),\(passage.bytesB.upperBound)],"
                + "\"words_a\":\(passage.wordsA.count),\"words_b\":\(passage.wordsB.count),"
                + "\"similarity\":\(passage.similarity)}").utf8)
        }
        line.append(contentsOf: "]}\n".utf8)
    }

    private static func appendGroup(_ group: PassageGroup, number: Int, ids: [DocumentID], to line: inout [UInt8]) {
        line.append(contentsOf: "{\"passage\":\(number),\"documents\":\(group.documentCount),\"members\":[".utf8)
        for (position, member) in group.members.enumerated() {
            if position > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: #"{"id":"#.utf8)
            ids[member.document].appendJSON(to: &line)
            line.append(contentsOf: ",\"span\":[\(member.bytes.lowerBound),\(member.bytes.upperBound)],\"words\":\(member.words.count)}".utf8)
        }
        line.append(contentsOf: "]}\n".utf8)
    }
}
