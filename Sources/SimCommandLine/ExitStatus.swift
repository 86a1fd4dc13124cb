/// The exit statuses of `simdedup` and `simbench`, the same for every subcommand.
///
/// | status | meaning |
/// |---|---|
/// | 0 | success (also `--help` and `--version`) |
/// | 1 | bad input: a file that cannot be read, a malformed record, a missing field, invalid UTF-8, no documents at all; the message names `file:line` |
/// | 2 | usage: an unknown option, a value out of range, a missing argument; the message names the option |
/// | 3 | output could not be written: a full disk, a closed pipe, a directory that does not exist |
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Success.
    case success = 0
    /// Bad or unreadable input.
    case badInput = 1
    /// A usage error.
    case usage = 2
    /// Output that could not be written.
    case outputFailure = 3
}
