import SimCoreIO

/// A command's corpus input: records one at a time from a ``CorpusReader``, each skipped record
/// reported on standard error as soon as it is passed over (`simdedup: skipped FILE:LINE: why`),
/// and a bad record or unreadable file turned into exit status 1.
///
/// ```swift
/// let input = CommandInput(reader: CorpusReader(paths: ["corpus.jsonl"]), io: io, tool: "simdedup")
/// while let record = try input.next() { … }
/// ```
public final class CommandInput {
    /// The reader (its options decide whether bad records fail or are skipped).
    public let reader: CorpusReader
    private let io: CommandIO
    private let tool: String
    private var reported = 0
    private var commandRejects = 0

    /// Wraps `reader`.
    ///
    /// - Parameters:
    ///   - reader: The corpus reader.
    ///   - io: Where skipped records are reported.
    ///   - tool: The prefix of those messages, e.g. `simdedup`.
    public init(reader: CorpusReader, io: CommandIO, tool: String) {
        self.reader = reader
        self.io = io
        self.tool = tool
    }

    /// The next record, or `nil` at the end of every input.
    ///
    /// - Parameter progress: A progress line to clear before any message is written.
    /// - Returns: The record.
    /// - Throws: ``CommandError`` (exit status 1) for a bad record under the `fail` policy or an
    ///   input that cannot be read.
    public func next(clearing progress: ProgressBar? = nil) throws(CommandError) -> CorpusRecord? {
        let record: CorpusRecord?
        do {
            record = try reader.nextRecord()
        } catch {
            progress?.finish()
            throw CommandError.corpus(error)
        }
        while reported < reader.rejected.count {
            progress?.finish()
            io.message("\(tool): skipped \(reader.rejected[reported])")
            reported += 1
        }
        return record
    }

    /// Refuses a record the reader accepted but the command cannot take (an id seen before):
    /// under the reader's `skip` policy it is reported like the reader's own rejects and
    /// counted; otherwise it ends the command.
    ///
    /// - Parameters:
    ///   - error: Why, naming the record's `file:line`.
    ///   - progress: A progress line to clear before the message.
    /// - Throws: ``CommandError`` (exit status 1) unless bad records are skipped.
    public func reject(_ error: CorpusError, clearing progress: ProgressBar? = nil) throws(CommandError) {
        guard reader.options.invalidInput == .skip else {
            progress?.finish()
            throw CommandError.corpus(error)
        }
        progress?.finish()
        io.message("\(tool): skipped \(error)")
        commandRejects += 1
    }

    /// Records skipped so far, by the reader and by ``reject(_:clearing:)``.
    public var rejectedCount: Int { reader.rejected.count + commandRejects }
}
