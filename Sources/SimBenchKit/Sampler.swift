import Dispatch
import Foundation
import SimCoreInternals

/// Times a body the way every workload is timed: one warm-up run, then repeated samples, each
/// repeating the body until a minimum time has passed and recording the seconds per run. Slow
/// bodies take fewer samples: no more than fit in ``budgetSeconds`` at the warm-up's pace
/// (at least one).
///
/// ```swift
/// let sampler = Sampler(samples: 5, minimumSampleSeconds: 0.2)
/// let stats = sampler.measure { blackHole(work()) }
/// print(stats.median)
/// ```
public struct Sampler: Sendable, Hashable {
    /// What a sample's seconds are measured on.
    public enum Clock: String, Sendable, Hashable {
        /// The monotonic wall clock: what multi-threaded work must be timed on.
        case wall
        /// The calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`): single-threaded work on a
        /// shared machine, unaffected by other processes taking the core.
        case threadCPU

        /// The clock's current reading in seconds.
        public func now() -> Double {
            switch self {
            case .wall:
                return Double(DispatchTime.now().uptimeNanoseconds) / 1e9
            case .threadCPU:
                return Platform.threadCPUSeconds()
            }
        }
    }

    /// Samples per measurement (the median is reported).
    public var samples: Int
    /// Minimum seconds per sample; fast bodies are repeated within a sample.
    public var minimumSampleSeconds: Double
    /// Seconds the samples of one measurement may take, judged by the warm-up run.
    public var budgetSeconds: Double
    /// Whether one untimed run precedes the samples (default `true`). A single run of a long,
    /// stateful measurement (a whole dedupe) skips it.
    public var warmsUp = true
    /// The clock samples are measured on (default: wall).
    public var clock: Clock

    /// Creates a sampler.
    ///
    /// - Parameters:
    ///   - samples: Samples per measurement, at least 1.
    ///   - minimumSampleSeconds: Minimum seconds per sample, at least 0.
    ///   - budgetSeconds: Time for the samples of a slow body (default 10).
    ///   - clock: The clock samples are measured on (default: wall).
    ///   - warmsUp: Whether an untimed run comes first (default `true`).
    public init(
        samples: Int = 5, minimumSampleSeconds: Double = 0.2, budgetSeconds: Double = 10, clock: Clock = .wall, warmsUp: Bool = true
    ) {
        self.warmsUp = warmsUp
        precondition(samples >= 1 && minimumSampleSeconds >= 0, "samples must be positive, seconds non-negative")
        self.samples = samples
        self.minimumSampleSeconds = minimumSampleSeconds
        self.budgetSeconds = budgetSeconds
        self.clock = clock
    }

    /// Seconds `body` takes once, on the monotonic clock.
    ///
    /// - Parameter body: The work.
    /// - Returns: Elapsed seconds.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        try time(on: .wall, body)
    }

    /// Seconds `body` takes once, on `clock`.
    public static func time(on clock: Clock, _ body: () throws -> Void) rethrows -> Double {
        let start = clock.now()
        try body()
        return clock.now() - start
    }

    /// Warms up with one run, then takes ``samples`` samples (fewer when runs are slow).
    ///
    /// - Parameter body: One run of the work.
    /// - Returns: The samples, seconds per run.
    /// - Complexity: About `samples * max(minimumSampleSeconds, one run)` seconds, and at most
    ///   about `budgetSeconds` plus two runs.
    public func measure(_ body: () throws -> Void) rethrows -> SampleStatistics {
        guard warmsUp else {
            return SampleStatistics(secondsPerRun: try (0..<samples).map { _ in try Self.time(on: clock, body) })
        }
        let warmUp = try Self.time(on: clock, body)
        let affordable = warmUp > 0 ? Int(Swift.min(Double(samples), budgetSeconds / warmUp)) : samples
        var perRun: [Double] = []
        for _ in 0..<Swift.max(1, affordable) {
            var runs = 0
            var elapsed = 0.0
            repeat {
                elapsed += try Self.time(on: clock, body)
                runs += 1
            } while elapsed < minimumSampleSeconds
            perRun.append(elapsed / Double(runs))
        }
        return SampleStatistics(secondsPerRun: perRun)
    }
}

/// Keeps a value alive so the optimizer cannot remove the work that produced it.
@_optimize(none)
public func blackHole<T>(_ value: T) {}
