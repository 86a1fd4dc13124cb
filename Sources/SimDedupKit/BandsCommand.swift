import ArgumentParser
import SimCommandLine
import SimCore
import SimCoreIO
import SimCoreInternals

/// `simdedup bands`: JSON Lines documents to JSON Lines band keys, streaming, one thread.
public struct BandsCommand: IOCommand {
    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "bands",
        abstract: "Streams documents (JSONL) to their LSH band keys (JSONL), one line per document, in order.",
        discussion: """
            Output: {"id":<id as given>,"bands":[<bandCount signed 64-bit integers>]} per record.
            Keys depend only on --scheme, -k, --shingle, --seed and the banding, so every process \
            on every machine computes the same keys. Feed the output to `simdedup cluster`.
            """
    )

    /// Shingling and the hash seed.
    @OptionGroup public var shingling: ShinglingOptionGroup
    /// Scheme and signature length.
    @OptionGroup public var signature: SignatureOptionGroup
    /// Threshold and banding.
    @OptionGroup public var banding: BandingOptionGroup
    /// Input options.
    @OptionGroup public var input: InputOptions
    /// The input file, `-` for standard input.
    @Argument(help: "A JSON Lines file (.gz too), or - for standard input.")
    public var inputPath: String = "-"
    /// Print the banding to stderr.
    @Flag(help: "Print the banding (bands, rows) to stderr before the output.")
    public var verbose = false
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    /// Creates the defaults.
    public init() {}

    /// Checks the options.
    public func validate() throws {
        try banding.validate(signatureLength: signature.signatureLength)
        guard signature.scheme.isBandable else {
            throw ValidationError("--scheme \(signature.scheme.rawValue) cannot be banded; use oph, minhash or superminhash")
        }
    }

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let bandingParameters = banding.banding(signatureLength: signature.signatureLength)
        if verbose {
            io.message("simdedup bands: \(signature.scheme.rawValue) k=\(signature.signatureLength) \(bandingParameters)")
        }
        let reader = CorpusReader(paths: [inputPath], options: input.corpusOptions)
        let outcome = try BandStream.run(
            reader: reader, scheme: signature.makeScheme(seed: shingling.seed), banding: bandingParameters,
            shingling: shingling.shinglingOptions, io: io, progress: io.progress(tool: "simdedup", quiet: quiet.quiet))
        if outcome.rejected > 0 && !quiet.quiet {
            io.message("simdedup bands: \(grouped(outcome.documents)) documents, \(grouped(outcome.rejected)) rejected")
        }
    }
}
