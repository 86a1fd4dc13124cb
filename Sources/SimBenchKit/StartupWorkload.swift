import Foundation
import SimCoreInternals

/// Startup cost of `simdedup`, measured from outside as a user or a Spark task sees it: the wall
/// time from starting a process to the first verdict line on its standard output, for a
/// one-document input (issue 14's goal: within 5 ms).
///
/// Each run starts four processes, one after the other, so that load changes hit all four
/// alike:
/// - `spawn floor`: `/bin/true`, the cost of starting any process from this one;
/// - `simdedup --version`: loading the binary and the Swift runtime, and parsing a bare command
///   line;
/// - `simdedup dedupe, first verdict`: the same plus parsing `dedupe`'s options, reading the
///   document, the engine's first use (fold-table pages, signing, LSH) and the verdict;
/// - `simdedup dedupe, exit`: until the process has ended (its summary and teardown too).
///
/// One unmeasured run first brings the binaries into the page cache.
public struct StartupWorkload: Sendable {
    /// The `simdedup` executable to start.
    public var simdedupPath: String
    /// Measured runs (each starts the four processes once).
    public var runs: Int

    /// The workload name in result files.
    public static let name = "startup"
    /// The document `dedupe` reads: five words, as in the README's startup row.
    public static let document = #"{"id":"1","text":"the quick brown fox jumps"}"#

    /// - Parameters:
    ///   - simdedupPath: The `simdedup` executable to start.
    ///   - runs: Measured runs, at least 1.
    public init(simdedupPath: String, runs: Int) {
        precondition(runs >= 1, "at least one run")
        self.simdedupPath = simdedupPath
        self.runs = runs
    }

    /// A process to start, and when its time stops.
    private struct Launch {
        let variant: String
        let executable: String
        let arguments: [String]
        /// Stop at the first line on standard output instead of at the exit.
        let untilFirstLine: Bool
    }

    /// Runs the measurement.
    ///
    /// - Parameter progress: Called after each run with the number of runs done.
    /// - Returns: One record per variant, in the order listed above; each sample is one start,
    ///   in seconds.
    /// - Throws: ``StartupError`` when a process cannot be started, exits with a failure, or
    ///   prints no verdict.
    public func run(progress: (Int) -> Void = { _ in }) throws -> [WorkloadRecord] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("simbench-startup-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("one.jsonl").path
        try Data((Self.document + "\n").utf8).write(to: URL(fileURLWithPath: input))
        let dedupe = ["dedupe", "--threads", "1", "--quiet", input]
        let launches = [
            Launch(variant: "spawn floor (/bin/true)", executable: "/bin/true", arguments: [], untilFirstLine: false),
            Launch(variant: "simdedup --version", executable: simdedupPath, arguments: ["--version"], untilFirstLine: false),
            Launch(variant: "simdedup dedupe, first verdict", executable: simdedupPath, arguments: dedupe, untilFirstLine: true),
            Launch(variant: "simdedup dedupe, exit", executable: simdedupPath, arguments: dedupe, untilFirstLine: false),
        ]
        for launch in launches { _ = try time(launch) }
        var seconds = Array(repeating: [Double](), count: launches.count)
        for done in 1...runs {
            for (index, launch) in launches.enumerated() { seconds[index].append(try time(launch)) }
            progress(done)
        }
        return zip(launches, seconds).map { launch, samples in
            WorkloadRecord(
                workload: Self.name, variant: launch.variant,
                parameters: ["command": .string(([launch.executable] + launch.arguments).joined(separator: " "))],
                threads: 1, samples: SampleStatistics(secondsPerRun: samples),
                units: WorkUnits(documents: launch.untilFirstLine ? 1 : 0))
        }
    }

    /// Starts `launch` once and returns the seconds until its first output line or its exit.
    private func time(_ launch: Launch) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let child: ChildProcess
        do {
            child = try ChildProcess(path: launch.executable, arguments: launch.arguments)
        } catch {
            throw StartupError(command: launch.executable, reason: "cannot start: \(error)")
        }
        var firstLine: Duration?
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { child.readOutput(into: $0) }
            if count == 0 { break }
            if launch.untilFirstLine, firstLine == nil, buffer[..<count].contains(0x0A) { firstLine = clock.now - start }
        }
        let status = child.waitForExit()
        let exit = clock.now - start
        guard status == 0 else {
            throw StartupError(command: launch.executable, reason: status.map { "ended with status \($0)" } ?? "ended by a signal")
        }
        if launch.untilFirstLine, firstLine == nil {
            throw StartupError(command: launch.executable, reason: "printed no verdict line")
        }
        let seconds = firstLine ?? exit
        return Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18
    }
}

/// A process of ``StartupWorkload`` that could not be measured.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    /// The executable.
    public let command: String
    /// What went wrong.
    public let reason: String

    /// The message: `COMMAND: REASON`.
    public var description: String { "\(command): \(reason)" }
}
