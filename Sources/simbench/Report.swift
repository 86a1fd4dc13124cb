import ArgumentParser
import Foundation
import SimBenchKit

/// `simbench report`: a self-contained HTML page with charts of result files.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a self-contained HTML report (inline SVG charts, no scripts) of result files.")

    @Argument(help: "Result JSON files written by `simbench bench --output`.")
    var files: [String]

    @Option(help: "The HTML file to write.")
    var output: String = "simbench-report.html"

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one result file") }
    }

    func run() throws {
        let results = try files.map { file in
            do { return try BenchResult.read(from: URL(fileURLWithPath: file)) } catch { throw ValidationError("\(file): \(error)") }
        }
        try HTMLReport(results: results).render().write(toFile: output, atomically: true, encoding: .utf8)
        print("wrote \(output)")
    }
}
