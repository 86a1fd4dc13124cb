import SimCore

/// A failure that ends a `simdedup` command, with the exit status it maps to.
///
/// Bad input (exit status 1) always names the place, `path:line`, so the user can find it:
/// ```
/// simdedup: corpus.jsonl:7: missing field "text"
/// ```
public struct SimDedupError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, with its place when there is one.
    public let message: String
    /// The process exit status: 1 for bad input, 2 for usage.
    public let exitStatus: Int32

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - message: The message, without the `simdedup:` prefix.
    ///   - exitStatus: 1 (bad input, the default) or 2 (usage).
    public init(_ message: String, exitStatus: Int32 = 1) {
        self.message = message
        self.exitStatus = exitStatus
    }

    /// Bad input at `path:line`.
    ///
    /// - Parameters:
    ///   - path: The input file, or `-` for standard input.
    ///   - line: The 1-based line number.
    ///   - reason: What is wrong with the line.
    /// - Returns: An error with exit status 1.
    public static func badInput(path: String, line: Int, _ reason: String) -> SimDedupError {
        SimDedupError("\(path):\(line): \(reason)")
    }

    /// Bad corpus input, as ``CorpusReader`` reports it (its description names `path:line`).
    ///
    /// - Parameter error: The reader's error.
    /// - Returns: An error with exit status 1.
    public static func corpus(_ error: CorpusError) -> SimDedupError {
        SimDedupError(error.description)
    }

    /// The message as printed.
    public var description: String { "simdedup: \(message)" }
}
