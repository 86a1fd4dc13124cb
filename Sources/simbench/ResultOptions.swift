import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreIO
import SimCoreInternals

/// `--output` and `--label`: where a measuring command writes its result, and its name in
/// comparisons and reports.
struct ResultOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the result JSON here (schema: Docs/simbench-result.schema.json); compare and report read it.", valueName: "file"))
    var output: String?

    @Option(help: "Label of this run in comparisons and reports (default: the CPU model).")
    var label: String?

    /// Fails at once when `--output` cannot be written, so that a run does not end in an error
    /// after its work: a temporary file is created beside the path and removed again
    /// (``OutputSink/file(atomicallyAt:)`` dropped unclosed). Measuring commands call it first.
    ///
    /// - Throws: ``OutputError`` (exit status 3) naming the path and the reason.
    func checkWritable() throws(OutputError) {
        guard let output else { return }
        _ = try OutputSink.file(atomicallyAt: output)
    }
}

extension BenchResult {
    /// Ends a measuring command's run: completes the environment (load average after, warnings),
    /// prints the warnings on standard error, and writes the file when `--output` was given.
    ///
    /// - Parameters:
    ///   - threadsUsed: The most threads a measurement used.
    ///   - options: `--output`.
    ///   - io: Where the `wrote …` line and the warnings go.
    /// - Throws: ``CommandError`` (exit status 3) when the file cannot be written.
    mutating func finish(threadsUsed: Int, options: ResultOptions, io: CommandIO) throws {
        environment?.finish(threadsUsed: threadsUsed, onlineCores: machine.logicalCores, buildConfiguration: machine.buildConfiguration)
        for warning in environment?.warnings ?? [] { io.message("simbench: warning: \(warning)") }
        guard let output = options.output else { return }
        do {
            try save(to: output)
        } catch {
            throw CommandError.output(error)
        }
        try io.print("wrote \(output) (schemaVersion \(schemaVersion), \(records.count) records\(curves.isEmpty ? "" : ", \(curves.count) curves"))")
    }
}

/// The machine and environment lines every measuring command prints first.
func printHeader(_ result: BenchResult, io: CommandIO) throws {
    let machine = result.machine
    try io.print("machine: \(machine.cpuModel), \(machine.logicalCores) cores, \(formatted(Double(machine.memoryBytes) / 1_073_741_824, 1)) GiB, \(machine.simdFeatures.joined(separator: " "))")
    try io.print("         \(machine.kernel), \(machine.operatingSystem), Swift \(machine.swiftVersion), \(machine.buildConfiguration) build")
    if let environment = result.environment {
        let commit = environment.gitCommit.map { "commit \($0.prefix(12))\(environment.gitDirty == true ? " (modified)" : "")" } ?? "no repository"
        let load = environment.loadAverageBefore.map { formatted($0, 2) }.joined(separator: " ")
        let limit = environment.cgroupCPULimit.map { ", cgroup limit \(formatted($0, 2)) CPUs" } ?? ""
        try io.print("run:     simbench \(environment.toolVersion), \(commit); CPUs \(environment.cpuAffinity) (\(environment.usableCores) usable\(limit)); load average \(load)")
    }
}
