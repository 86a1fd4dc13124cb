import Foundation
import SimCoreInternals

/// Progress lines on standard error for long runs: shown when standard error is a terminal or
/// when forced (`--progress`), so piped output and result files stay clean.
///
/// ```swift
/// let progress = ProgressReporter(forced: false)
/// progress.report("shingle words:5, 2 threads")   // "simbench: shingle words:5, 2 threads" on a TTY
/// ```
public struct ProgressReporter: Sendable {
    /// Whether lines are written.
    public let isEnabled: Bool

    /// Creates a reporter.
    ///
    /// - Parameter forced: Report even when standard error is not a terminal.
    public init(forced: Bool) {
        isEnabled = forced || Platform.isTerminal(2)
    }

    /// Writes `message` as one line on standard error when enabled.
    ///
    /// - Parameter message: The line, without the newline.
    public func report(_ message: String) {
        guard isEnabled else { return }
        FileHandle.standardError.write(Data("simbench: \(message)\n".utf8))
    }
}
