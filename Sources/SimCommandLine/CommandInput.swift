import SimCore
import SimCoreIO

/// A command's corpus input: records one at a time from a ``CorpusReader``, with progress (bytes
/// of input against the files' sizes), each skipped record reported on standard error as soon as
/// it is passed over (`simdedup: skipped FILE:LINE: why`), a bad record or unreadable file turned
/// into exit status 1, and no documents at all an error too (``finish()``).
///
/// ```swift
/// let input = CommandInput(reader: CorpusReader(paths: ["corpus.jsonl"]), io: io, tool: "simdedup", progress: progress)
/// while let record = try input.next() { … }
/// try input.finish()   // exit status 1 when nothing was read
/// ```
public final class CommandInput {
    /// The reader (its options decide whether bad records fail or are skipped).
    public let reader: CorpusReader
    private let io: CommandIO
    private let tool: String
    private let progress: ProgressDisplay?
    private var reported = 0
    private var started = false
    private var commandRejects = 0
    /// Documents handed out so far (less those the command refused, ``reject(_:_:)``).
    public private(set) var documents = 0
    /// UTF-8 bytes of the documents handed out so far.
    public private(set) var textBytes = 0

    /// Wraps `reader`.
    ///
    /// - Parameters:
    ///   - reader: The corpus reader.
    ///   - io: Where skipped records are reported.
    ///   - tool: The prefix of those messages, e.g. `simdedup`.
    ///   - progress: The progress display to drive (task `reading`, in bytes of input), if any.
    public init(reader: CorpusReader, io: CommandIO, tool: String, progress: ProgressDisplay? = nil) {
        self.reader = reader
        self.io = io
        self.tool = tool
        self.progress = progress
    }

    /// The next record, or `nil` at the end of every input.
    ///
    /// - Returns: The record.
    /// - Throws: ``CommandError`` (exit status 1) for a bad record under the `fail` policy or an
    ///   input that cannot be read; a missing field's message names the flag that renames it.
    public func next() throws(CommandError) -> CorpusRecord? {
        let record: CorpusRecord?
        do {
            if !started {
                started = true
                try reader.plan()
                progress?.start("reading", total: reader.inputBytes, unit: .bytes(itemName: "documents"), unknownTotalReason: "standard input")
            }
            record = try reader.nextRecord()
        } catch {
            progress?.finish()
            throw CommandError(Self.describe(error, options: reader.options))
        }
        while reported < reader.rejected.count {
            let line = "\(tool): skipped \(reader.rejected[reported])"
            if let progress { progress.message(line) } else { io.message(line) }
            reported += 1
        }
        if let record {
            documents += 1
            textBytes += record.document.utf8.count
            progress?.update(reader.inputBytesRead, items: documents)
        }
        return record
    }

    /// Ends reading: clears the progress line, and fails when no document was read.
    ///
    /// - Throws: ``CommandError`` (exit status 1) `no documents in INPUTS` (with the rejects, if
    ///   any): a run over nothing is never a silent success.
    public func finish() throws(CommandError) {
        progress?.finish()
        guard documents == 0 else { return }
        let inputs = reader.paths.map { $0 == "-" ? "standard input" : $0 }.joined(separator: ", ")
        let rejects = rejectedCount > 0 ? " (\(rejectedCount) record\(rejectedCount == 1 ? "" : "s") skipped as invalid)" : ""
        throw CommandError("no documents in \(inputs)\(rejects)")
    }

    /// Refuses the record ``next()`` just returned, which the reader accepted but the command
    /// cannot take (an id seen before): under the reader's `skip` policy it is reported like the
    /// reader's own rejects and counted; otherwise it ends the command.
    ///
    /// ```swift
    /// if seen.contains(record.id) { try input.reject(record, CorpusError(path: record.path, line: record.line, reason: …)) }
    /// ```
    ///
    /// - Parameters:
    ///   - record: The record, no longer counted in ``documents`` and ``textBytes``.
    ///   - error: Why, naming the record's `file:line`.
    /// - Throws: ``CommandError`` (exit status 1) unless bad records are skipped.
    public func reject(_ record: CorpusRecord, _ error: CorpusError) throws(CommandError) {
        documents -= 1
        textBytes -= record.document.utf8.count
        guard reader.options.invalidInput == .skip else {
            progress?.finish()
            throw CommandError(error.description)
        }
        let line = "\(tool): skipped \(error)"
        if let progress { progress.message(line) } else { io.message(line) }
        commandRejects += 1
    }

    /// Records skipped so far, by the reader and by ``reject(_:_:)``.
    public var rejectedCount: Int { reader.rejected.count + commandRejects }

    /// Reads every document of `paths` into memory through a ``CommandInput`` (progress, skipped
    /// records reported, no documents an error).
    ///
    /// - Parameters:
    ///   - paths: The inputs.
    ///   - options: The reader options.
    ///   - io: Where messages go.
    ///   - tool: The message prefix.
    ///   - progress: The progress display, if any.
    /// - Returns: The documents in input order, and the rejects.
    /// - Throws: ``CommandError`` (exit status 1).
    public static func readAll(
        paths: [String], options: CorpusOptions, io: CommandIO, tool: String, progress: ProgressDisplay? = nil
    ) throws(CommandError) -> Corpus {
        let input = CommandInput(reader: CorpusReader(paths: paths, options: options), io: io, tool: tool, progress: progress)
        var documents: [Document] = []
        while let record = try input.next() { documents.append(record.document) }
        try input.finish()
        return Corpus(documents: documents, rejected: input.reader.rejected)
    }

    /// A reader error as the user sees it: a missing field also names the flag that reads the
    /// field from another name.
    static func describe(_ error: CorpusError, options: CorpusOptions) -> String {
        guard case .missingField(let field) = error.reason else { return error.description }
        let flag = field == options.idField ? "--id-field" : "--text-field"
        return "\(error.description); \(flag) NAME reads it from another field"
    }
}
