import ArgumentParser
import SimCore

/// `--shingle` and `--seed`: how documents become shingle hashes.
///
/// `--seed` is the one hash seed of a run: the shingle hash's seed and the signature scheme's,
/// from which the scheme draws its keys with ``SplitMix64``. (The seed of a *generated corpus*
/// is `--corpus-seed`.)
public struct ShinglingOptionGroup: ParsableArguments {
    /// The shingle unit, `words:N` or `chars:K`.
    @Option(help: "Shingles: words:N (word N-grams) or chars:K (character K-grams), N and K in 1...1000.")
    public var shingle: ShinglingOptions.Unit = .words(5)

    /// The one hash seed.
    @Option(parsing: .unconditional, help: "The seed of the shingle hash and of the signature scheme (the same keys on every machine).")
    public var seed: UInt64 = 0

    /// Creates the defaults.
    public init() {}

    /// The shingling options (default normalization).
    public var shinglingOptions: ShinglingOptions {
        ShinglingOptions(unit: shingle, seed: seed)
    }
}

/// `-k`/`--signature-length`: values per signature.
public struct SignatureLengthOption: ParsableArguments {
    /// The signature length k.
    @Option(name: [.customShort("k"), .long], parsing: .unconditional, help: "Signature length k: values per document, 1...4096.")
    public var signatureLength: Int = 128

    /// Creates the default.
    public init() {}

    /// Checks the length.
    public func validate() throws {
        guard (1...4_096).contains(signatureLength) else {
            throw ValidationError("--signature-length (-k) must be in 1...4096, not \(signatureLength)")
        }
    }
}

/// `--scheme` and `-k`/`--signature-length`: which MinHash-family signature documents get.
public struct SignatureOptionGroup: ParsableArguments {
    /// The signature scheme.
    @Option(help: "Signature scheme: \(SignatureSchemeKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    public var scheme: SignatureSchemeKind = .oph

    /// The signature length.
    @OptionGroup public var length: SignatureLengthOption

    /// Creates the defaults.
    public init() {}

    /// The signature length k.
    public var signatureLength: Int { length.signatureLength }

    /// The scheme `--scheme` names, with `-k` and the given seed.
    ///
    /// - Parameter seed: The run's hash seed (``ShinglingOptionGroup/seed``).
    /// - Returns: The scheme.
    public func makeScheme(seed: UInt64) -> any SignatureScheme {
        scheme.make(signatureLength: signatureLength, seed: seed)
    }
}

/// `--threshold`, `--bands`, `--rows`: which pairs LSH banding should catch.
public struct BandingOptionGroup: ParsableArguments {
    /// The similarity threshold the banding is tuned for.
    @Option(parsing: .unconditional, help: "Similarity threshold in (0, 1).")
    public var threshold: Double = DeduplicationOptions().threshold

    /// An explicit band count (with `--rows`).
    @Option(parsing: .unconditional, help: "Explicit number of bands b (with --rows; default: the optimum for --threshold).")
    public var bands: Int?

    /// An explicit rows-per-band count (with `--bands`).
    @Option(parsing: .unconditional, help: "Explicit rows per band r (with --bands); b × r must not exceed -k.")
    public var rows: Int?

    /// Creates the defaults.
    public init() {}

    /// Checks ranges and combinations against the signature length `signatureLength`.
    ///
    /// - Parameter signatureLength: k.
    /// - Throws: `ValidationError` naming the option and the value.
    public func validate(signatureLength: Int) throws {
        guard threshold > 0 && threshold < 1 else {
            throw ValidationError("--threshold must be in (0, 1), not \(threshold)")
        }
        guard (bands == nil) == (rows == nil) else { throw ValidationError("give --bands and --rows together") }
        if let bands, let rows {
            guard bands >= 1, rows >= 1, bands <= signatureLength, rows <= signatureLength,
                  bands * rows <= signatureLength else {
                throw ValidationError("--bands × --rows must be in 1...k (\(signatureLength)), not \(bands) × \(rows)")
            }
        }
    }

    /// `--bands`/`--rows`, or the optimum for `--threshold` with ``DeduplicationOptions``' default
    /// false-positive and false-negative weights (so `bands` and `dedupe --measure jaccard` agree).
    ///
    /// - Parameter signatureLength: k.
    /// - Returns: The banding.
    public func banding(signatureLength: Int) -> BandingParameters {
        if let bands, let rows { return BandingParameters(bandCount: bands, rowsPerBand: rows) }
        let defaults = DeduplicationOptions()
        return .optimal(
            threshold: threshold, signatureLength: signatureLength,
            falsePositiveWeight: defaults.falsePositiveWeight, falseNegativeWeight: defaults.falseNegativeWeight)
    }
}

/// `--threads`: how many cores a command may use.
public struct ThreadOptionGroup: ParsableArguments {
    /// Worker threads.
    @Option(parsing: .unconditional, help: "Worker threads, 1...1024 (default: the cores this process may run on). Output is identical for every count.")
    public var threads: Int = Parallelism.defaultThreadCount

    /// Creates the defaults.
    public init() {}

    /// Checks the count.
    public func validate() throws {
        guard (1...1_024).contains(threads) else { throw ValidationError("--threads must be in 1...1024, not \(threads)") }
    }
}
