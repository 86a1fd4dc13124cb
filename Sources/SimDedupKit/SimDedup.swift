import ArgumentParser

/// The `simdedup` command: near-duplicate clusters of a corpus, on one machine or (with `bands`
/// and `cluster`) as the two halves of a distributed run.
public struct SimDedup: ParsableCommand {
    /// Subcommands and help.
    public static let configuration = CommandConfiguration(
        commandName: "simdedup",
        abstract: "Finds near-duplicate documents: dedupe a corpus, or compute and cluster LSH band keys.",
        discussion: """
            Exit status: 0 success, 1 bad input (the message names file:line), 2 usage.
            """,
        subcommands: [Dedupe.self, Bands.self, Cluster.self]
    )

    /// Creates the root command.
    public init() {}
}

/// A subcommand that runs against a ``CommandIO`` (the process's streams, or memory in tests).
public protocol IOCommand: ParsableCommand {
    /// Runs the command.
    ///
    /// - Parameter io: Where to write results and messages.
    /// - Throws: ``SimDedupError`` for bad input; `ValidationError` for usage.
    func execute(io: CommandIO) throws
}

extension IOCommand {
    /// Runs against the process's standard output and error.
    public mutating func run() throws {
        let io = CommandIO.process()
        defer {
            io.standardOutput.flush()
            io.standardError.flush()
        }
        try execute(io: io)
    }
}

/// The process entry point, separate from `main` so tests can run every command in memory.
public enum SimDedupMain {
    /// Parses `arguments`, runs the command, and maps the outcome to an exit status.
    ///
    /// - Parameters:
    ///   - arguments: The arguments after the program name.
    ///   - io: Where to write.
    /// - Returns: 0 success (and `--help`), 1 bad input, 2 usage.
    ///
    /// ```swift
    /// SimDedupMain.run(arguments: ["bands", "--k", "0"], io: .memory())   // 2
    /// ```
    public static func run(arguments: [String], io: CommandIO) -> Int32 {
        defer {
            io.standardOutput.flush()
            io.standardError.flush()
        }
        do {
            let command = try SimDedup.parseAsRoot(arguments)
            guard let runnable = command as? any IOCommand else {
                // The root, or the parser's help command (`simdedup bands --help`): help for the
                // subcommand named first, if any.
                let subcommand = SimDedup.configuration.subcommands.first {
                    String(describing: $0).lowercased() == arguments.first
                }
                io.standardOutput.write((subcommand.map { SimDedup.helpMessage(for: $0) } ?? SimDedup.helpMessage()) + "\n")
                return 0
            }
            try runnable.execute(io: io)
            return 0
        } catch let error as SimDedupError {
            io.standardError.write(error.description + "\n")
            return error.exitStatus
        } catch {
            let message = SimDedup.fullMessage(for: error)
            if SimDedup.exitCode(for: error) == .success {
                io.standardOutput.write(message + "\n")
                return 0
            }
            io.standardError.write(message + "\n")
            return 2
        }
    }
}
