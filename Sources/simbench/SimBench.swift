import ArgumentParser
import SimCommandLine
import SimCore
import SimCoreInternals

/// The benchmark harness: throughput and accuracy of SimCore's stages on any corpus.
struct SimBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simbench",
        abstract: "Benchmarks SimCore's near-duplicate detection on a corpus.",
        discussion: """
            With no subcommand, runs `simbench run` on the wire stories built into the binary \
            (Data/wire-stories), from any directory. `simbench suite` on each machine, then \
            `simbench compare` and `simbench report` on the files, compares machines.
            Exit status: 0 success, 1 bad input (the message names file:line), 2 usage (the message \
            names the option), 3 output could not be written.
            """,
        version: SimCoreRelease.version,
        subcommands: [
            RunCommand.self, BenchCommand.self, GenerateCommand.self, CompareCommand.self, ReportCommand.self,
            SignBenchmarkCommand.self, DedupeBenchmarkCommand.self, LengthsBenchmarkCommand.self, ReuseBenchmarkCommand.self, StartupBenchmarkCommand.self,
            SuiteCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}

@main
enum SimBenchMain {
    static func main() {
        Platform.exit(CommandLineMain.run(SimBench.self, arguments: Array(CommandLine.arguments.dropFirst()), io: .process()))
    }
}
