import Dispatch

/// Times a body the way every workload is timed: one warm-up run, then repeated samples, each
/// repeating the body until a minimum time has passed and recording the seconds per run.
///
/// ```swift
/// let sampler = Sampler(samples: 5, minimumSampleSeconds: 0.2)
/// let stats = sampler.measure { blackHole(work()) }
/// print(stats.median)
/// ```
public struct Sampler: Sendable, Hashable {
    /// Samples per measurement (the median is reported).
    public var samples: Int
    /// Minimum seconds per sample; fast bodies are repeated within a sample.
    public var minimumSampleSeconds: Double

    /// Creates a sampler.
    ///
    /// - Parameters:
    ///   - samples: Samples per measurement, at least 1.
    ///   - minimumSampleSeconds: Minimum seconds per sample, at least 0.
    public init(samples: Int = 5, minimumSampleSeconds: Double = 0.2) {
        precondition(samples >= 1 && minimumSampleSeconds >= 0, "samples must be positive, seconds non-negative")
        self.samples = samples
        self.minimumSampleSeconds = minimumSampleSeconds
    }

    /// Seconds `body` takes once, on the monotonic clock.
    ///
    /// - Parameter body: The work.
    /// - Returns: Elapsed seconds.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Warms up with one run, then takes ``samples`` samples.
    ///
    /// - Parameter body: One run of the work.
    /// - Returns: The samples, seconds per run.
    /// - Complexity: About `samples * max(minimumSampleSeconds, one run)` seconds.
    public func measure(_ body: () throws -> Void) rethrows -> SampleStatistics {
        try body()
        var perRun: [Double] = []
        for _ in 0..<samples {
            var runs = 0
            var elapsed = 0.0
            repeat {
                elapsed += try Self.time(body)
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
