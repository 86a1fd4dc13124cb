import SimCoreIO
import SimCoreInternals

/// The progress display of every long command of both tools: percent, rate and time left when
/// the size of the work is known, on standard error.
///
/// - On a **terminal** it is one line, redrawn in place at most ten times a second and cleared
///   before any other message.
/// - Otherwise (a log file, a pipe) it writes **sparse lines**: one each time another tenth of
///   the work is done, or every ``sparseInterval`` when the size is unknown.
/// - With `--quiet` (``Display/off``) it writes nothing.
///
/// Nothing is shown before ``startDelay`` has passed (one second by default), so short runs stay
/// silent. Sizes are bytes of input (known from file sizes; unknown for standard input, and the
/// line says so), items such as documents, or steps. The display is thread-safe: a generator
/// may report from its worker threads.
///
/// ```swift
/// let progress = ProgressDisplay(sink: io.standardError, display: .line, tool: "simdedup")
/// progress.start("reading", total: 2_900_000_000, unit: .bytes)
/// progress.update(1_200_000_000, items: 35_120)
/// // "simdedup: reading 41% (1.2 of 2.9 GB), 35,120 documents, 118.2 MB/s, 14 s left"
/// progress.finish()
/// ```
public final class ProgressDisplay: @unchecked Sendable {
    // SAFETY: every mutable property is read and written with `lock` held.

    /// Where progress goes.
    public enum Display: Sendable, Hashable {
        /// One line redrawn in place (standard error is a terminal).
        case line
        /// A line per tenth of the work (standard error is a file or a pipe).
        case sparse
        /// Nothing (`--quiet`).
        case off
    }

    /// What the work is counted in.
    public enum Unit: Sendable, Hashable {
        /// Bytes of input; the rate is shown in MB/s.
        case bytes(itemName: String)
        /// Whole items (documents); the rate is shown in items per second.
        case items(String)
        /// Steps of a benchmark; no rate, only percent and time left.
        case steps
    }

    /// The display mode.
    public let display: Display
    /// The gap between sparse lines when the total is unknown.
    public let sparseInterval: Duration
    /// How long a task runs before anything is shown.
    public let startDelay: Duration

    private let sink: OutputSink
    private let tool: String
    private let lock = Lock()
    private let clock = ContinuousClock()
    private var task = ""
    private var total: Int?
    private var unknownTotalReason = ""
    private var unit = Unit.steps
    private var started: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var done = 0
    private var items = 0
    private var detail = ""
    private var lineShown = false
    private var sparseTenths = 0
    private var stepsBegun = 0

    /// Creates a display.
    ///
    /// - Parameters:
    ///   - sink: Standard error.
    ///   - display: ``Display/line`` on a terminal, ``Display/sparse`` otherwise, or ``Display/off``.
    ///   - tool: The prefix of every line (`simdedup`, `simbench`).
    ///   - startDelay: Silence at the start of each task (default one second; tests pass zero).
    ///   - sparseInterval: Gap between sparse lines of work of unknown size (default ten seconds).
    public init(
        sink: OutputSink, display: Display, tool: String, startDelay: Duration = .seconds(1),
        sparseInterval: Duration = .seconds(10)
    ) {
        self.sink = sink
        self.display = display
        self.tool = tool
        self.startDelay = startDelay
        self.sparseInterval = sparseInterval
        started = clock.now
        lastDraw = started
    }

    /// Starts a task, replacing the previous one.
    ///
    /// - Parameters:
    ///   - task: What is being done, e.g. `reading` or `bench`.
    ///   - total: Its size in `unit`s, or `nil` when unknown.
    ///   - unit: What the size counts.
    ///   - unknownTotalReason: Why the size is unknown (e.g. `standard input`), shown on the line.
    public func start(_ task: String, total: Int?, unit: Unit, unknownTotalReason: String = "") {
        lock.withLock {
            clearLine()
            self.task = task
            self.total = total.map { Swift.max(0, $0) }
            self.unit = unit
            self.unknownTotalReason = unknownTotalReason
            started = clock.now
            lastDraw = started
            done = 0
            items = 0
            detail = ""
            sparseTenths = 0
            stepsBegun = 0
        }
    }

    /// Records how far the task has come, and redraws when it is time.
    ///
    /// - Parameters:
    ///   - done: Work done, in the task's unit.
    ///   - items: Items done (documents), shown next to bytes; `nil` keeps the last count.
    ///   - detail: What is being done now (a benchmark step's name); `nil` keeps the last one.
    public func update(_ done: Int, items: Int? = nil, detail: String? = nil) {
        lock.withLock {
            self.done = done
            if let items { self.items = items }
            if let detail { self.detail = detail }
            draw(force: false)
        }
    }

    /// Starts the next step of a ``Unit/steps`` task: `done` counts the steps begun before it.
    ///
    /// - Parameter detail: What the step measures, shown on the line.
    public func beginStep(_ detail: String) {
        lock.withLock {
            done = stepsBegun
            stepsBegun += 1
            self.detail = detail
            draw(force: false)
        }
    }

    /// Ends the task: clears the redrawn line (the summary that follows takes its place).
    public func finish() {
        lock.withLock { clearLine() }
    }

    /// Writes a message line (a skipped record, a warning), clearing the redrawn line first; the
    /// line comes back at the next update.
    ///
    /// - Parameter line: The message, with its tool prefix.
    public func message(_ line: String) {
        lock.withLock {
            clearLine()
            try? sink.write(line + "\n")
            try? sink.flush()
        }
    }

    /// The text of the progress line at `elapsed` seconds (no prefix, no control characters).
    ///
    /// - Parameter elapsed: Seconds since the task started.
    /// - Returns: E.g. `reading 41% (1.2 of 2.9 GB), 35,120 documents, 118.2 MB/s, 14 s left`.
    public func text(elapsed: Double) -> String {
        lock.withLock { render(elapsed: elapsed) }
    }

    // MARK: - Drawing (lock held)

    private func draw(force: Bool) {
        guard display != .off else { return }
        let now = clock.now
        let elapsed = now - started
        guard force || elapsed >= startDelay else { return }
        switch display {
        case .off:
            return
        case .line:
            guard force || !lineShown || now - lastDraw >= .milliseconds(100) else { return }
            try? sink.write("\r\u{1B}[K\(tool): \(render(elapsed: elapsed.seconds))")
            lineShown = true
        case .sparse:
            if let total, total > 0 {
                let tenths = Swift.min(10, done * 10 / total)
                guard tenths > sparseTenths else { return }
                sparseTenths = tenths
            } else {
                guard now - lastDraw >= sparseInterval || lastDraw == started else { return }
            }
            try? sink.write("\(tool): \(render(elapsed: elapsed.seconds))\n")
        }
        lastDraw = now
        try? sink.flush()
    }

    private func clearLine() {
        guard lineShown else { return }
        try? sink.write("\r\u{1B}[K")
        try? sink.flush()
        lineShown = false
    }

    private func render(elapsed: Double) -> String {
        var parts: [String] = []
        let seconds = Swift.max(elapsed, 1e-9)
        var head = task
        if let total, total > 0 {
            let fraction = Swift.min(1, Double(done) / Double(total))
            head += " \(Int((fraction * 100).rounded(.down)))%"
            switch unit {
            case .bytes: head += " (\(Self.size(done, of: total)))"
            case .items(let name): head += " (\(grouped(done)) of \(grouped(total)) \(name))"
            case .steps: head += " (step \(Swift.min(done + 1, total)) of \(total))"
            }
        } else {
            switch unit {
            case .bytes: head += " \(Self.size(done, of: nil))"
            case .items(let name): head += " \(grouped(done)) \(name)"
            case .steps: head += " step \(done + 1)"
            }
        }
        parts.append(head)
        switch unit {
        case .bytes(let itemName):
            if items > 0 { parts.append("\(grouped(items)) \(itemName)") }
            parts.append(formatted(Double(done) / 1e6 / seconds, 1) + " MB/s")
        case .items(let name):
            parts.append("\(groupedRate(Double(done) / seconds)) \(name)/s")
        case .steps:
            break
        }
        if !detail.isEmpty { parts.append(detail) }
        if let total, total > 0, done > 0, done < total {
            parts.append("\(Self.duration(seconds * Double(total - done) / Double(done))) left")
        } else if total == nil || total == 0 {
            parts.append(unknownTotalReason.isEmpty ? "size unknown" : "size unknown: \(unknownTotalReason)")
        }
        return parts.joined(separator: ", ")
    }

    /// `1.2 of 2.9 GB`, or `1.2 GB` without a total (the unit of the larger value).
    static func size(_ done: Int, of total: Int?) -> String {
        let reference = Double(Swift.max(total ?? done, 1))
        let (divisor, name): (Double, String) = reference >= 1e9 ? (1e9, "GB") : reference >= 1e6 ? (1e6, "MB") : (1e3, "kB")
        let doneText = formatted(Double(done) / divisor, 1)
        guard let total else { return "\(doneText) \(name)" }
        return "\(doneText) of \(formatted(Double(total) / divisor, 1)) \(name)"
    }

    /// `14 s`, `3 min 20 s`, `2 h 05 min`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if whole < 3_600 { return "\(whole / 60) min \(twoDigits(whole % 60)) s" }
        return "\(whole / 3_600) h \(twoDigits(whole / 60 % 60)) min"
    }
}
