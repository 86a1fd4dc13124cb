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
        sink.write("\r\u{1B}[K\(spinner) \(stage): \(documents) docs  \(formatted(megabytes, 1)) MB  "
            + "\(formatted(Double(documents) / seconds, 0)) docs/s  \(formatted(megabytes / seconds, 1)) MB/s")
        sink.flush()
    }

    /// Clears the line.
    public func finish() {
        sink.write("\r\u{1B}[K")
        sink.flush()
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}

/// `value` with `digits` decimals (no Foundation formatting, the same on every platform).
func formatted(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if digits == 0 { return String(Int64(rounded)) }
    if let dot = text.firstIndex(of: "."), !text.contains("e") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}
