import SimCoreIO
import SimCoreInternals

/// A one-line progress display on a terminal: documents, megabytes and rate, redrawn in place.
///
/// Commands create one only when standard error is a terminal (`isatty(2)`), so logs and pipes
/// never see carriage returns. Redraws at most ten times a second.
///
/// ```swift
/// let bar = ProgressBar(sink: io.standardError)
/// bar.update(documents: 5_000, bytes: 12_000_000)   // "\r  5000 docs  12.0 MB  …"
/// bar.finish()
/// ```
public final class ProgressBar {
    private let sink: OutputSink
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant

    /// Creates a bar that draws on `sink`.
    ///
    /// - Parameter sink: A terminal's sink.
    public init(sink: OutputSink) {
        self.sink = sink
        start = clock.now
        lastDraw = start
    }

    /// Redraws the line if a tenth of a second has passed since the last redraw.
    ///
    /// - Parameters:
    ///   - documents: Documents done so far.
    ///   - bytes: Bytes of text done so far.
    ///   - stage: What is being done, e.g. `reading`.
    public func update(documents: Int, bytes: Int, stage: String = "indexing") {
        let now = clock.now
        guard now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        let seconds = max(1e-9, (now - start).seconds)
        let megabytes = Double(bytes) / 1e6
        let spinner = Array("|/-\\")[Int(seconds * 10) % 4]
        try? sink.write("\r\u{1B}[K\(spinner) \(stage): \(documents) docs  \(formatted(megabytes, 1)) MB  "
            + "\(formatted(Double(documents) / seconds, 0)) docs/s  \(formatted(megabytes / seconds, 1)) MB/s")
        try? sink.flush()
    }

    /// Clears the line.
    public func finish() {
        try? sink.write("\r\u{1B}[K")
        try? sink.flush()
    }
}
