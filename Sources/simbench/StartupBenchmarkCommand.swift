import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore

/// `simbench startup`: how long `simdedup` takes from process start to its first verdict, for a
/// one-document input (``StartupWorkload``).
struct StartupBenchmarkCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup",
        abstract: "Time from starting simdedup to its first verdict line, for a one-document input.",
        discussion: """
            Starts /bin/true (the floor of starting any process), `simdedup --version` and \
            `simdedup dedupe --threads 1` on a five-word document, one after the other, --runs \
            times, and prints the median and the fastest of each. The simdedup beside this \
            simbench is used unless --simdedup names another. A build with the Swift runtime \
            linked in (swift build -c release --static-swift-stdlib) starts faster than one that \
            loads it.
            """)

    @Option(help: ArgumentHelp("The simdedup executable to start (default: the one in simbench's directory).", valueName: "path"))
    var simdedup: String?

    @Option(help: "Measured runs; each starts every process once.")
    var runs: Int = 50

    @OptionGroup var result: ResultOptions

    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard (1...100_000).contains(runs) else { throw ValidationError("--runs must be in 1...100000, not \(runs)") }
    }

    func execute(io: CommandIO) throws {
        try result.checkWritable()
        let path = simdedup ?? RunningExecutable.sibling("simdedup")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CommandError(simdedup == nil
                ? "\(path): no simdedup beside simbench; build it (swift build -c release --product simdedup) or pass --simdedup PATH"
                : "\(path): not an executable file")
        }
        var outcome = BenchResult(machine: .current(), corpus: CorpusSummary(name: "one five-word document", documents: 1, bytes: 25), label: result.label)
        try printHeader(outcome, io: io)
        try io.print("simdedup: \(path); \(runs) runs")
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        progress.start("startup", total: runs, unit: .steps)
        do {
            outcome.records = try StartupWorkload(simdedupPath: path, runs: runs).run { progress.update($0) }
        } catch let error as StartupError {
            progress.finish()
            throw CommandError(error.description)
        }
        progress.finish()
        try io.print()
        try io.print(TextTable.pad("measurement", 34) + TextTable.pad("median", 12) + TextTable.pad("fastest", 12) + "slowest")
        for record in outcome.records {
            let samples = record.samples
            try io.print(TextTable.pad(record.variant, 34) + TextTable.pad(TextTable.duration(samples.median), 12)
                + TextTable.pad(TextTable.duration(samples.minimum), 12) + TextTable.duration(samples.maximum))
        }
        if let floor = outcome.records.first, let verdict = outcome.records.first(where: { $0.units.documents == 1 }) {
            let own = Swift.max(verdict.samples.median - floor.samples.median, 0)
            try io.print("first verdict \(TextTable.duration(verdict.samples.median)) after the start (median; goal: 5 ms), \(TextTable.duration(own)) beyond starting /bin/true")
        }
        try outcome.finish(threadsUsed: 1, options: result, io: io)
    }
}
