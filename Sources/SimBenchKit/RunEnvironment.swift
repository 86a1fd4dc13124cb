import Foundation
import SimCore
import SimCoreInternals

/// The conditions a result was measured under, beyond the machine itself: which build measured
/// (tool version, git commit), which CPUs it was allowed (affinity mask, cgroup CPU limit), and
/// how busy the machine was (load averages before and after). A result measured on a busy
/// machine carries a warning, and so do its comparisons and reports.
///
/// ```swift
/// var environment = RunEnvironment.start()
/// // … measure …
/// environment.finish(threadsUsed: 2)
/// environment.warnings   // ["busy machine: load average 3.9 before the run on 2 cores; …"]
/// ```
public struct RunEnvironment: Sendable, Hashable, Codable {
    /// SimCore's version (``SimCoreRelease/version``).
    public var toolVersion: String
    /// The commit of the repository checkout the binary was built in (`git rev-parse HEAD` in
    /// the checkout that holds the executable), or `nil` outside one (a copied portable binary).
    public var gitCommit: String?
    /// Whether that checkout had uncommitted changes to tracked files.
    public var gitDirty: Bool?
    /// The command line, program name first.
    public var commandLine: [String]
    /// The 1-, 5- and 15-minute load averages when the run started (empty when unknown).
    public var loadAverageBefore: [Double]
    /// The same when the run ended.
    public var loadAverageAfter: [Double]
    /// The CPUs the process was allowed, as `taskset -c` writes them (`0-3`), or `unknown`.
    public var cpuAffinity: String
    /// Cores the process could use: the affinity count, capped by the cgroup limit rounded up.
    public var usableCores: Int
    /// The control group's CPU limit in CPUs (`cpu.max`), or `nil` for none.
    public var cgroupCPULimit: Double?
    /// The most threads a measurement used.
    public var threadsUsed: Int
    /// Why the figures may not be representative (busy machine, debug build, few cores usable).
    public var warnings: [String]

    /// Creates an environment from its fields (tests, tools that merge results).
    ///
    /// - Parameters: One per property.
    public init(
        toolVersion: String, gitCommit: String?, gitDirty: Bool?, commandLine: [String], loadAverageBefore: [Double],
        loadAverageAfter: [Double], cpuAffinity: String, usableCores: Int, cgroupCPULimit: Double?, threadsUsed: Int,
        warnings: [String]
    ) {
        self.toolVersion = toolVersion
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.commandLine = commandLine
        self.loadAverageBefore = loadAverageBefore
        self.loadAverageAfter = loadAverageAfter
        self.cpuAffinity = cpuAffinity
        self.usableCores = usableCores
        self.cgroupCPULimit = cgroupCPULimit
        self.threadsUsed = threadsUsed
        self.warnings = warnings
    }

    /// The environment of a run starting now: version, commit, CPUs, load average before.
    ///
    /// - Parameter commandLine: The command line (default: this process's).
    /// - Returns: The environment; ``finish(threadsUsed:)`` completes it.
    public static func start(commandLine: [String] = CommandLine.arguments) -> RunEnvironment {
        let cpus = CPUAvailability.current
        let checkout = GitCheckout.ofExecutable()
        return RunEnvironment(
            toolVersion: SimCoreRelease.version, gitCommit: checkout?.commit, gitDirty: checkout?.dirty, commandLine: commandLine,
            loadAverageBefore: Platform.loadAverages() ?? [], loadAverageAfter: [], cpuAffinity: cpus.affinityDescription,
            usableCores: cpus.usableCores, cgroupCPULimit: cpus.cgroupCPULimit, threadsUsed: 1, warnings: [])
    }

    /// Records the load average after the run and the warnings.
    ///
    /// - Parameters:
    ///   - threadsUsed: The most threads a measurement used.
    ///   - onlineCores: The machine's cores (default: ``MachineFingerprint/logicalCores`` of this machine).
    ///   - buildConfiguration: `debug` or `release`.
    public mutating func finish(
        threadsUsed: Int, onlineCores: Int = ProcessInfo.processInfo.activeProcessorCount,
        buildConfiguration: String = MachineFingerprint.current().buildConfiguration
    ) {
        self.threadsUsed = threadsUsed
        loadAverageAfter = Platform.loadAverages() ?? []
        warnings = Self.warnings(
            loadBefore: loadAverageBefore.first, loadAfter: loadAverageAfter.first, threadsUsed: threadsUsed,
            onlineCores: onlineCores, usableCores: usableCores, buildConfiguration: buildConfiguration)
    }

    /// Whether the machine was busy with other work (a warning says so).
    public var wasBusy: Bool { warnings.contains { $0.hasPrefix("busy machine") } }

    /// The warnings for a run.
    ///
    /// Busy means: a 1-minute load average above half the cores before the run started (other
    /// processes were running), or above the run's own threads plus half the cores at its end.
    ///
    /// - Parameters:
    ///   - loadBefore: The 1-minute load average at the start.
    ///   - loadAfter: The same at the end.
    ///   - threadsUsed: The run's most threads.
    ///   - onlineCores: The machine's cores.
    ///   - usableCores: The cores the process could use.
    ///   - buildConfiguration: `debug` or `release`.
    /// - Returns: Sentences, most important first.
    public static func warnings(
        loadBefore: Double?, loadAfter: Double?, threadsUsed: Int, onlineCores: Int, usableCores: Int, buildConfiguration: String
    ) -> [String] {
        var warnings: [String] = []
        let cores = Double(Swift.max(1, onlineCores))
        var busy: [String] = []
        if let loadBefore, loadBefore > 0.5 * cores {
            busy.append("load average \(formatted(loadBefore, 2)) before the run")
        }
        if let loadAfter, loadAfter > Double(threadsUsed) + 0.5 * cores {
            busy.append("\(formatted(loadAfter, 2)) at its end (its own threads: \(threadsUsed))")
        }
        if !busy.isEmpty {
            warnings.append("busy machine: \(busy.joined(separator: ", ")) on \(onlineCores) cores; other processes took CPU time, so timings are slower and noisier than on a quiet machine")
        }
        if buildConfiguration == "debug" {
            warnings.append("debug build: use `swift build -c release` (or `swift run -c release simbench`) for real figures")
        }
        if usableCores < onlineCores {
            warnings.append("only \(usableCores) of \(onlineCores) cores usable (CPU affinity or cgroup limit)")
        }
        return warnings
    }
}

/// The git checkout the running executable sits in, found by walking up from its directory.
enum GitCheckout {
    /// The checkout's commit and whether tracked files changed, or `nil` outside a checkout or
    /// without `git`.
    static func ofExecutable() -> (commit: String, dirty: Bool)? {
        guard let executable = RunningExecutable.path else { return nil }
        var directory = (executable as NSString).deletingLastPathComponent
        while directory != "/" && !directory.isEmpty {
            if FileManager.default.fileExists(atPath: directory + "/.git") && FileManager.default.fileExists(atPath: directory + "/Package.swift") {
                guard let commit = git(["rev-parse", "HEAD"], in: directory), commit.count == 40 else { return nil }
                let status = git(["status", "--porcelain", "--untracked-files=no"], in: directory)
                return (commit, !(status ?? "").isEmpty)
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// `git -C directory arguments…`'s trimmed output, or `nil` when it fails.
    private static func git(_ arguments: [String], in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
