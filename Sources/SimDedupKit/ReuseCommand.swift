import ArgumentParser
import SimCommandLine
import SimCore
import SimCoreIO

/// `simdedup reuse`: which passages documents of a corpus share, and where.
public struct ReuseCommand: IOCommand {
    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "reuse",
        abstract: "Finds the passages documents share (text reuse) in JSONL files, text directories or - (stdin).",
        discussion: """
            Output, one line per pair of documents sharing at least one passage, a before b in input order:
            {"a":ID,"b":ID,"coverage_a":x,"coverage_b":y,"passages":[
            {"a":[start,end],"b":[start,end],"words_a":n,"words_b":m,"similarity":s}]}

            Byte ranges are half-open and index each document's original UTF-8. coverage_a is the \
            fraction of a's words inside its passages; similarity the fraction of matching words.
            With --passages: one line per group of documents carrying the same passage,
            {"passage":k,"documents":n,"members":[{"id":ID,"span":[start,end],"words":w}]}.
            A summary goes to stderr at the end.
            """
    )

    /// Alignment and the index's document-frequency cap.
    @OptionGroup public var reuse: ReuseOptionGroup
    /// Boilerplate handling.
    @OptionGroup public var boilerplate: BoilerplateOptionGroup
    /// Groups instead of pairs.
    @Flag(help: "Write groups of documents carrying the same passage instead of pairs.")
    public var passages = false
    /// Worker threads.
    @OptionGroup public var threads: ThreadOptionGroup
    /// Input options.
    @OptionGroup public var input: InputOptions
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption
    /// Inputs.
    @Argument(help: "JSON Lines files (.gz too), .txt files, directories (their JSON Lines shards in byte order of names, then their .txt files), or - for standard input.")
    public var inputs: [String] = []

    /// Creates the defaults.
    public init() {}

    /// Checks the options.
    public func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one INPUT (a JSONL file, a directory, or -)") }
    }

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        var corpusOptions = input.corpusOptions
        corpusOptions.threads = threads.threads
        let summary = try ReuseRun.run(
            reader: CorpusReader(paths: inputs, options: corpusOptions), options: reuse.reuseOptions,
            boilerplate: boilerplate, groups: passages, threads: threads.threads, io: io,
            progress: io.progress(tool: "simdedup", quiet: quiet.quiet))
        try io.standardOutput.flush()
        if !quiet.quiet { io.message(summary.description) }
    }
}
