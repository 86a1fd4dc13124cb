import SimCommandLine
import SimCore
import SimCoreIO

/// `simdedup bands`: documents in, one `{"id": …, "bands": […]}` line out per document, in order.
///
/// Output format (one line per accepted input record, same order, no spaces):
/// ```
/// {"id":"doc-1","bands":[-8125362135012436522,412233889713004151,…]}
/// {"id":42,"bands":[]}
/// ```
/// `id` is echoed as given (a JSON string, or a JSON number's literal text); `bands` holds
/// ``BandingParameters/bandCount`` signed 64-bit integers, band 0 first (empty when the text has
/// no shingles). Memory is bounded by the longest line: records are read, encoded and written
/// one at a time.
public enum BandStream {
    /// What a run read.
    public struct Outcome: Equatable, Sendable {
        /// Records written.
        public var documents = 0
        /// Records skipped as invalid (only with `.skip`).
        public var rejected = 0
    }

    /// Streams `reader`'s documents to `output` as band-key lines.
    ///
    /// - Parameters:
    ///   - reader: The documents (its options decide whether bad records fail or are skipped).
    ///   - scheme: The signature scheme.
    ///   - banding: The bands and rows.
    ///   - shingling: The shingling options.
    ///   - io: Receives the lines, and one message per skipped record.
    ///   - progress: The progress display (bytes of input), if any.
    /// - Returns: The counts.
    /// - Throws: ``CommandError`` (exit status 1) at the first bad record when not skipping, or
    ///   when the input holds no document; ``OutputError`` when output fails.
    public static func run(
        reader: CorpusReader, scheme: some SignatureScheme, banding: BandingParameters, shingling: ShinglingOptions,
        io: CommandIO, progress: ProgressDisplay? = nil
    ) throws -> Outcome {
        let encoder = BandEncoder(scheme: scheme, banding: banding, shingling: shingling)
        var keys: [UInt64] = []
        var line: [UInt8] = []
        var outcome = Outcome()
        let input = CommandInput(reader: reader, io: io, tool: "simdedup", progress: progress)
        while let record = try input.next() {
            encoder.keys(ofUTF8: record.document.utf8, into: &keys)
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: #"{"id":"#.utf8)
            record.id.appendJSON(to: &line)
            line.append(contentsOf: #","bands":["#.utf8)
            for (index, key) in keys.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                JSONText.appendInteger(Int64(bitPattern: key), to: &line)
            }
            line.append(contentsOf: "]}\n".utf8)
            try io.standardOutput.write(bytes: line)
            outcome.documents += 1
        }
        try input.finish()
        outcome.rejected = input.rejectedCount
        return outcome
    }
}
