#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `simdedup` command writes: its results, its messages, and whether messages go to a
/// terminal (which turns the progress bar on).
///
/// ```swift
/// let io = CommandIO.memory()
/// let status = SimDedupMain.run(arguments: ["cluster", "bands.jsonl"], io: io)
/// io.standardOutput.text   // the cluster lines
/// ```
public struct CommandIO {
    /// Results (JSON Lines).
    public let standardOutput: OutputSink
    /// Messages: errors, rejects, the summary, the progress bar.
    public let standardError: OutputSink
    /// Whether ``standardError`` is a terminal (`isatty(2)` for the process's own streams).
    public let standardErrorIsTerminal: Bool

    /// Creates a context from two sinks.
    ///
    /// - Parameters:
    ///   - standardOutput: The result sink.
    ///   - standardError: The message sink.
    ///   - standardErrorIsTerminal: Whether to draw a progress bar on `standardError`.
    public init(standardOutput: OutputSink, standardError: OutputSink, standardErrorIsTerminal: Bool = false) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardErrorIsTerminal = standardErrorIsTerminal
    }

    /// The process's standard output and error; the progress bar is on when `isatty(2)`.
    ///
    /// - Returns: A context over file descriptors 1 and 2.
    public static func process() -> CommandIO {
        CommandIO(
            standardOutput: OutputSink(fileDescriptor: STDOUT_FILENO),
            standardError: OutputSink(fileDescriptor: STDERR_FILENO),
            standardErrorIsTerminal: isatty(STDERR_FILENO) == 1)
    }

    /// Two in-memory sinks and no terminal, for tests.
    ///
    /// - Returns: A context whose output can be read back with ``OutputSink/text``.
    public static func memory() -> CommandIO {
        CommandIO(standardOutput: .memory(), standardError: .memory())
    }
}
