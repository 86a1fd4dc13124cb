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
        do {
            let command = try root.parseAsRoot(arguments)
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
        } catch {
            let message = root.fullMessage(for: error)
            if root.exitCode(for: error) == .success {
                do {
                    try io.print(message)
                } catch {
                    io.message("\(tool): \(error)")
                    status = .outputFailure
                }
            } else {
                io.message(message)
                status = .usage
            }
        }
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
