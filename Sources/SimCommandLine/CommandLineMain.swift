import ArgumentParser
import SimCore
import SimCoreIO

/// A subcommand that runs against a ``CommandIO`` (the process's streams, or memory in tests).
public protocol IOCommand: ParsableCommand {
    /// Runs the command.
    ///
    /// - Parameter io: Where to write results and messages.
    /// - Throws: ``CommandError``, ``CorpusError`` or ``OutputError`` for bad input or failed
    ///   output; `ValidationError` for usage.
    func execute(io: CommandIO) throws
}

extension IOCommand {
    /// Runs against the process's standard output and error (ArgumentParser's entry point;
    /// the tools go through ``CommandLineMain`` instead, which maps errors to exit statuses).
    public mutating func run() throws {
        try execute(io: .process())
    }
}

/// The entry point both command lines share: parse, run, and map the outcome to an
/// ``ExitStatus`` with one message on standard error.
public enum CommandLineMain {
    /// Parses `arguments` for `root`, runs the command, and returns the exit status.
    ///
    /// - Parameters:
    ///   - root: The root command (`SimDedup`, `SimBench`).
    ///   - arguments: The arguments after the program name.
    ///   - io: Where to write.
    /// - Returns: An ``ExitStatus`` raw value: 0 success (and `--help`, `--version`), 1 bad input,
    ///   2 usage, 3 output failure.
    ///
    /// ```swift
    /// CommandLineMain.run(SimDedup.self, arguments: ["bands", "-k", "0"], io: .memory())   // 2
    /// ```
    public static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String], io: CommandIO) -> Int32 {
        let tool = root.configuration.commandName ?? "\(root)".lowercased()
        var status = ExitStatus.success
        let command: ParsableCommand
        do {
            command = try parseNamedSubcommand(root, arguments) ?? root.parseAsRoot(arguments)
        } catch {
            // Parsing and validation: `--help`, `--version`, or a usage error naming the option.
            status = reportParsingOutcome(root, error, tool: tool, io: io)
            return finish(status, tool: tool, io: io)
        }
        do {
            if let runnable = command as? any IOCommand {
                try runnable.execute(io: io)
            } else {
                // The root without a subcommand, or the parser's help command
                // (`simdedup help bands`): help for the subcommand named, if any.
                let named = root.configuration.subcommands.first { subcommand in
                    arguments.contains(subcommand.configuration.commandName ?? "\(subcommand)".lowercased())
                }
                try io.print(named.map { root.helpMessage(for: $0) } ?? root.helpMessage())
            }
        } catch let error as CommandError {
            io.message("\(tool): \(error.message)")
            status = error.status
        } catch let error as CorpusError {
            io.message("\(tool): \(error)")
            status = .badInput
        } catch let error as IndexFileError {
            io.message("\(tool): \(error)")
            status = .badInput
        } catch let error as OutputError {
            io.message("\(tool): \(error)")
            status = .outputFailure
        } catch let error as ValidationError {
            status = reportParsingOutcome(root, error, tool: tool, io: io)
        } catch {
            // Anything else a command throws is a failure of the run, not of its usage.
            io.message("\(tool): \(error)")
            status = .badInput
        }
        return finish(status, tool: tool, io: io)
    }

    /// The subcommand that `arguments` name first, parsed on its own as if it were the root, or
    /// `nil` when there is none or it does not parse to a runnable command.
    ///
    /// A fast path for the start of a run: the root's parser also builds the whole command tree
    /// and parses the remaining arguments for each command on the path. Help, `--version`,
    /// completion scripts and every usage error come out as `nil` here, and the caller parses
    /// again from the root, so messages and exit statuses are the root parser's. Every
    /// `validate()` has no side effects, so running one twice on that path is harmless.
    ///
    /// The command is the root parser's as long as the root has no options, option groups or
    /// `validate()` of its own, and no subcommand collects unrecognized arguments
    /// (`.allUnrecognized`, `.captureForPassthrough`: the root parser would find `--version`
    /// among them). Both tools' roots are so; `DedupeTests` compares the two parsers' commands.
    package static func parseNamedSubcommand<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) -> (any IOCommand)? {
        guard let name = arguments.first, !name.hasPrefix("-"),
              let subcommand = root.configuration.subcommands.first(where: { $0.configuration.commandName == name })
        else { return nil }
        return (try? subcommand.parseAsRoot(Array(arguments.dropFirst()))) as? any IOCommand
    }

    /// Prints help or version on standard output (status 0), or a usage error on standard error
    /// (status 2).
    private static func reportParsingOutcome<Root: ParsableCommand>(
        _ root: Root.Type, _ error: Error, tool: String, io: CommandIO
    ) -> ExitStatus {
        let message = root.fullMessage(for: error)
        guard root.exitCode(for: error) == .success else {
            io.message(message)
            return .usage
        }
        do {
            try io.print(message)
            return .success
        } catch {
            io.message("\(tool): \(error)")
            return .outputFailure
        }
    }

    /// Flushes both streams; a failed flush of standard output turns success into status 3.
    private static func finish(_ outcome: ExitStatus, tool: String, io: CommandIO) -> Int32 {
        var status = outcome
        do {
            try io.standardOutput.flush()
        } catch {
            if status == .success {
                io.message("\(tool): \(error)")
                status = .outputFailure
            }
        }
        try? io.standardError.flush()
        return status.rawValue
    }
}
