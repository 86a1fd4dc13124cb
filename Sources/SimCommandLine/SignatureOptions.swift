import ArgumentParser
import SimCore

/// `--shingle` and `--seed`: how documents become shingle hashes.
///
/// `--seed` is the one hash seed of a run: the shingle hash's seed and the signature scheme's,
/// from which the scheme draws its keys with ``SplitMix64``. (The seed of a *generated corpus*
/// is `--corpus-seed`.)
public struct ShinglingOptionGroup: ParsableArguments {
    /// `--shingle` as given, `nil` when left out.
    @Option(name: .customLong("shingle"), help: "Shingles: words:N (word N-grams) or chars:K (character K-grams), N and K in 1...1000 (default: words:5).")
    public var shingleValue: ShinglingOptions.Unit?

    /// `--seed` as given, `nil` when left out.
    @Option(name: .customLong("seed"), parsing: .unconditional, help: "The seed of the shingle hash and of the signature scheme (the same keys on every machine; default: 0).")
    public var seedValue: UInt64?

    /// Creates the defaults.
    public init() {}

    /// The shingle unit, `words:N` or `chars:K` (default `words:5`).
    public var shingle: ShinglingOptions.Unit { shingleValue ?? .words(5) }

    /// The one hash seed (default 0).
    public var seed: UInt64 { seedValue ?? 0 }

    /// The shingling options (default normalization).
    public var shinglingOptions: ShinglingOptions {
        ShinglingOptions(unit: shingle, seed: seed)
    }
}

/// `-k`/`--signature-length`: values per signature.
public struct SignatureLengthOption: ParsableArguments {
    /// `-k` as given, `nil` when left out.
    @Option(name: [.customShort("k"), .customLong("signature-length")], parsing: .unconditional, help: "Signature length k: values per document, 1...4096 (default: 128).")
    public var signatureLengthValue: Int?

    /// Creates the default.
    public init() {}

    /// The signature length k (default 128).
    public var signatureLength: Int { signatureLengthValue ?? 128 }

    /// Checks the length.
    public func validate() throws {
        guard (1...4_096).contains(signatureLength) else {
            throw ValidationError("--signature-length (-k) must be in 1...4096, not \(signatureLength)")
        }
    }
}

/// `--scheme` and `-k`/`--signature-length`: which MinHash-family signature documents get.
public struct SignatureOptionGroup: ParsableArguments {
    /// `--scheme` as given, `nil` when left out.
    @Option(name: .customLong("scheme"), help: "Signature scheme: \(SignatureSchemeKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: oph).")
    public var schemeValue: SignatureSchemeKind?

    /// The signature length.
    @OptionGroup public var length: SignatureLengthOption

    /// Creates the defaults.
    public init() {}

    /// The signature scheme (default `oph`).
    public var scheme: SignatureSchemeKind { schemeValue ?? .oph }

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
    /// `--threshold` as given, `nil` when left out. Read unconditionally, so that
    /// `--threshold -0.5` is refused for its value rather than taken for a missing one.
    @Option(
        name: .customLong("threshold"), parsing: .unconditional,
        help: "Similarity threshold in (0, 1]; 1 means exact duplicates (identical shingle sets) (default: 0.8).")
    public var thresholdValue: Double?

    /// An explicit band count (with `--rows`).
    @Option(parsing: .unconditional, help: "Explicit number of bands b (with --rows; default: the optimum for --threshold).")
    public var bands: Int?

    /// An explicit rows-per-band count (with `--bands`).
    @Option(parsing: .unconditional, help: "Explicit rows per band r (with --bands); b × r must not exceed -k.")
    public var rows: Int?

    /// Creates the defaults.
    public init() {}

    /// The similarity threshold the banding is tuned for (default 0.8, the engine's).
    public var threshold: Double { thresholdValue ?? DeduplicationOptions().threshold }

    /// Checks ranges and combinations against the signature length `signatureLength`.
    ///
    /// - Parameter signatureLength: k.
    /// - Throws: `ValidationError` naming the option and the value.
    public func validate(signatureLength: Int) throws {
        try Self.validate(threshold: threshold)
        guard (bands == nil) == (rows == nil) else { throw ValidationError("give --bands and --rows together") }
        if let bands, let rows {
            guard bands >= 1, rows >= 1, bands <= signatureLength, rows <= signatureLength,
                  bands * rows <= signatureLength else {
                throw ValidationError("--bands × --rows must be in 1...k (\(signatureLength)), not \(bands) × \(rows)")
            }
        }
    }

    /// Checks a similarity threshold: in (0, 1], echoed in the message when it is not.
    ///
    /// - Parameter threshold: The value given.
    /// - Throws: `ValidationError` naming `--threshold` and the value.
    public static func validate(threshold: Double) throws {
        guard threshold > 0 && threshold <= 1 else {
            throw ValidationError("--threshold must be in (0, 1] (1: exact duplicates), not \(threshold)")
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

/// `--verification` and `--verification-bits`: how candidates are confirmed, and how much of each
/// signature the engine keeps to confirm them.
///
/// ```swift
/// // simdedup dedupe --measure jaccard --verification-bits 8 corpus.jsonl
/// options.verification = group.verification          // .estimated
/// options.verificationBits = group.verificationBits  // 8: 128 bytes per document at k = 128
/// ```
public struct VerificationOptionGroup: ParsableArguments {
    /// `--verification` as given, `nil` when left out.
    @Option(name: .customLong("verification"), help: "Verify candidates: estimated (from signatures) or exact (from shingle sets, more memory) (default: estimated).")
    public var verificationValue: DeduplicationOptions.Verification?

    /// `--verification-bits` as given, `nil` when left out.
    @Option(name: .customLong("verification-bits"), help: "Bits of each signature value kept to verify candidates: 64 (whole), 16, 8 or 4 (2·k, k or k/2 bytes per document; estimates a little noisier) (default: 64).")
    public var verificationBitsValue: Int?

    /// Creates the defaults.
    public init() {}

    /// Estimated (from signatures) or exact (from shingle sets); default estimated.
    public var verification: DeduplicationOptions.Verification { verificationValue ?? DeduplicationOptions().verification }

    /// Bits of each signature value kept for verification: 64, 16, 8 or 4; default 64.
    public var verificationBits: Int { verificationBitsValue ?? DeduplicationOptions().verificationBits }

    /// Checks the bits.
    public func validate() throws {
        let supported = DeduplicationOptions.supportedVerificationBits
        guard supported.contains(verificationBits) else {
            let choices = supported.reversed().map(String.init)
            throw ValidationError(
                "--verification-bits must be \(choices.dropLast().joined(separator: ", ")) or \(choices.last!), not \(verificationBits)")
        }
    }
}
