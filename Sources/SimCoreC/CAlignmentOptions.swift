import CSimCore
import SimCore

/// A `simcore_alignment_options` checked and turned into SimCore's types.
///
/// Every range `AlignmentOptions` and `ReuseOptions` state as a precondition (and the command
/// lines' limits) is checked here first, with a message naming the field and the value, so a bad
/// option is `SIMCORE_E_INVALID_ARGUMENT`, never a trap.
struct CAlignmentOptions {
    /// How pairs are aligned and which n-grams the reuse index leaves out.
    let reuse: ReuseOptions
    /// Whether `simcore_reuse` and `simcore_reuse_index_new` blank boilerplate lines.
    let blanksBoilerplate: Bool
    /// Worker threads for reuse calls.
    let threads: Int
    /// Whether invalid UTF-8 is let through (matched as separators) or refused.
    let replacesInvalidUTF8: Bool

    /// How one pair is aligned.
    var alignment: AlignmentOptions { reuse.alignment }

    /// The limits of `simdedup align`'s and `reuse`'s `--shingle words:N`, `--min-passage-words`
    /// and `--max-gap`.
    static let ngramWidths = 1...1_000
    static let minimumPassageWords = 1...100_000
    static let maximumGaps = 0...10_000

    /// `simcore_alignment_options_init`'s values: SimCore's defaults.
    static var defaults: simcore_alignment_options {
        let reuse = ReuseOptions()
        let normalization = reuse.alignment.normalization
        var value = simcore_alignment_options()
        value.struct_size = UInt32(MemoryLayout<simcore_alignment_options>.size)
        value.ngram_width = UInt32(reuse.alignment.ngramWidth)
        value.minimum_passage_words = UInt32(reuse.alignment.minimumPassageWords)
        value.maximum_gap = UInt32(reuse.alignment.maximumGap)
        value.seed = reuse.alignment.seed
        value.lowercase = normalization.lowercase ? 1 : 0
        value.fold_compatibility_forms = normalization.foldCompatibilityForms ? 1 : 0
        value.keep_punctuation = normalization.keepPunctuation ? 1 : 0
        value.invalid_utf8 = UInt32(SIMCORE_UTF8_REJECT)
        value.maximum_document_frequency = UInt32(reuse.maximumDocumentFrequency)
        value.boilerplate = UInt32(SIMCORE_BOILERPLATE_AUTO)
        value.threads = 0
        value.reserved = 0
        return value
    }

    /// Reads and checks `options`.
    ///
    /// - Parameter pointer: The caller's options (from `simcore_alignment_options_init`).
    /// - Throws: ``CError`` naming the first field out of range.
    init(_ pointer: UnsafePointer<simcore_alignment_options>?) throws(CError) {
        let raw = try required(pointer, "options").pointee
        guard raw.struct_size >= UInt32(MemoryLayout<simcore_alignment_options>.size) else {
            throw .invalidArgument(
                "options.struct_size is \(raw.struct_size), expected at least \(MemoryLayout<simcore_alignment_options>.size): "
                    + "fill options with simcore_alignment_options_init first")
        }
        guard Self.ngramWidths.contains(Int(raw.ngram_width)) else {
            throw .invalidArgument("options.ngram_width must be in 1...1000, not \(raw.ngram_width)")
        }
        guard Self.minimumPassageWords.contains(Int(raw.minimum_passage_words)) else {
            throw .invalidArgument("options.minimum_passage_words must be in 1...100000, not \(raw.minimum_passage_words)")
        }
        guard Self.maximumGaps.contains(Int(raw.maximum_gap)) else {
            throw .invalidArgument("options.maximum_gap must be in 0...10000, not \(raw.maximum_gap)")
        }
        let normalization = try COptions.normalization(
            lowercase: raw.lowercase, foldCompatibilityForms: raw.fold_compatibility_forms, keepPunctuation: raw.keep_punctuation)
        replacesInvalidUTF8 = try COptions.replacesInvalidUTF8(raw.invalid_utf8)
        guard raw.maximum_document_frequency >= 2 else {
            throw .invalidArgument("options.maximum_document_frequency must be at least 2, not \(raw.maximum_document_frequency)")
        }
        switch Int32(bitPattern: raw.boilerplate) {
        case SIMCORE_BOILERPLATE_AUTO: blanksBoilerplate = true
        case SIMCORE_BOILERPLATE_OFF: blanksBoilerplate = false
        default:
            throw .invalidArgument(
                "options.boilerplate must be SIMCORE_BOILERPLATE_AUTO (1) or SIMCORE_BOILERPLATE_OFF (2), not \(raw.boilerplate)")
        }
        threads = try COptions.threadCount(raw.threads)
        guard raw.reserved == 0 else { throw .invalidArgument("options.reserved must be 0, not \(raw.reserved)") }
        let alignment = AlignmentOptions(
            ngramWidth: Int(raw.ngram_width), minimumPassageWords: Int(raw.minimum_passage_words),
            maximumGap: Int(raw.maximum_gap), seed: raw.seed, normalization: normalization)
        reuse = ReuseOptions(alignment: alignment, maximumDocumentFrequency: Int(raw.maximum_document_frequency))
    }
}

/// `simcore_alignment_options_init`: SimCore's defaults, the same as `simdedup reuse`'s flags.
@c public func simcore_alignment_options_init(_ options: UnsafeMutablePointer<simcore_alignment_options>?) {
    options?.pointee = CAlignmentOptions.defaults
}
