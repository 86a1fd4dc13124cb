import Foundation
import Testing
@testable import SimCore
import SimCoreFixtures
import SimCoreIO
import SimCoreInternals

@Suite("Passage alignment")
struct PassageAlignerTests {
    static let stories: [Document] = (try? CorpusReader.readAll(paths: [RepositoryPaths.wireStories]).documents) ?? []

    static func story(_ prefix: String) -> [UInt8] {
        stories.first { $0.id.hasPrefix(prefix) }!.utf8
    }

    /// The byte range of `sentence` in `text` (it must occur there).
    static func range(of sentence: String, in text: [UInt8]) -> Range<Int> {
        let needle = Array(sentence.utf8)
        for start in 0...(text.count - needle.count) where text[start..<(start + needle.count)].elementsEqual(needle) {
            return start..<(start + needle.count)
        }
        Issue.record("not found: \(sentence)")
        return 0..<0
    }

    static func normalized(_ bytes: ArraySlice<UInt8>) -> String {
        TextNormalizer().normalize(String(decoding: bytes, as: UTF8.self))
    }

    @Test("001 lies inside 000: coverage of 001 at least 0.9, spans equal after normalization where verbatim")
    func reprintInsidePage() {
        let page = Self.story("000"), story = Self.story("001")
        let alignment = PassageAligner().align(utf8: page, story)
        #expect(alignment.coverageB >= 0.9, "coverage of 001: \(alignment.coverageB)")
        for passage in alignment.passages {
            let a = Self.normalized(page[passage.bytesA]), b = Self.normalized(story[passage.bytesB])
            if passage.matchedWords == passage.wordsA.count && passage.wordsA.count == passage.wordsB.count {
                #expect(a == b)
            } else {
                #expect(passage.similarity >= 0.8, "\(a) | \(b)")
            }
        }
    }

    /// Sentences of 002 that stand in 001, verbatim or lightly edited (the first is spliced from
    /// two of 001's sentences: its two halves are listed).
    static let sharedSentences = [
        "Making his first visit to the isolated North in 24 years on Wednesday, Putin",
        "a strategic treaty with Kim that included a commitment to come to each other's aid if attacked.",
        "Washington and its allies accuse North Korea of supplying ammunition and missiles to Russia for its war in Ukraine, and the new treaty has fueled fears of more deliveries.",
        "The US State Department said deepening Russia-North Korea ties were \"of great concern\", while a top Ukrainian official accused Pyongyang of abetting Moscow's \"mass murder of Ukrainians\".",
        "The two countries have been allies since North Korea's founding after World War II and have drawn even closer since Russia's invasion of Ukraine in 2022 isolated Putin on the global stage.",
        "Kim called Putin the \"dearest friend of the Korean people\" and vowed his \"full support and solidarity\" over the war in Ukraine, which has triggered rafts of UN sanctions on Moscow.",
        "Putin called for a review of UN sanctions on North Korea and said the two countries would not submit to Western \"blackmail\".",
        "Reacting to the Pyongyang visit, a US State Department spokesperson said no country should \"give Mr Putin a platform to promote his war of aggression against Ukraine\".",
        "Putin received a rapturous reception in the North Korean capital, embraced by Kim as he stepped off his plane and greeted by cheering crowds, synchronized dancers and flag-waving children.",
        "His reception was more reserved in Vietnam, a major global manufacturing hub that has carefully hedged its foreign policy position for years, seeking to be friends with all but beholden to none.",
        "In particular, it has sought to avoid picking sides in the growing US-China rivalry as both superpowers look to boost their influence in Southeast Asia.",
        "US President Joe Biden visited Hanoi in September to promote ties as his administration seeks to build up Vietnam as an alternative supplier of key high-tech components to reduce American dependence on China.",
        "Beijing swiftly followed suit, with President Xi Jinping making his own state visit barely three months later.",
    ]

    /// Sentences of 002 that 001 does not have.
    static let ownSentences = [
        "Russia And Vietnam Vow To Strengthen Ties As Putin Visits",
        "Russia and Vietnam pledged Thursday to deepen ties as President Vladimir Putin made a state visit aimed at bolstering his alliances to counter Moscow's growing isolation over the war in Ukraine.",
        "Putin travelled to Vietnam, a close ally of Moscow since the days of the Cold War, from a summit with North Korea's Kim Jong Un where he won a pledge of \"full support\" on Ukraine and signed a mutual defense pact.",
        "The Russian leader did not receive such a clear public declaration of support in Hanoi, but Vietnamese President To Lam indicated a desire to boost defense cooperation.",
        "Moscow has been Vietnam's main arms supplier for decades, accounting for more than 80 percent of imports between 1995 and 2023, but orders have dropped off in recent years as international sanctions related to the Ukraine conflict have intensified.",
        "Lam and Putin signed around a dozen cooperation agreements ranging from education to justice and civil nuclear projects.",
        "Putin's Asia tour came as Western powers stepped up sanctions aimed at constraining Russia's war in Ukraine.",
        "Japan said it was \"seriously concerned\" about the new Russia-North Korea pact.",
        "Vietnam has abstained in UN votes condemning the Russian invasion of Ukraine and, in an op-ed in the communist party mouthpiece Nhan Dan newspaper, Putin thanked Hanoi for its \"balanced stance on the Ukraine crisis\".",
        "© Copyright AFP 2024. All rights reserved.",
    ]

    @Test("002 against 001: every shared sentence inside a passage, no passage over 002's own text")
    func rewrite() {
        let story = Self.story("001"), rewrite = Self.story("002")
        let alignment = PassageAligner().align(utf8: story, rewrite)
        let covered = alignment.passages.map(\.bytesB)
        for sentence in Self.sharedSentences {
            let range = Self.range(of: sentence, in: rewrite)
            // Every word of the sentence lies inside a passage.
            let words = TextNormalizer().wordRanges(inUTF8: rewrite).filter { range.contains($0.lowerBound) }
            let outside = words.filter { word in !covered.contains { $0.contains(word.lowerBound) } }
            #expect(outside.isEmpty, "not covered in \"\(sentence)\": \(outside.map { String(decoding: rewrite[$0], as: UTF8.self) })")
        }
        for sentence in Self.ownSentences {
            let range = Self.range(of: sentence, in: rewrite)
            #expect(!covered.contains { $0.overlaps(range) }, "a passage covers \"\(sentence)\"")
        }
        for passage in alignment.passages {
            #expect(passage.similarity >= 0.7, "\(Self.normalized(story[passage.bytesA])) | \(Self.normalized(rewrite[passage.bytesB]))")
        }
    }

    @Test("002 against 001 is 001 against 002 with the sides exchanged")
    func symmetric() {
        let story = Self.story("001"), rewrite = Self.story("002")
        let aligner = PassageAligner()
        #expect(aligner.align(utf8: story, rewrite).swapped == aligner.align(utf8: rewrite, story))
    }

    @Test("prepared texts swapped align as the texts given the other way round")
    func swapPrepared() {
        let aligner = PassageAligner()
        let story = Self.story("001"), rewrite = Self.story("002")
        story.withUnsafeBytes { aligner.prepareA($0) }
        rewrite.withUnsafeBytes { aligner.prepareB($0) }
        let forward = aligner.alignPrepared()
        aligner.swapPrepared()
        let backward = aligner.alignPrepared()
        #expect(forward == PassageAligner().align(utf8: story, rewrite))
        #expect(backward == PassageAligner().align(utf8: rewrite, story))
        #expect(!backward.passages.isEmpty)
    }

    @Test("003 and 004 are other outlets' own reports: no long passage with 001")
    func ownReports() {
        let aligner = PassageAligner()
        for other in ["003", "004"] {
            let alignment = aligner.align(utf8: Self.story("001"), Self.story(other))
            #expect(alignment.coverageA < 0.15, "\(other): \(alignment.coverageA)")
        }
    }

    /// Seeded random words over a large vocabulary: text that shares nothing by chance.
    static func words(_ generator: inout SplitMix64, _ count: Int) -> [String] {
        (0..<count).map { _ in "w\(generator.next() % 50_000)" }
    }

    @Test("substituted, inserted and deleted words are bridged; a wider gap splits the passage")
    func edits() {
        var generator = SplitMix64(seed: 5)
        let base = Self.words(&generator, 60)
        let aligner = PassageAligner()
        func single(_ edited: [String], file: String = #function) -> AlignedPassage? {
            let alignment = aligner.align(base.joined(separator: " "), edited.joined(separator: " "))
            #expect(alignment.passages.count == 1, "\(alignment.passages)")
            return alignment.passages.first
        }
        var substituted = base
        substituted[30] = "changed"
        let passage = single(substituted)
        #expect(passage?.wordsA == 0..<60 && passage?.wordsB == 0..<60 && passage?.matchedWords == 59)
        var inserted = base
        inserted.insert(contentsOf: ["one", "two", "three"], at: 20)
        #expect(single(inserted)?.wordsB == 0..<63)
        var deleted = base
        deleted.removeSubrange(25..<33)
        #expect(single(deleted)?.matchedWords == 52)
        var split = base
        split.replaceSubrange(28..<32, with: Self.words(&generator, 4 + 2 * AlignmentOptions().maximumGap))
        #expect(aligner.align(base.joined(separator: " "), split.joined(separator: " ")).passages.count == 2)
    }

    @Test("the documented example: one substituted word bridged")
    func documentedExample() {
        let alignment = PassageAligner().align(
            "Russian President Vladimir Putin landed in Vietnam on Thursday on a state visit, a day after signing a mutual defence pact.",
            "Russian President Vladimir Putin landed in Hanoi on Thursday on a state visit, a day after signing a mutual defence pact.")
        #expect(alignment.passages.count == 1)
        #expect(alignment.passages.first?.matchedWords == 20 && alignment.passages.first?.bytesB == 0..<120)
        #expect(alignment.coverageA == 1 && alignment.coverageB == 1)
    }

    @Test("bad input gives a clear answer: empty, one word, nothing shared, itself, invalid UTF-8")
    func badInput() {
        let aligner = PassageAligner()
        let story = Self.story("001")
        #expect(aligner.align(utf8: [], story) == Alignment(passages: [], wordCountA: 0, wordCountB: 711))
        #expect(aligner.align(utf8: [], []).coverageA == 0)
        #expect(aligner.align("Putin", "Putin").passages.isEmpty)
        #expect(aligner.align(utf8: Array("Putin".utf8), story).passages.isEmpty)
        var generator = SplitMix64(seed: 8)
        #expect(aligner.align(Self.words(&generator, 500).joined(separator: " "), Self.words(&generator, 500).joined(separator: " ")).passages.isEmpty)
        let itself = aligner.align(utf8: story, story)
        #expect(itself.passages.first?.bytesA == itself.passages.first?.bytesB)
        #expect(itself.coverageA == 1 && itself.passages[0].similarity == 1)
        // Invalid bytes inside a shared passage: ranges still index the original bytes.
        var broken = story
        broken.insert(contentsOf: [0xFF, 0xC3, 0x20], at: 1_000)
        let alignment = aligner.align(utf8: story, broken)
        #expect(alignment.coverageA == 1)
        #expect(alignment.passages.allSatisfy { $0.bytesB.upperBound <= broken.count })
        #expect(alignment.passages.last?.bytesB.upperBound == broken.count - (broken.last == 0x2E ? 1 : 0))
    }

    @Test("a document that repeats one sentence: no seed from its repeats, no crash")
    func repetitive() {
        let sentence = "the same sentence over and over again in this table. "
        let text = String(repeating: sentence, count: 2_000)
        let alignment = PassageAligner().align(text, text)
        #expect(alignment.wordCountA == 20_000)
        #expect(alignment.passages.count <= 2)
    }

    /// The passages' word ranges, (A, B) each.
    static func spans(_ a: [String], _ b: [String], _ aligner: PassageAligner = PassageAligner()) -> [[Range<Int>]] {
        aligner.align(a.joined(separator: " "), b.joined(separator: " ")).passages.map { [$0.wordsA, $0.wordsB] }
    }

    @Test("a text that repeats itself: passages ordered, never sharing a word of A or of B, exact values")
    func selfRepeating() {
        var generator = SplitMix64(seed: 31)
        let x = Self.words(&generator, 20), filler = Self.words(&generator, 30)
        // A holds X twice, B once (and the other way round): the first copy, once.
        #expect(Self.spans(x + x, x) == [[0..<20, 0..<20]])
        #expect(Self.spans(x, x + x) == [[0..<20, 0..<20]])
        #expect(Self.spans(x + filler + x, x) == [[0..<20, 0..<20]])
        #expect(Self.spans(x, x + filler + x) == [[0..<20, 0..<20]])
        // The same self-repeating text on both sides: the main diagonal, not the copies crossed.
        #expect(Self.spans(x + x, x + x) == [[0..<40, 0..<40]])
        #expect(Self.spans(x + filler + x, x + filler + x) == [[0..<70, 0..<70]])
        // B repeats the middle of A: the second copy keeps what the first did not take.
        let y = Self.words(&generator, 60)
        #expect(Self.spans(y, Array(y[0..<40] + y[20..<60])) == [[0..<40, 0..<40], [40..<60, 60..<80]])
        #expect(Self.spans(Array(y[0..<40] + y[20..<60]), y) == [[0..<40, 0..<40], [60..<80, 40..<60]])
        // ... and when what is left is shorter than a passage, nothing of it.
        #expect(Self.spans(y, Array(y[0..<40] + y[20..<50])) == [[0..<40, 0..<40]])
        // A repeat no longer than the widest gap is bridged as inserted words: one passage.
        #expect(Self.spans(y, Array(y[0..<40] + y[30..<60])) == [[0..<60, 0..<70]])
        // Passages may cross (B has A's halves swapped): both kept, by position in A.
        let p = Self.words(&generator, 20), q = Self.words(&generator, 20)
        #expect(Self.spans(p + q, q + p) == [[0..<20, 20..<40], [20..<40, 0..<20]])
        // Ties go to the first in A: the same input gives the same passages every time.
        let twice = Self.spans(x + x + x, x)
        #expect(twice == [[0..<20, 0..<20]] && Self.spans(x + x + x, x) == twice)
    }

    @Test("two words of one character (½ folds to 1 2) never put one byte in two passages")
    func sharedCharacter() {
        var generator = SplitMix64(seed: 32)
        let p = Self.words(&generator, 20).joined(separator: " "), q = Self.words(&generator, 20).joined(separator: " ")
        // A: P ½ Q (words 0..<20, then 1 and 2 over the same two bytes, then Q); B has "P 1" and
        // "2 Q" apart, so each passage would end or start inside ½.
        let a = p + " ½ " + q, b = "2 " + q + " filler words between them " + p + " 1"
        let alignment = PassageAligner().align(a, b)
        let half = p.utf8.count + 1   // where ½ (2 bytes) stands in A
        #expect(alignment.passages.map(\.wordsA) == [0..<21, 22..<42])
        #expect(alignment.passages.map(\.bytesA) == [0..<half + 2, half + 3..<a.utf8.count])
        #expect(alignment.passages.map(\.wordsB) == [25..<46, 1..<21])
    }

    @Test("a passage planted in two long unrelated texts is found exactly")
    func planted() {
        var generator = SplitMix64(seed: 21)
        let passage = Self.words(&generator, 40)
        let a = Self.words(&generator, 20_000) + passage + Self.words(&generator, 10_000)
        let b = Self.words(&generator, 5_000) + passage + Self.words(&generator, 30_000)
        let alignment = PassageAligner().align(a.joined(separator: " "), b.joined(separator: " "))
        #expect(alignment.passages.map(\.wordsA) == [20_000..<20_040])
        #expect(alignment.passages.map(\.wordsB) == [5_000..<5_040])
    }
}
