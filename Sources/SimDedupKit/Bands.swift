import ArgumentParser
import SimCore

/// `simdedup bands`: JSON Lines documents to JSON Lines band keys, streaming, one thread.
public struct Bands: IOCommand {
    /// Help.
    public static let configuration = CommandConfiguration(
        abstract: "Streams documents (JSONL) to their LSH band keys (JSONL), one line per document, in order.",
        discussion: """
            Output: {"id":<id as given>,"bands":[<bandCount signed 64-bit integers>]} per record.
            Keys depend only on --scheme, --k, --shingle, --seed and the banding, so every process \
            on every machine computes the same keys. Feed the output to `simdedup cluster`.
            """
    )

    /// Signature and banding options.
    @OptionGroup public var signature: SignatureArguments
    /// Input options.
    @OptionGroup public var corpus: CorpusArguments
    /// The input file, `-` for standard input.
    @Argument(help: "A JSONL file, or - for standard input.")
    public var input: String = "-"
    /// Print the banding to stderr.
    @Flag(help: "Print the banding (bands, rows) to stderr before the output.")
    public var verbose = false

    /// Creates the defaults.
    public init() {}

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let banding = signature.banding
        if verbose { io.standardError.write("simdedup bands: \(signature.scheme.rawValue) k=\(signature.signatureLength) \(banding)\n") }
        let reader = CorpusReader(paths: [input], options: corpus.corpusOptions)
        let outcome = try BandStream.run(
            reader: reader, scheme: signature.makeScheme(), banding: banding, shingling: signature.shinglingOptions,
            output: io.standardOutput, messages: io.standardError)
        if outcome.rejected > 0 {
            io.standardError.write("simdedup bands: \(outcome.documents) documents, \(outcome.rejected) rejected\n")
        }
    }
}
