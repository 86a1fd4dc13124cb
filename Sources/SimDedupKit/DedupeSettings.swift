import SimCommandLine
import SimCore

/// The engine settings of a `simdedup dedupe` run: from the flags, or, with `--state` and an
/// existing state file, from the file, where a flag that disagrees with the file is refused
/// (a state file's documents were signed and indexed with its settings, so a run with other
/// settings would compare incomparable signatures).
///
/// ```swift
/// let settings = try DedupeSettings(command: command, saved: try SavedDeduplicatorSettings(contentsOf: "seen.state"), statePath: "seen.state")
/// settings.description   // "overlap ≥ 0.8, oph k=128, words:5"
/// ```
struct DedupeSettings: CustomStringConvertible {
    /// The signature scheme.
    var scheme: SignatureSchemeKind
    /// k.
    var signatureLength: Int
    /// The hash seed.
    var seed: UInt64
    /// The engine options (threads from `--threads`).
    var options: DeduplicationOptions

    /// The settings the flags give.
    init(command: DedupeCommand) {
        scheme = command.signature.scheme
        signatureLength = command.signature.signatureLength
        seed = command.shingling.seed
        options = command.deduplicationOptions
    }

    /// The settings of a state file, after checking that every flag given explicitly agrees.
    ///
    /// - Throws: ``CommandError`` (exit status 2) listing each disagreeing flag with the state
    ///   file's value.
    init(command: DedupeCommand, saved: SavedDeduplicatorSettings, statePath: String) throws(CommandError) {
        var conflicts: [String] = []
        func check<T: Equatable>(_ flag: String, _ given: T?, _ stored: T, _ show: (T) -> String = { "\($0)" }) {
            if let given, given != stored { conflicts.append("\(flag) \(show(given)) (the state file has \(show(stored)))") }
        }
        check("--shingle", command.shingling.shingleValue, saved.options.shingling.unit)
        check("--seed", command.shingling.seedValue, saved.seed)
        check("--scheme", command.signature.schemeValue, saved.scheme, \.rawValue)
        check("--signature-length", command.signature.length.signatureLengthValue, saved.signatureLength)
        check("--threshold", command.banding.thresholdValue, saved.options.threshold)
        check("--measure", command.measureValue, saved.options.measure, \.rawValue)
        check("--verification", command.verification.verificationValue, saved.options.verification, \.rawValue)
        check("--verification-bits", command.verification.verificationBitsValue, saved.options.verificationBits)
        if let bands = command.banding.bands, let rows = command.banding.rows {
            let given = BandingParameters(bandCount: bands, rowsPerBand: rows)
            if given != saved.options.banding {
                conflicts.append("--bands \(bands) --rows \(rows) (the state file has \(saved.options.banding.map { "--bands \($0.bandCount) --rows \($0.rowsPerBand)" } ?? "the optimal banding"))")
            }
        }
        guard conflicts.isEmpty else {
            throw CommandError(
                "\(statePath) was made with other settings: \(conflicts.joined(separator: ", ")); its documents can only be "
                    + "compared under its own settings: leave these flags out, or start a new state file", status: .usage)
        }
        scheme = saved.scheme
        signatureLength = saved.signatureLength
        seed = saved.seed
        options = saved.options
        options.threads = command.threads.threads
    }

    /// The scheme these settings name.
    func makeScheme() -> any SignatureScheme {
        scheme.make(signatureLength: signatureLength, seed: seed)
    }

    /// `overlap ≥ 0.8, oph k=128, words:5` (exact duplicates: `exact duplicates (identical shingle sets), …`).
    var description: String {
        let rule = options.findsExactDuplicates
            ? "exact duplicates (identical shingle sets)" : "\(options.measure) ≥ \(options.threshold)"
        let verification = options.verification == .exact && !options.findsExactDuplicates ? ", exact verification" : ""
        let seedText = seed == 0 ? "" : " seed \(seed)"
        return "\(rule)\(verification), \(scheme.rawValue) k=\(signatureLength), \(options.shingling.unit)\(seedText)"
    }
}
