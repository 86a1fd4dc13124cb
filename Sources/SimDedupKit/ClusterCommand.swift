import ArgumentParser
import SimCommandLine
import SimCoreIO

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
    @Argument(help: "A `simdedup bands` JSONL file, or - for standard input.")
    public var inputPath: String = "-"

    /// Creates the defaults.
    public init() {}

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let lines = try LineReader(path: inputPath)
        _ = try BandClustering.run(input: lines, output: io.standardOutput)
    }
}
