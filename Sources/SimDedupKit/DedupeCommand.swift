import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SimCommandLine
import SimCore
import SimCoreIO
import SimCoreInternals

/// `simdedup dedupe`: near-duplicate clusters of a corpus on one machine, optionally the kept
/// records (`--keep`) and an engine state carried from run to run (`--state`).
public struct DedupeCommand: IOCommand {
    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Clusters near-duplicate documents of JSON Lines files (.gz too), directories or - (stdin).",
        discussion: """
            Output, one line per document of this run in input order:
            {"id":…,"cluster":<smallest id in the cluster>,"representative":true|false,\
            "match":<most similar earlier id>|null,"similarity":<number>|null}
            Ids must be unique (compared by their text: the number 1 and the string "1" are one id): a \
            repeated id is an error naming both places, or with --skip-invalid a counted reject.

            A summary (settings, counts, speed) goes to stderr at the end, with progress while \
            reading (and loading and saving a --state file): one redrawn line on a terminal, a \
            line per tenth of the input otherwise.

            --keep PATH writes the kept records, one per cluster (its representative, the longest), \
            as the input had them: JSON Lines records byte for byte with every field, .txt \
            documents as {"id","text"} lines.

            --state FILE carries the engine from run to run: it is loaded if it exists (its \
            settings apply; flags that disagree are refused), this run's documents are added and \
            compared with everything seen before, and it is saved atomically at the end. Splitting \
            a corpus over several runs gives the clusters of one run. With --state, --keep writes \
            the clusters of this run that hold no document of an earlier run.
            """
    )

    /// Shingling and the hash seed.
    @OptionGroup public var shingling: ShinglingOptionGroup
    /// Scheme and signature length.
    @OptionGroup public var signature: SignatureOptionGroup
    /// Threshold and banding.
    @OptionGroup public var banding: BandingOptionGroup
    /// `--measure` as given, `nil` when left out.
    @Option(name: .customLong("measure"), help: "Similarity: overlap (the smaller document's containment in the larger) or jaccard (default: overlap).")
    public var measureValue: DeduplicationOptions.Measure?
    /// `--verification` and `--verification-bits`.
    @OptionGroup public var verification: VerificationOptionGroup
    /// Boilerplate handling (off by default: the engine streams and sees every line).
    @OptionGroup public var boilerplate: BoilerplateOptionGroup
    /// Worker threads.
    @OptionGroup public var threads: ThreadOptionGroup
    /// Input options.
    @OptionGroup public var input: InputOptions
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption
    /// Where the kept records go.
    @Option(name: .customLong("keep"), help: ArgumentHelp("Write the kept records (one per cluster) here, as the input had them.", valueName: "path"))
    public var keepPath: String?
    /// The engine state carried across runs.
    @Option(name: .customLong("state"), help: ArgumentHelp("Load the engine from this file if it exists, add this run's documents, save it back atomically.", valueName: "file"))
    public var statePath: String?
    /// Inputs.
    @Argument(help: "JSON Lines files (.jsonl, .ndjson, .json, or .gz of one), .txt files, directories (their JSON Lines shards in byte order of names, then their .txt files; not recursive), or - for standard input.")
    public var inputs: [String] = []

    /// Creates the defaults.
    public init() {}

    /// The measure (default: the engine's, the overlap coefficient).
    public var measure: DeduplicationOptions.Measure { measureValue ?? DeduplicationOptions().measure }

    /// Checks the options.
    public func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one INPUT (a JSON Lines file, a directory, or -)") }
        try banding.validate(signatureLength: signature.signatureLength)
        guard signature.scheme.isBandable else {
            throw ValidationError("--scheme \(signature.scheme.rawValue) cannot be banded; use oph, minhash or superminhash")
        }
        if banding.bands != nil && measureValue != .jaccard && statePath == nil {
            throw ValidationError("--bands and --rows apply to --measure jaccard; overlap chooses its banding per query")
        }
        if let keepPath, keepPath == statePath { throw ValidationError("--keep and --state must be different files") }
        if let keepPath, inputs.contains(keepPath) { throw ValidationError("--keep \(keepPath) is also an input") }
    }

    /// The engine options these flags give.
    public var deduplicationOptions: DeduplicationOptions {
        var options = DeduplicationOptions()
        options.shingling = shingling.shinglingOptions
        options.measure = measure
        options.threshold = banding.threshold
        options.verification = verification.verification
        options.verificationBits = verification.verificationBits
        if measure == .jaccard && banding.bands != nil { options.banding = banding.banding(signatureLength: signature.signatureLength) }
        options.threads = threads.threads
        return options
    }

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let progress = io.progress(tool: "simdedup", quiet: quiet.quiet)
        var settings = DedupeSettings(command: self)
        var stateExists = false
        if let statePath {
            stateExists = FileManager.default.fileExists(atPath: statePath)
            if stateExists {
                let saved: SavedDeduplicatorSettings
                do {
                    // The first fields alone: the load checks the whole file (its checksum) next.
                    saved = try SavedDeduplicatorSettings(source: .path(statePath), verifyingChecksum: false)
                } catch {
                    throw CommandError("\(statePath): not a state file this simdedup can read: \(error)")
                }
                settings = try DedupeSettings(command: self, saved: saved, statePath: statePath)
                if !quiet.quiet {
                    io.message("simdedup: \(statePath): \(grouped(saved.documentCount)) documents from earlier runs; loading (\(settings))")
                }
            } else if !quiet.quiet {
                io.message("simdedup: \(statePath) does not exist yet: starting a new state")
            }
        }
        var corpusOptions = input.corpusOptions
        corpusOptions.threads = threads.threads
        corpusOptions.keepsSourceLines = keepPath != nil
        let reader = CorpusReader(paths: inputs, options: corpusOptions)
        let summary = try DedupeRun.run(
            reader: reader, settings: settings, state: statePath.map { (path: $0, exists: stateExists) }, keepPath: keepPath,
            io: io, progress: progress, boilerplate: boilerplate)
        if !quiet.quiet { io.message(summary.description) }
    }
}
