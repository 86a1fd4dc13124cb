import ArgumentParser
import SimBenchKit

/// `--samples` and `--sample-seconds`: how every simbench measurement is timed.
struct SamplingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Timing samples per measurement (the median is reported).")
    var samples: Int = 5

    @Option(parsing: .unconditional, help: "Minimum seconds per timing sample.")
    var sampleSeconds: Double = 0.2

    func validate() throws {
        guard (1...1_000).contains(samples) else { throw ValidationError("--samples must be in 1...1000, not \(samples)") }
        guard sampleSeconds >= 0 && sampleSeconds <= 60 else {
            throw ValidationError("--sample-seconds must be in 0...60, not \(sampleSeconds)")
        }
    }

    /// A sampler on `clock` with these settings.
    func sampler(clock: Sampler.Clock = .wall) -> Sampler {
        Sampler(samples: samples, minimumSampleSeconds: sampleSeconds, clock: clock)
    }
}

/// `--corpus-seed`: the seed of a generated corpus (the hash seed is `--seed`).
struct CorpusSeedOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "Seed of the generated corpus (the same seed gives byte-identical documents everywhere).")
    var corpusSeed: UInt64 = 1
}
