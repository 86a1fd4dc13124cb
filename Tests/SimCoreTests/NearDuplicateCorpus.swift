@testable import SimCore

/// A small seeded corpus of text documents with planted near-duplicates, for the index and
/// dedupe tests (the full generator is `simbench generate`).
///
/// Originals are 100 to 160 words drawn from a vocabulary of 4,000 random lowercase words.
/// Every `groupEvery`-th original gets 1 to 3 copies; each copy replaces `edits` random
/// positions of the original with random words, `edits` drawn uniformly from `editRange`.
/// Copies follow their original; the same seed gives the same corpus everywhere.
struct NearDuplicateCorpus {
    var documents: [String] = []
    /// For each document, the index of the original it was copied from (itself for originals).
    var origin: [Int] = []

    init(count: Int, seed: UInt64, groupEvery: Int = 4, editRange: ClosedRange<Int> = 0...4) {
        var generator = SplitMix64(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let vocabulary: [String] = (0..<4_000).map { _ in
            let length = 3 + Int(generator.next() % 6)
            return String((0..<length).map { _ in letters[Int(generator.next() % 26)] })
        }
        func word() -> String { vocabulary[Int(generator.next() % UInt64(vocabulary.count))] }
        var originals = 0
        while documents.count < count {
            let length = 100 + Int(generator.next() % 61)
            let words = (0..<length).map { _ in word() }
            let originIndex = documents.count
            documents.append(words.joined(separator: " "))
            origin.append(originIndex)
            originals += 1
            guard originals % groupEvery == 0 else { continue }
            let copies = 1 + Int(generator.next() % 3)
            for _ in 0..<copies where documents.count < count {
                var copy = words
                let span = editRange.upperBound - editRange.lowerBound + 1
                let edits = editRange.lowerBound + Int(generator.next() % UInt64(span))
                for _ in 0..<edits { copy[Int(generator.next() % UInt64(copy.count))] = word() }
                documents.append(copy.joined(separator: " "))
                origin.append(originIndex)
            }
        }
    }
}
