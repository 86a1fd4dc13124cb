import ArgumentParser
import SimCore

/// `simdedup dedupe`: near-duplicate clusters of a corpus on one machine.
public struct Dedupe: IOCommand {
    /// The similarity measures offered.
    public enum Measure: String, CaseIterable, ExpressibleByArgument, Sendable {
        /// |A ∩ B| / |A ∪ B|.
        case jaccard
        /// |A ∩ B| / min(|A|, |B|): the smaller document contained in the larger.
        case containment
    }

    /// How candidate pairs are verified.
    public enum Verification: String, CaseIterable, ExpressibleByArgument, Sendable {
        /// From the signatures.
        case estimated
        /// From the shingle sets (exact, more memory).
        case exact
    }

    /// Help.
    public static let configuration = CommandConfiguration(
        abstract: "Clusters near-duplicate documents of JSONL files, text directories or - (stdin).",
        discussion: """
            Output, one line per document in input order:
            {"id":…,"cluster":<smallest id in the cluster>,"representative":true|false,\
            "match":<most similar earlier id>|null,"similarity":<number>|null}
            A summary goes to stderr at the end; a progress bar too when stderr is a terminal.
            """
    )

    /// Signature and banding options.
    @OptionGroup public var signature: SignatureArguments
    /// Input options.
    @OptionGroup public var corpus: CorpusArguments
    /// The similarity measure.
    @Option(help: "Similarity: jaccard or containment.")
    public var measure: Measure = .jaccard
    /// The verification.
    @Option(help: "Verify candidates: estimated (signatures) or exact (shingle sets).")
    public var verify: Verification = .estimated
    /// Worker threads.
    @Option(help: "Worker threads (default: all cores).")
    public var threads: Int = Parallelism.defaultThreadCount
    /// Inputs.
    @Argument(help: "JSONL files, directories of .txt files, or - for standard input.")
    public var inputs: [String] = []

    /// Creates the defaults.
    public init() {}

    /// Checks the options.
    public func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one INPUT (a JSONL file, a directory, or -)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    /// The engine options these flags give.
    public var deduplicationOptions: DeduplicationOptions {
        var options = DeduplicationOptions()
        options.shingling = signature.shinglingOptions
        options.measure = measure == .jaccard ? .jaccard : .containment
        options.threshold = signature.threshold
        options.verification = verify == .exact ? .exact : .estimated
        if measure == .jaccard { options.banding = signature.banding }
        options.threads = threads
        return options
    }

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let reader = CorpusReader(paths: inputs, options: corpus.corpusOptions)
        let summary = try DedupeRun.run(
            reader: reader, scheme: signature.makeScheme(), options: deduplicationOptions,
            output: io.standardOutput, messages: io.standardError, showProgress: io.standardErrorIsTerminal)
        io.standardOutput.flush()
        io.standardError.write(summary.description)
    }
}
