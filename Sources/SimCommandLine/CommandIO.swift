import SimCoreIO
import SimCoreInternals

/// Where a command writes: its results, its messages, and whether messages go to a terminal
/// (which turns the redrawn progress line on).
///
/// ```swift
/// let io = CommandIO.memory()
/// let status = CommandLineMain.run(SimDedup.self, arguments: ["cluster", "bands.jsonl"], io: io)
/// io.standardOutput.text   // the cluster lines
/// ```
public struct CommandIO {
    /// Results: JSON Lines, tables.
    public let standardOutput: OutputSink
    /// Messages: errors, rejects, the summary, progress.
    public let standardError: OutputSink
    /// Whether ``standardError`` is a terminal (`isatty(2)` for the process's own streams).
    public let standardErrorIsTerminal: Bool
    /// How long a task runs before progress shows (one second; tests use zero).
    public var progressStartDelay: Duration = .seconds(1)

    /// Creates a context from two sinks.
    ///
    /// - Parameters:
    ///   - standardOutput: The result sink.
    ///   - standardError: The message sink.
    ///   - standardErrorIsTerminal: Whether progress may redraw one line on `standardError`.
    public init(standardOutput: OutputSink, standardError: OutputSink, standardErrorIsTerminal: Bool = false) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardErrorIsTerminal = standardErrorIsTerminal
    }

    /// The process's standard output and error; progress redraws when standard error is a
    /// terminal.
    ///
    /// A closed standard descriptor (a tool started with `>&-`) is first occupied by `/dev/null`
    /// opened in the wrong direction, so that no file the command opens later takes its number
    /// and writing to it fails (exit status 3) instead of landing in that file.
    ///
    /// - Returns: A context over file descriptors 1 and 2.
    public static func process() -> CommandIO {
        Platform.occupyClosedStandardDescriptors()
        return CommandIO(
            standardOutput: OutputSink(fileDescriptor: 1),
            standardError: OutputSink(fileDescriptor: 2),
            standardErrorIsTerminal: Platform.isTerminal(2))
    }

    /// Two in-memory sinks and no terminal, for tests.
    ///
    /// - Returns: A context whose output can be read back with ``OutputSink/text``.
    public static func memory() -> CommandIO {
        CommandIO(standardOutput: .memory(), standardError: .memory())
    }

    /// The progress display for a command: one redrawn line when standard error is a terminal,
    /// sparse lines otherwise, nothing with `--quiet`.
    ///
    /// - Parameters:
    ///   - tool: The line prefix (`simdedup`, `simbench`).
    ///   - quiet: Whether `--quiet` was given.
    /// - Returns: The display.
    public func progress(tool: String, quiet: Bool) -> ProgressDisplay {
        ProgressDisplay(
            sink: standardError, display: quiet ? .off : standardErrorIsTerminal ? .line : .sparse, tool: tool,
            startDelay: progressStartDelay)
    }

    /// Writes `line` and a newline to standard output.
    ///
    /// - Parameter line: The text (default: an empty line).
    /// - Throws: ``OutputError`` when standard output cannot be written.
    public func print(_ line: String = "") throws(OutputError) {
        try standardOutput.write(line + "\n")
    }

    /// Writes `line` and a newline to standard error.
    ///
    /// - Parameter line: The message.
    public func message(_ line: String) {
        // A message that cannot be written has nowhere else to go.
        try? standardError.write(line + "\n")
    }
}
