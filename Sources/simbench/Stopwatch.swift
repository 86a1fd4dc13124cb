import Dispatch

/// Timing helpers: warm-up, repeated samples, medians.
enum Stopwatch {
    /// Seconds `body` takes once.
    static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The median seconds per call of `body` over `samples` samples, each repeating `body` until
    /// at least `minimumSeconds` have passed, after one warm-up call.
    static func medianSecondsPerCall(samples: Int, minimumSeconds: Double, _ body: () -> Void) -> Double {
        body()
        var perCall: [Double] = []
        for _ in 0..<max(1, samples) {
            var calls = 0
            var elapsed = 0.0
            while elapsed < minimumSeconds {
                elapsed += time(body)
                calls += 1
            }
            perCall.append(elapsed / Double(calls))
        }
        perCall.sort()
        return perCall[perCall.count / 2]
    }
}
