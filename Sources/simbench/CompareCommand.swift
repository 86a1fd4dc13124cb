import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine

/// `simbench compare`: per-workload throughput ratios between result files.
struct CompareCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Print per-workload throughput ratios of result files against the first.")

    @Argument(help: "Result JSON files written by `simbench bench --output`; the first is the baseline.")
    var files: [String]

    func validate() throws {
        guard files.count >= 2 else { throw ValidationError("give at least two result files") }
    }

    func execute(io: CommandIO) throws {
        let results = try files.map { path in
            do { return try BenchResult.load(from: path) } catch { throw CommandError("\(error)") }
        }
        try io.print(ResultComparison(results: results).table())
    }
}
