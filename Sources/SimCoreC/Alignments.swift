import CSimCore
import SimCore

/// SimCore's alignments and reuse pairs as C sees them: passages copied into library-allocated
/// arrays (released by `simcore_alignment_free` or `simcore_reuse_pairs_free`).
enum CAlignments {
    /// One passage as C sees it.
    static func passage(_ passage: AlignedPassage) -> simcore_passage {
        simcore_passage(
            a_start: passage.bytesA.lowerBound, a_end: passage.bytesA.upperBound,
            b_start: passage.bytesB.lowerBound, b_end: passage.bytesB.upperBound,
            words_a_start: passage.wordsA.lowerBound, words_a_end: passage.wordsA.upperBound,
            words_b_start: passage.wordsB.lowerBound, words_b_end: passage.wordsB.upperBound,
            matched_words: passage.matchedWords, similarity: passage.similarity, reserved: 0)
    }

    /// An alignment whose passages live at `passages` (`alignment.passages.count` of them, or
    /// `nil` when there are none): the counts and coverage, and the pointer.
    static func alignment(_ alignment: Alignment, passages: UnsafeMutablePointer<simcore_passage>?) -> simcore_alignment {
        simcore_alignment(
            count: alignment.passages.count, passages: alignment.passages.isEmpty ? nil : passages,
            word_count_a: alignment.wordCountA, word_count_b: alignment.wordCountB,
            coverage_a: alignment.coverageA, coverage_b: alignment.coverageB)
    }

    /// `alignment` with its passages in a new library-allocated array.
    static func allocated(_ alignment: Alignment) -> simcore_alignment {
        self.alignment(alignment, passages: CTexts.allocatedCopy(of: alignment.passages.map(passage)))
    }

    /// `pairs` in new library-allocated arrays: the pairs, and every pair's passages in one block,
    /// pair after pair, each pair's alignment pointing at its own.
    ///
    /// - Parameters:
    ///   - pairs: The pairs, in the order C receives them.
    ///   - boilerplateLines: Distinct boilerplate lines blanked before the pairs were found.
    static func allocated(_ pairs: [ReusedPair], boilerplateLines: Int = 0) -> simcore_reuse_pairs {
        var passages: [simcore_passage] = []
        passages.reserveCapacity(pairs.reduce(0) { $0 + $1.alignment.passages.count })
        for pair in pairs { passages.append(contentsOf: pair.alignment.passages.map(passage)) }
        let block = CTexts.allocatedCopy(of: passages)
        var start = 0
        var values: [simcore_reuse_pair] = []
        values.reserveCapacity(pairs.count)
        for pair in pairs {
            // SAFETY: start + this pair's passage count <= passages.count, the block's length.
            values.append(simcore_reuse_pair(
                a: Int64(pair.first), b: Int64(pair.second), alignment: alignment(pair.alignment, passages: block.map { $0 + start })))
            start += pair.alignment.passages.count
        }
        return simcore_reuse_pairs(
            count: values.count, pairs: CTexts.allocatedCopy(of: values), passage_count: passages.count, passages: block,
            boilerplate_lines: boilerplateLines)
    }
}

/// `simcore_align`.
@c public func simcore_align(
    _ options: UnsafePointer<simcore_alignment_options>?, _ a: UnsafePointer<UInt8>?, _ aLength: Int,
    _ b: UnsafePointer<UInt8>?, _ bLength: Int, _ out: UnsafeMutablePointer<simcore_alignment>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let options = try CAlignmentOptions(options)
        let out = try required(out, "out")
        let first = try CTexts.buffer(a, length: aLength, name: "a", replacesInvalidUTF8: options.replacesInvalidUTF8)
        let second = try CTexts.buffer(b, length: bLength, name: "b", replacesInvalidUTF8: options.replacesInvalidUTF8)
        out.pointee = CAlignments.allocated(PassageAligner(options: options.alignment).align(utf8: first, second))
    }
}

/// `simcore_alignment_free`.
@c public func simcore_alignment_free(_ alignment: UnsafeMutablePointer<simcore_alignment>?) {
    guard let alignment else { return }
    UnsafeMutableRawPointer(alignment.pointee.passages)?.deallocate()
    alignment.pointee = simcore_alignment()
}

/// `simcore_reuse_pairs_free`.
@c public func simcore_reuse_pairs_free(_ pairs: UnsafeMutablePointer<simcore_reuse_pairs>?) {
    guard let pairs else { return }
    UnsafeMutableRawPointer(pairs.pointee.pairs)?.deallocate()
    UnsafeMutableRawPointer(pairs.pointee.passages)?.deallocate()
    pairs.pointee = simcore_reuse_pairs()
}
