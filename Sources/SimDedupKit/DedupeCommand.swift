import ArgumentParser
import SimCommandLine
import SimCore
import SimCoreIO

/// `simdedup dedupe`: near-duplicate clusters of a corpus on one machine.
public struct DedupeCommand: IOCommand {
    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Clusters near-duplicate documents of JSONL files, text directories or - (stdin).",
        discussion: """
            Output, one line per document in input order:
            {"id":…,"cluster":<smallest id in the cluster>,"representative":true|false,\
            "match":<most similar earlier id>|null,"similarity":<number>|null}
            Ids must be unique (compared by their text): a repeated id is an error naming both places, \
            or with --skip-invalid a counted reject. A summary goes to stderr at the end; a progress \
            line too when stderr is a terminal.
            """
    )

    /// Shingling and the hash seed.
    @OptionGroup public var shingling: ShinglingOptionGroup
    /// Scheme and signature length.
    @OptionGroup public var signature: SignatureOptionGroup
    /// Threshold and banding.
    @OptionGroup public var banding: BandingOptionGroup
    /// The similarity measure.
    @Option(help: "Similarity: overlap (the smaller document's containment in the larger) or jaccard.")
    public var measure: DeduplicationOptions.Measure = DeduplicationOptions().measure
    /// The verification.
    @Option(help: "Verify candidates: estimated (from signatures) or exact (from shingle sets, more memory).")
    public var verification: DeduplicationOptions.Verification = DeduplicationOptions().verification
    /// Worker threads.
    @OptionGroup public var threads: ThreadOptionGroup
    /// Input options.
    @OptionGroup public var input: InputOptions
    /// Inputs.
    @Argument(help: "JSONL files, directories of .txt files, or - for standard input.")
    public var inputs: [String] = []

    /// Creates the defaults.
    public init() {}

    /// Checks the options.
    public func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one INPUT (a JSONL file, a directory, or -)") }
        try banding.validate(signatureLength: signature.signatureLength)
        guard signature.scheme.isBandable else {
            throw ValidationError("--scheme \(signature.scheme.rawValue) cannot be banded; use oph, minhash or superminhash")
        }
        if banding.bands != nil && measure != .jaccard {
            throw ValidationError("--bands and --rows apply to --measure jaccard; overlap chooses its banding per query")
        }
    }

    /// The engine options these flags give.
    public var deduplicationOptions: DeduplicationOptions {
        var options = DeduplicationOptions()
        options.shingling = shingling.shinglingOptions
        options.measure = measure
        options.threshold = banding.threshold
        options.verification = verification
        if measure == .jaccard { options.banding = banding.banding(signatureLength: signature.signatureLength) }
        options.threads = threads.threads
        return options
    }

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let reader = CorpusReader(paths: inputs, options: input.corpusOptions)
        let summary = try DedupeRun.run(
            reader: reader, scheme: signature.makeScheme(seed: shingling.seed), options: deduplicationOptions,
            io: io, showProgress: io.standardErrorIsTerminal)
        try io.standardOutput.flush()
        io.message(summary.description)
    }
}
