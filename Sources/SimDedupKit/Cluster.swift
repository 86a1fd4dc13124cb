import ArgumentParser

/// `simdedup cluster`: connected components of documents sharing a band key.
public struct Cluster: IOCommand {
    /// Help.
    public static let configuration = CommandConfiguration(
        abstract: "Clusters `simdedup bands` output: documents sharing any (band, key) are one cluster.",
        discussion: """
            Output: {"id":<id>,"cluster":<smallest id in the cluster>} per input line, in input order; \
            ids are ordered byte-wise by their UTF-8 text. Ids must be unique.
            """
    )

    /// The input file, `-` for standard input.
    @Argument(help: "A `simdedup bands` JSONL file, or - for standard input.")
    public var input: String = "-"

    /// Creates the defaults.
    public init() {}

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let lines = try LineInput(path: input)
        _ = try BandClustering.run(input: lines, output: io.standardOutput)
    }
}
