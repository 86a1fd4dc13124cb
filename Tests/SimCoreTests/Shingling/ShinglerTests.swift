import Testing
@testable import SimCore
import SimCoreInternals

@Suite("Shingling")
struct ShinglerTests {
    /// The word n-gram set of a text, built window by window from single-shingle documents:
    /// a window's hash must not depend on the words around it.
    private func windowsOneByOne(_ words: [String], width: Int, seed: UInt64 = 0) -> ShingleSet {
        let shingler = Shingler(options: ShinglingOptions(unit: .words(width), seed: seed))
        let windows = words.count <= width ? [words] : (0...(words.count - width)).map { Array(words[$0..<$0 + width]) }
        return ShingleSet(windows.flatMap { shingler.shingles(of: $0.joined(separator: " ")).hashes })
    }

    @Test("word n-gram counts: n-grams, one shingle for short documents, none for empty ones")
    func wordCounts() {
        let shingler = Shingler(options: ShinglingOptions(unit: .words(5)))
        #expect(shingler.shingles(of: "one two three four five six seven").count == 3)
        #expect(shingler.shingles(of: "one two three").count == 1)
        #expect(shingler.shingles(of: "one").count == 1)
        #expect(shingler.shingles(of: "").count == 0)
        #expect(shingler.shingles(of: " ... !!! ").count == 0)
        #expect(shingler.shingles(of: "a b a b a b a b a").count == 2)  // two distinct windows
    }

    @Test("a word n-gram's hash depends only on its own words, in order")
    func compositional() {
        let words = "russian president vladimir putin landed in vietnam on thursday".split(separator: " ").map(String.init)
        for width in [1, 2, 3, 5, 9, 12] {
            let shingler = Shingler(options: ShinglingOptions(unit: .words(width), seed: 9))
            #expect(shingler.shingles(of: words.joined(separator: " ")) == windowsOneByOne(words, width: width, seed: 9))
        }
        let shingler = Shingler(options: ShinglingOptions(unit: .words(3)))
        #expect(shingler.shingles(of: "a b c") != shingler.shingles(of: "c b a"))
        #expect(shingler.shingles(of: "a b c") != shingler.shingles(of: "a b"))
    }

    @Test("character k-grams are XXH3 of each k-scalar window of the normalized text")
    func characterGrams() {
        let seed: UInt64 = 5
        let shingler = Shingler(options: ShinglingOptions(unit: .characters(3), seed: seed))
        let expected = ["ab ", "b c", " cd", "cdé", "dé ", "é f"].map { XXH3.hash64(Array($0.utf8), seed: seed) }
        #expect(shingler.shingles(of: "AB, cdÉ f") == ShingleSet(expected))
        #expect(shingler.shingles(of: "Hi") == ShingleSet([XXH3.hash64(Array("hi".utf8), seed: seed)]))
        #expect(shingler.shingles(of: "--").count == 0)
    }

    @Test("golden values: a change of hashing or seeding fails here")
    func golden() {
        let text = "The quick brown fox jumps over the lazy dog"
        let words = Shingler(options: ShinglingOptions(unit: .words(5), seed: 0)).shingles(of: text)
        #expect(words.hashes == Self.goldenWords)
        let seeded = Shingler(options: ShinglingOptions(unit: .words(5), seed: 1)).shingles(of: text)
        #expect(seeded.hashes != words.hashes)
    }

    static let goldenWords: [UInt64] = [
        130_625_132_952_300_611, 2_165_695_697_335_673_925, 5_793_547_274_199_797_245,
        9_130_806_625_094_771_775, 17_636_006_823_225_582_799,
    ]

    @Test("typographic variants of a story give the same shingles")
    func typographyInvariance() {
        let shingler = Shingler()
        let curly = "Putin said the deal was “of great concern” — a ‘historic’ step… for Russia’s allies."
        let straight = "PUTIN said the deal was \"of great concern\" - a 'historic' step... for Russia's allies."
        #expect(shingler.shingles(of: curly) == shingler.shingles(of: straight))
    }

    @Test("weighted shingles count repeats")
    func weighted() {
        let shingler = Shingler(options: ShinglingOptions(unit: .words(1)))
        let set = shingler.weightedShingles(of: "a b a a c b")
        #expect(set.hashes.count == 3)
        #expect(set.multiplicities.reduce(0, +) == 6)
        #expect(set.unweighted == shingler.shingles(of: "c b a"))
        let counts = Dictionary(uniqueKeysWithValues: zip(set.hashes, set.multiplicities))
        #expect(counts[shingler.shingles(of: "a").hashes[0]] == 3)
        #expect(counts[shingler.shingles(of: "b").hashes[0]] == 2)
    }

    @Test("a reused shingler gives what a fresh one gives")
    func reuse() {
        let long = String(repeating: "lorem ipsum dolor sit amet consectetur ", count: 500)
        let reused = Shingler(options: ShinglingOptions(unit: .characters(4)))
        _ = reused.shingles(of: long)
        for text in ["short text here", "", "x", long] {
            #expect(reused.shingles(of: text) == Shingler(options: ShinglingOptions(unit: .characters(4))).shingles(of: text))
        }
    }

    @Test("the unsorted hash stream holds every window, repeats included")
    func hashStream() {
        let shingler = Shingler(options: ShinglingOptions(unit: .words(2)))
        let bytes = Array("a b a b".utf8)
        let stream = bytes.withUnsafeBytes { shingler.withShingleHashes(ofUTF8: $0) { Array($0) } }
        #expect(stream.count == 3)
        #expect(stream[0] == stream[2] && stream[0] != stream[1])
        #expect(ShingleSet(stream) == shingler.shingles(ofUTF8: bytes))
    }

    @Test("units parse from the command-line form")
    func unitParsing() {
        #expect(ShinglingOptions.Unit("words:5") == .words(5))
        #expect(ShinglingOptions.Unit("chars:7") == .characters(7))
        #expect(ShinglingOptions.Unit("words0") == nil)
        #expect(ShinglingOptions.Unit("bytes:3") == nil)
        #expect(ShinglingOptions.Unit("words:x") == nil)
    }
}

@Suite("Word tokenization fast path")
struct TokenizationTests {
    /// Random text over an alphabet that stresses every path: ASCII words and punctuation, runs of
    /// spaces, accented and non-Latin letters, typographic quotes, symbols, and invalid bytes.
    static func randomText(_ generator: inout SplitMix64, length: Int) -> [UInt8] {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("Zq".utf8), Array("7".utf8), Array(" ".utf8), Array("   ".utf8), Array(",".utf8),
            Array("é".utf8), Array("Ж".utf8), Array("’".utf8), Array("—".utf8), Array("ﬁ".utf8), Array("🙂".utf8),
            Array("\u{00A0}".utf8), Array("\u{200B}".utf8), [0xFF], [0xC3], Array("wordy".utf8), Array("\n".utf8),
        ]
        var bytes: [UInt8] = []
        while bytes.count < length {
            bytes += pieces[Int(generator.next() % UInt64(pieces.count))]
        }
        return bytes
    }

    @Test("the SWAR token path finds exactly the tokens of normalize()", arguments: [1, 2] as [UInt64])
    func agreesWithNormalize(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for options in [NormalizationOptions.default, NormalizationOptions(lowercase: false),
                        NormalizationOptions(keepPunctuation: true), NormalizationOptions(foldCompatibilityForms: false)] {
            let normalizer = TextNormalizer(options: options)
            for length in [0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 300] + (0..<40).map({ _ in Int(generator.next() % 400) }) {
                let text = Self.randomText(&generator, length: length)
                let expected = normalizer.normalize(utf8: text).split(separator: 0x20).map { XXH3.hash64(Array($0), seed: 3) }
                let hashes = text.withUnsafeBytes { normalizer._fastPathTokenHashes(ofUTF8: $0, seed: 3) }
                #expect(hashes == expected, "seed \(seed), length \(length), \(options)")
            }
        }
    }

    @Test("SWAR ASCII mapping matches the table for every byte value in every lane")
    func asciiWord() {
        let normalizer = TextNormalizer()
        let table = normalizer.table.ascii
        for byte in 0..<128 as Range<UInt64> {
            for lane in 0..<8 as Range<UInt64> {
                let word = (0x6161_6161_6161_6161 & ~(0xFF << (8 * lane))) | (byte << (8 * lane))
                let mapped = _mapASCIIWord(word, caseBit: 0x2020_2020_2020_2020)
                #expect((mapped >> (8 * lane)) & 0xFF == UInt64(table[Int(byte)]), "byte \(byte) lane \(lane)")
                #expect(mapped & ~(0xFF << (8 * lane)) == 0x6161_6161_6161_6161 & ~(0xFF << (8 * lane)))
            }
        }
    }
}
