import CSimCore
import SimCore

/// A `simcore_options` checked and turned into SimCore's types.
///
/// Every range the Swift API states as a precondition is checked here first, with a message
/// naming the field and the value, so a bad option is `SIMCORE_E_INVALID_ARGUMENT`, never a trap.
struct COptions {
    /// How documents become shingles.
    let shingling: ShinglingOptions
    /// The signature scheme's name.
    let schemeKind: SignatureSchemeKind
    /// k.
    let signatureLength: Int
    /// The one hash seed (shingles and scheme).
    let seed: UInt64
    /// The deduplicator's options (threads included).
    let deduplication: DeduplicationOptions
    /// Worker threads for batch calls.
    let threads: Int
    /// Whether invalid UTF-8 is replaced (true) or refused.
    let replacesInvalidUTF8: Bool

    /// The limits of the command lines' `--signature-length`, `--threads` and `--shingle`.
    static let signatureLengths = 1...4_096
    static let threadCounts = 1...1_024
    static let shingleWidths = 1...1_000

    /// The scheme these options name, with their k and seed.
    var scheme: any SignatureScheme { schemeKind.make(signatureLength: signatureLength, seed: seed) }

    /// Reads and checks `options`.
    ///
    /// - Parameter pointer: The caller's options (from `simcore_options_init`).
    /// - Throws: ``CError`` naming the first field out of range.
    init(_ pointer: UnsafePointer<simcore_options>?) throws(CError) {
        let raw = try required(pointer, "options").pointee
        guard raw.struct_size >= UInt32(MemoryLayout<simcore_options>.size) else {
            throw .invalidArgument(
                "options.struct_size is \(raw.struct_size), expected at least \(MemoryLayout<simcore_options>.size): "
                    + "fill options with simcore_options_init first")
        }
        guard Self.shingleWidths.contains(Int(raw.shingle_width)) else {
            throw .invalidArgument("options.shingle_width must be in 1...1000, not \(raw.shingle_width)")
        }
        let unit: ShinglingOptions.Unit
        switch Int32(bitPattern: raw.shingle_unit) {
        case SIMCORE_SHINGLE_WORDS: unit = .words(Int(raw.shingle_width))
        case SIMCORE_SHINGLE_CHARS: unit = .characters(Int(raw.shingle_width))
        default:
            throw .invalidArgument(
                "options.shingle_unit must be SIMCORE_SHINGLE_WORDS (1) or SIMCORE_SHINGLE_CHARS (2), not \(raw.shingle_unit)")
        }
        let normalization = try Self.normalization(
            lowercase: raw.lowercase, foldCompatibilityForms: raw.fold_compatibility_forms, keepPunctuation: raw.keep_punctuation)
        shingling = ShinglingOptions(unit: unit, seed: raw.seed, normalization: normalization)
        seed = raw.seed

        switch Int32(bitPattern: raw.scheme) {
        case SIMCORE_SCHEME_OPH: schemeKind = .oph
        case SIMCORE_SCHEME_MINHASH: schemeKind = .minhash
        case SIMCORE_SCHEME_SUPERMINHASH: schemeKind = .superminhash
        case SIMCORE_SCHEME_MINHASH_B1: schemeKind = .minhashB1
        default: throw .invalidArgument("options.scheme must be one of SIMCORE_SCHEME_* (1...4), not \(raw.scheme)")
        }
        guard Self.signatureLengths.contains(Int(raw.signature_length)) else {
            throw .invalidArgument("options.signature_length must be in 1...4096, not \(raw.signature_length)")
        }
        signatureLength = Int(raw.signature_length)

        threads = try Self.threadCount(raw.threads)
        replacesInvalidUTF8 = try Self.replacesInvalidUTF8(raw.invalid_utf8)

        var deduplication = DeduplicationOptions()
        deduplication.shingling = shingling
        deduplication.threads = threads
        switch Int32(bitPattern: raw.measure) {
        case SIMCORE_MEASURE_JACCARD: deduplication.measure = .jaccard
        case SIMCORE_MEASURE_OVERLAP: deduplication.measure = .overlap
        default:
            throw .invalidArgument(
                "options.measure must be SIMCORE_MEASURE_OVERLAP (3) or SIMCORE_MEASURE_JACCARD (1), not \(raw.measure)"
                    + " (directed containment is for exact similarity only)")
        }
        guard raw.threshold > 0 && raw.threshold <= 1 else {
            throw .invalidArgument("options.threshold must be in (0, 1] (1: exact duplicates), not \(raw.threshold)")
        }
        deduplication.threshold = raw.threshold
        switch Int32(bitPattern: raw.verification) {
        case SIMCORE_VERIFY_ESTIMATED: deduplication.verification = .estimated
        case SIMCORE_VERIFY_EXACT: deduplication.verification = .exact
        default:
            throw .invalidArgument(
                "options.verification must be SIMCORE_VERIFY_ESTIMATED (1) or SIMCORE_VERIFY_EXACT (2), not \(raw.verification)")
        }
        switch (raw.bands, raw.rows) {
        case (0, 0):
            break
        case let (bands, rows) where bands >= 1 && rows >= 1 && UInt64(bands) * UInt64(rows) <= UInt64(raw.signature_length):
            guard deduplication.measure == .jaccard else {
                throw .invalidArgument("options.bands and options.rows apply to SIMCORE_MEASURE_JACCARD only; set both to 0")
            }
            deduplication.banding = BandingParameters(bandCount: Int(bands), rowsPerBand: Int(rows))
        default:
            throw .invalidArgument(
                "options.bands × options.rows must both be 0 or multiply to 1...signature_length (\(raw.signature_length)), "
                    + "not \(raw.bands) × \(raw.rows)")
        }
        self.deduplication = deduplication
    }

    /// The scheme, checked to be one an index can band.
    ///
    /// - Throws: ``CError`` for `SIMCORE_SCHEME_MINHASH_B1`.
    func bandableScheme() throws(CError) -> any SignatureScheme {
        guard schemeKind.isBandable else {
            throw .invalidArgument(
                "options.scheme SIMCORE_SCHEME_MINHASH_B1 cannot be banded; a deduplicator takes OPH, MINHASH or SUPERMINHASH")
        }
        return scheme
    }

    // The fields simcore_options and simcore_alignment_options share, checked the same way.

    /// A 0-or-1 field as a `Bool`.
    static func flag(_ value: UInt32, _ name: String) throws(CError) -> Bool {
        guard value <= 1 else { throw .invalidArgument("options.\(name) must be 0 or 1, not \(value)") }
        return value == 1
    }

    /// The three normalization fields.
    ///
    /// - Throws: ``CError`` naming a field that is neither 0 nor 1.
    static func normalization(
        lowercase: UInt32, foldCompatibilityForms: UInt32, keepPunctuation: UInt32
    ) throws(CError) -> NormalizationOptions {
        NormalizationOptions(
            lowercase: try flag(lowercase, "lowercase"),
            foldCompatibilityForms: try flag(foldCompatibilityForms, "fold_compatibility_forms"),
            keepPunctuation: try flag(keepPunctuation, "keep_punctuation"))
    }

    /// `threads`: 0 for every core, else 1...1024.
    ///
    /// - Throws: ``CError`` for any other value.
    static func threadCount(_ value: UInt32) throws(CError) -> Int {
        guard value == 0 || threadCounts.contains(Int(value)) else {
            throw .invalidArgument("options.threads must be 0 (every core) or 1...1024, not \(value)")
        }
        return value == 0 ? Parallelism.defaultThreadCount : Int(value)
    }

    /// `invalid_utf8`: whether invalid UTF-8 is let through (REPLACE) or refused (REJECT).
    ///
    /// - Throws: ``CError`` for any other value.
    static func replacesInvalidUTF8(_ value: UInt32) throws(CError) -> Bool {
        switch Int32(bitPattern: value) {
        case SIMCORE_UTF8_REJECT: return false
        case SIMCORE_UTF8_REPLACE: return true
        default:
            throw .invalidArgument(
                "options.invalid_utf8 must be SIMCORE_UTF8_REJECT (1) or SIMCORE_UTF8_REPLACE (2), not \(value)")
        }
    }
}
