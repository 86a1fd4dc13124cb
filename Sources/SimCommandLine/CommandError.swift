import SimCoreIO

/// A failure that ends a command, with the exit status it maps to.
///
/// Bad input always names its place, `path:line`, so the user can find it:
/// ```
/// simdedup: corpus.jsonl:7: missing field "text"
/// ```
public struct CommandError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, with its place when there is one (no tool prefix).
    public let message: String
    /// The exit status it maps to.
    public let status: ExitStatus

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - message: The message, without the tool's prefix.
    ///   - status: The exit status (default ``ExitStatus/badInput``).
    public init(_ message: String, status: ExitStatus = .badInput) {
        self.message = message
        self.status = status
    }

    /// Bad input at `path:line`.
    ///
    /// - Parameters:
    ///   - path: The input file, or `-` for standard input.
    ///   - line: The 1-based line number.
    ///   - reason: What is wrong with the line.
    /// - Returns: An error with exit status 1.
    public static func badInput(path: String, line: Int, _ reason: String) -> CommandError {
        CommandError("\(path):\(line): \(reason)")
    }

    /// Bad corpus input, as ``CorpusReader`` reports it (its description names `path:line`).
    ///
    /// - Parameter error: The reader's error.
    /// - Returns: An error with exit status 1.
    public static func corpus(_ error: CorpusError) -> CommandError {
        CommandError(error.description)
    }

    /// Output that could not be written.
    ///
    /// - Parameter error: The writer's error.
    /// - Returns: An error with exit status 3.
    public static func output(_ error: OutputError) -> CommandError {
        CommandError(error.description, status: .outputFailure)
    }

    /// The message without a prefix.
    public var description: String { message }
}
