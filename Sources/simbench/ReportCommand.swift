import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCoreIO

/// `simbench report`: a self-contained HTML page with charts of result files.
struct ReportCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (inline SVG charts, no scripts) of result files.")

    @Argument(help: "Result JSON files written by `simbench bench --output`.")
    var files: [String]

    @Option(help: "The HTML file to write.")
    var output: String = "simbench-report.html"

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one result file") }
    }

    func execute(io: CommandIO) throws {
        let results = try files.map { path in
            do { return try BenchResult.load(from: path) } catch { throw CommandError("\(error)") }
        }
        let sink = try OutputSink.file(atomicallyAt: output)
        try sink.write(HTMLReport(results: results).render())
        try sink.close()
        try io.print("wrote \(output)")
    }
}
