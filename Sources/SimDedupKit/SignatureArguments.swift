import ArgumentParser
import SimCore

/// The options `bands` and `dedupe` share: how documents become signatures and band keys.
///
/// Every derived parameter comes from `--seed` alone: it is the shingle hash seed and the
/// scheme's seed, from which the scheme draws its keys with ``SplitMix64``; band `i` is hashed
/// by ``BandKey`` with seed `i`. No `Hasher` and no system generator is involved, so every
/// process on every machine computes identical keys for the same options.
public struct SignatureArguments: ParsableArguments {
    /// The signature scheme.
    @Option(help: "Signature scheme: \(SchemeKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    public var scheme: SchemeKind = .oph

    /// The signature length.
    @Option(name: .customLong("k"), help: "Signature length (values per document).")
    public var signatureLength: Int = 128

    /// The shingle unit, `words:N` or `chars:N`.
    @Option(help: "Shingles: words:N (word N-grams) or chars:N (character N-grams).")
    public var shingle: String = "words:5"

    /// The one seed.
    @Option(help: "The seed of the shingle hash and the signature scheme (identical keys everywhere).")
    public var seed: UInt64 = 0

    /// The similarity threshold the banding is tuned for.
    @Option(help: "Similarity threshold in (0, 1).")
    public var threshold: Double = 0.8

    /// An explicit band count (with `--rows`).
    @Option(help: "Explicit number of bands (with --rows; default: the optimum for --threshold).")
    public var bands: Int?

    /// An explicit rows-per-band count (with `--bands`).
    @Option(help: "Explicit rows per band (with --bands).")
    public var rows: Int?

    /// Creates the defaults.
    public init() {}

    /// Checks ranges and combinations.
    public func validate() throws {
        guard signatureLength >= 1 && signatureLength <= 1 << 16 else {
            throw ValidationError("--k must be in 1...65536")
        }
        guard ShinglingOptions.Unit(shingle) != nil else {
            throw ValidationError("--shingle must be words:N or chars:N with N in 1...1000")
        }
        guard threshold > 0 && threshold < 1 else { throw ValidationError("--threshold must be in (0, 1)") }
        guard (bands == nil) == (rows == nil) else { throw ValidationError("give --bands and --rows together") }
        if let bands, let rows {
            guard bands >= 1 && rows >= 1 && bands * rows <= signatureLength else {
                throw ValidationError("--bands × --rows must be in 1...k (\(signatureLength))")
            }
        }
    }

    /// The shingling options (default normalization, `--seed`).
    public var shinglingOptions: ShinglingOptions {
        ShinglingOptions(unit: ShinglingOptions.Unit(shingle) ?? .words(5), seed: seed)
    }

    /// `--bands`/`--rows`, or the optimum for `--threshold` with ``DeduplicationOptions``' default
    /// false-positive and false-negative weights (so `bands` and `dedupe --measure jaccard` agree).
    public var banding: BandingParameters {
        if let bands, let rows { return BandingParameters(bandCount: bands, rowsPerBand: rows) }
        let defaults = DeduplicationOptions()
        return .optimal(
            threshold: threshold, signatureLength: signatureLength,
            falsePositiveWeight: defaults.falsePositiveWeight, falseNegativeWeight: defaults.falseNegativeWeight)
    }

    /// The scheme `--scheme` names, with `--k` and `--seed`.
    public func makeScheme() -> any SignatureScheme {
        scheme.make(length: signatureLength, seed: seed)
    }
}
