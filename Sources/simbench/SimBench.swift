import ArgumentParser

/// The benchmark harness: throughput and accuracy of SimCore's stages on any corpus.
@main
struct SimBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simbench",
        abstract: "Benchmarks SimCore's near-duplicate detection on a corpus.",
        discussion: "With no subcommand, runs `simbench run` on Data/wire-stories.",
        subcommands: [Run.self, Bench.self, Generate.self, Compare.self, Report.self, Sign.self, Dedupe.self],
        defaultSubcommand: Run.self
    )
}
