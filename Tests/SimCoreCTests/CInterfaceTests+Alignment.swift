import Foundation
import SimCore
import SimCoreFixtures

/// The alignment and reuse lines `CProgram/simcore_check.c` prints, computed with SimCore's Swift
/// API in the same order (see the program's header comment for the format).
extension CInterfaceTests {
    /// The corpus `simbench generate --documents 500 --corpus-seed 7 --paragraph-reuse-probability 0.5
    /// --reused-paragraph-edit-probability 0.5` writes: reprints, and paragraphs borrowed by
    /// unrelated stories, half of them lightly edited.
    static func plantedCorpus() -> [Document] {
        var generator = CorpusGenerator(options: CorpusGeneratorOptions(
            documentCount: 500, seed: 7, paragraphReuseProbability: 0.5, reusedParagraphEditProbability: 0.5))
        var documents: [Document] = []
        while let (document, _) = generator.next() { documents.append(document) }
        return documents
    }

    /// Documents as the C program reads them: each an 8-byte little-endian length, then its bytes.
    static func lengthPrefixed(_ documents: [Document]) -> Data {
        var data = Data()
        for document in documents {
            withUnsafeBytes(of: UInt64(document.utf8.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: document.utf8)
        }
        return data
    }

    static func passageLines(_ alignment: Alignment) -> [String] {
        alignment.passages.map { passage in
            "passage \(passage.bytesA.lowerBound) \(passage.bytesA.upperBound) \(passage.bytesB.lowerBound) "
                + "\(passage.bytesB.upperBound) \(passage.wordsA.lowerBound) \(passage.wordsA.upperBound) "
                + "\(passage.wordsB.lowerBound) \(passage.wordsB.upperBound) \(passage.matchedWords) \(bits(passage.similarity))"
        }
    }

    static func alignmentLines(_ label: String, _ a: Int, _ b: Int, _ alignment: Alignment) -> [String] {
        ["align \(label) \(a) \(b) \(alignment.passages.count) \(alignment.wordCountA) \(alignment.wordCountB) "
            + "\(bits(alignment.coverageA)) \(bits(alignment.coverageB))"] + passageLines(alignment)
    }

    static func pairLines(_ label: String, _ pairs: [ReusedPair], boilerplateLines: Int = 0) -> [String] {
        var lines = ["reuse \(label) \(pairs.count) \(pairs.reduce(0) { $0 + $1.alignment.passages.count }) \(boilerplateLines)"]
        for pair in pairs {
            let alignment = pair.alignment
            lines.append(
                "pair \(label) \(pair.first) \(pair.second) \(alignment.passages.count) \(alignment.wordCountA) "
                    + "\(alignment.wordCountB) \(bits(alignment.coverageA)) \(bits(alignment.coverageB))")
            lines += passageLines(alignment)
        }
        return lines
    }

    /// `simdedup reuse`'s way: boilerplate lines blanked (auto), then every pair.
    static func reuse(_ documents: [Document]) -> (pairs: [ReusedPair], boilerplateLines: Int) {
        let (model, blanked) = BoilerplateLines.blanking(documents)
        return (ReuseIndex.pairs(in: blanked), model.lines.count)
    }

    static func alignmentLines(stories: [Document], planted: [Document]) -> [String] {
        var lines: [String] = []
        let aligner = PassageAligner()
        for i in stories.indices {
            for j in stories.indices where i != j {
                lines += alignmentLines("default", i, j, aligner.align(utf8: stories[i].utf8, stories[j].utf8))
            }
        }
        let other = PassageAligner(options: AlignmentOptions(
            ngramWidth: 4, minimumPassageWords: 8, maximumGap: 0, seed: 3,
            normalization: NormalizationOptions(keepPunctuation: true)))
        for i in stories.indices {
            for j in stories.indices where i < j {
                lines += alignmentLines("other", i, j, other.align(utf8: stories[i].utf8, stories[j].utf8))
            }
        }
        let sample = reuse(stories)
        lines += pairLines("stories", sample.pairs, boilerplateLines: sample.boilerplateLines)
        let (pairs, boilerplateLines) = reuse(planted)
        lines += pairLines("planted", pairs, boilerplateLines: boilerplateLines)
        let stream = ReuseIndex(boilerplate: BoilerplateLines(documents: planted))
        stream.insert(contentsOf: Array(planted[..<(planted.count / 2)]))
        for document in planted[(planted.count / 2)...] {
            let matches = stream.matches(for: document)
            if !matches.isEmpty { lines += pairLines("stream", matches) }
            stream.insert(document)
        }
        return lines
    }
}
