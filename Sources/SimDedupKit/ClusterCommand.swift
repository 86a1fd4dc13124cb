import ArgumentParser
import SimCommandLine
import SimCoreIO
import SimCoreInternals

/// `simdedup cluster`: connected components of documents sharing a band key.
public struct ClusterCommand: IOCommand {
    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Clusters `simdedup bands` output: documents sharing any (band, key) are one cluster.",
        discussion: """
            Output: {"id":<id>,"cluster":<smallest id in the cluster>} per input line, in input order; \
            ids are ordered byte-wise by their UTF-8 text. Ids must be unique.
            """
    )

    /// The input file, `-` for standard input.
    @Argument(help: "A `simdedup bands` JSON Lines file (.gz too), or - for standard input.")
    public var inputPath: String = "-"
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    /// Creates the defaults.
    public init() {}

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let lines = try LineReader(path: inputPath)
        let progress = io.progress(tool: "simdedup", quiet: quiet.quiet)
        let size = inputPath == "-" ? nil : Platform.fileSize(atPath: inputPath)
        progress.start("reading", total: size, unit: .bytes(itemName: "documents"), unknownTotalReason: "standard input")
        let outcome = try BandClustering.run(input: lines, output: io.standardOutput) { documents in
            progress.update(lines.sourceBytesRead, items: documents)
        }
        progress.finish()
        if !quiet.quiet { io.message("simdedup cluster: \(grouped(outcome.documents)) documents, \(grouped(outcome.clusters)) clusters") }
    }
}
