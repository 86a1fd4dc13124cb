import Testing
@testable import SimCore
import SimCoreInternals

@Suite("Words with their original byte ranges")
struct WordTokensTests {
    /// Random text over an alphabet that stresses every path: ASCII, accents, Cyrillic, curly
    /// quotes, dashes, ligatures and fullwidth letters (NFKC expansions), a fraction (one scalar,
    /// two tokens), combining marks, zero-width and soft-hyphen characters (removed inside words),
    /// emoji (above the BMP), no-break spaces, invalid bytes, ideographs (3 bytes each, mapped byte
    /// for byte) and "⑴" (3 bytes that fold to 3: a separator, a digit, a separator).
    static func randomText(_ generator: inout SplitMix64, length: Int) -> [UInt8] {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("Zq".utf8), Array("7".utf8), Array(" ".utf8), Array("   ".utf8), Array(",".utf8),
            Array("é".utf8), Array("e\u{0301}".utf8), Array("Ж".utf8), Array("’".utf8), Array("—".utf8),
            Array("ﬁ".utf8), Array("Ａ".utf8), Array("¼".utf8), Array("㎏".utf8), Array("🙂".utf8), Array("𝐁".utf8),
            Array("\u{00A0}".utf8), Array("\u{200B}".utf8), Array("\u{00AD}".utf8), Array("\u{FEFF}".utf8),
            [0xFF], [0xC3], [0xE2, 0x82], Array("wordy".utf8), Array("\n".utf8), Array("…".utf8),
            Array("日本".utf8), Array("⑴".utf8),
        ]
        var bytes: [UInt8] = []
        while bytes.count < length {
            bytes += pieces[Int(generator.next() % UInt64(pieces.count))]
        }
        return bytes
    }

    /// Tokenizes `bytes` and returns each token's normalized bytes and original range.
    static func tokens(_ bytes: [UInt8], options: NormalizationOptions = .default) -> [(text: [UInt8], range: Range<Int>)] {
        let tokens = _WordTokens(normalization: options)
        bytes.withUnsafeBytes { tokens.tokenize($0, width: 1, seed: 0) }
        let normalized = TextNormalizer(options: options).normalize(utf8: bytes).split(separator: 0x20).map { Array($0) }
        return (0..<tokens.count).map { index in
            (index < normalized.count ? normalized[index] : [], Int(tokens.starts.storage[index])..<Int(tokens.ends.storage[index]))
        }
    }

    @Test("the tokens are the normalizer's tokens, and each range holds its token", arguments: [1, 2, 3] as [UInt64])
    func randomAgreement(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for options in [NormalizationOptions.default, NormalizationOptions(lowercase: false),
                        NormalizationOptions(keepPunctuation: true), NormalizationOptions(foldCompatibilityForms: false)] {
            let normalizer = TextNormalizer(options: options)
            for length in [0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 300] + (0..<40).map({ _ in Int(generator.next() % 400) }) {
                let text = Self.randomText(&generator, length: length)
                let expected = normalizer.normalize(utf8: text).split(separator: 0x20).map { Array($0) }
                let ranges = normalizer.wordRanges(inUTF8: text)
                #expect(ranges.count == expected.count, "seed \(seed), length \(length), \(options)")
                var previous = 0..<0
                for (range, token) in zip(ranges, expected) {
                    #expect(range.lowerBound >= previous.lowerBound && range.upperBound >= previous.upperBound)
                    #expect(range.lowerBound >= 0 && range.upperBound <= text.count && !range.isEmpty)
                    // The bytes a token came from normalize to text that holds it.
                    let again = normalizer.normalize(utf8: Array(text[range])).split(separator: 0x20).map { Array($0) }
                    #expect(again.contains(token), "seed \(seed), length \(length), \(options), \(range)")
                    previous = range
                }
            }
        }
    }

    @Test("ranges on crafted text: ligature, quotes, zero-width, soft hyphen, fraction, invalid bytes")
    func crafted() {
        let normalizer = TextNormalizer()
        #expect(normalizer.wordRanges(inUTF8: Array("The ﬁnal “word”".utf8)) == [0..<3, 4..<10, 14..<18])
        #expect(normalizer.wordRanges(inUTF8: Array("zero\u{200B}width soft\u{00AD}hyphen".utf8)) == [0..<12, 13..<25])
        #expect(normalizer.wordRanges(inUTF8: Array("\u{200B}lead trail\u{200B} ".utf8)) == [3..<7, 8..<13])
        #expect(normalizer.wordRanges(inUTF8: Array("x ¼ y".utf8)) == [0..<1, 2..<4, 2..<4, 5..<6])
        #expect(normalizer.wordRanges(inUTF8: [0x61, 0xFF, 0x62, 0xC3]) == [0..<1, 2..<3])
        #expect(normalizer.wordRanges(inUTF8: Array("ＡＢ ＣＤ".utf8)) == [0..<6, 7..<13])
        #expect(normalizer.wordRanges(inUTF8: []) == [])
        #expect(normalizer.wordRanges(inUTF8: Array(" , ".utf8)) == [])
        // A token ending exactly at a 64-byte block boundary, and one crossing it.
        let block = String(repeating: "a", count: 64)
        #expect(normalizer.wordRanges(inUTF8: Array(block.utf8)) == [0..<64])
        #expect(normalizer.wordRanges(inUTF8: Array((" " + block).utf8)) == [1..<65])
    }

    @Test("n-gram hashes are the shingler's word n-gram hashes", arguments: [1, 3, 5] as [Int])
    func sameHashesAsShingler(width: Int) {
        var generator = SplitMix64(seed: 9)
        let shingler = Shingler(options: ShinglingOptions(unit: .words(width), seed: 17))
        let tokens = _WordTokens(normalization: .default)
        for length in [0, 5, 40, 200, 1_000] {
            let text = Self.randomText(&generator, length: length)
            let expected = text.withUnsafeBytes { shingler.withShingleHashes(ofUTF8: $0) { Array($0) } }
            text.withUnsafeBytes { tokens.tokenize($0, width: width, seed: 17) }
            let grams = Array(UnsafeBufferPointer(start: tokens.gramHashes.storage.baseAddress, count: tokens.gramCount))
            if tokens.count >= width {
                #expect(grams == expected, "width \(width), length \(length)")
            } else {
                #expect(grams.isEmpty)
            }
        }
    }
}
