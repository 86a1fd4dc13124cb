import ArgumentParser
import SimBenchKit
import SimCommandLine
import SimCore

/// The dedupe engine `simbench dedupe` and `simbench lengths` measure: `--measure`, the banding
/// (`--threshold`, `--bands`, `--rows`), the verification and `-k`.
struct EngineOptions: ParsableArguments {
    @Option(help: "Similarity: overlap (the smaller document's containment in the larger) or jaccard.")
    var measure: DeduplicationOptions.Measure = .jaccard

    @OptionGroup var banding: BandingOptionGroup

    @OptionGroup var verification: VerificationOptionGroup

    @OptionGroup var length: SignatureLengthOption

    func validate() throws {
        try banding.validate(signatureLength: length.signatureLength)
    }

    /// The engine workload these options describe.
    func workload(computesTruth: Bool, queries: Int = 10_000, includesBaselines: Bool = true) -> DedupeWorkload {
        DedupeWorkload(
            measure: measure, threshold: banding.threshold, verification: verification.verification,
            verificationBits: verification.verificationBits, signatureLength: length.signatureLength,
            banding: banding.bands != nil ? banding.banding(signatureLength: length.signatureLength) : nil, computesTruth: computesTruth,
            queries: queries, includesBaselines: includesBaselines)
    }
}
