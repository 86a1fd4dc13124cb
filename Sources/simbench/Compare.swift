import ArgumentParser
import Foundation
import SimBenchKit

/// `simbench compare`: per-workload throughput ratios between result files.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print per-workload throughput ratios of result files against the first.")

    @Argument(help: "Result JSON files written by `simbench bench --output`; the first is the baseline.")
    var files: [String]

    func validate() throws {
        guard files.count >= 2 else { throw ValidationError("give at least two result files") }
    }

    func run() throws {
        let results = try files.map { file in
            do { return try BenchResult.read(from: URL(fileURLWithPath: file)) } catch { throw ValidationError("\(file): \(error)") }
        }
        print(ResultComparison(results: results).table())
    }
}
