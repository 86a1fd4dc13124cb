import ArgumentParser
import SimCommandLine
import SimCore

/// The `simdedup` command: near-duplicate clusters of a corpus, on one machine or (with `bands`
/// and `cluster`) as the two halves of a distributed run.
public struct SimDedup: ParsableCommand {
    /// Subcommands, version and help.
    public static let configuration = CommandConfiguration(
        commandName: "simdedup",
        abstract: "Finds near-duplicate documents and the passages documents share: dedupe a corpus, compute and cluster LSH band keys, find text reuse, align two texts.",
        discussion: """
            Exit status: 0 success, 1 bad input (the message names file:line), 2 usage (the message \
            names the option), 3 output could not be written.
            """,
        version: SimCoreRelease.version,
        subcommands: [DedupeCommand.self, BandsCommand.self, ClusterCommand.self, ReuseCommand.self, AlignCommand.self]
    )

    /// Creates the root command.
    public init() {}
}
