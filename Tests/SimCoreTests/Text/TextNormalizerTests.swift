import Foundation
import Testing
@testable import SimCore
import SimCoreInternals

@Suite("Text normalization")
struct TextNormalizerTests {
    struct Case: Sendable, CustomStringConvertible {
        let input: String
        let expected: String
        var description: String { input.debugDescription }
    }

    static let defaultCases: [Case] = [
        Case(input: "Hello, World!", expected: "hello world"),
        Case(input: "  leading and trailing  ", expected: "leading and trailing"),
        Case(input: "a--b...c", expected: "a b c"),
        Case(input: "", expected: ""),
        Case(input: "!!!", expected: ""),
        Case(input: "Don’t", expected: "don t"),
        Case(input: "Don't", expected: "don t"),
        Case(input: "“quoted”", expected: "quoted"),
        Case(input: "en–dash em—dash", expected: "en dash em dash"),
        Case(input: "no\u{00A0}break\u{2009}thin\u{3000}ideographic", expected: "no break thin ideographic"),
        Case(input: "wait…", expected: "wait"),
        Case(input: "ＦＵＬＬ－ｗｉｄｔｈ", expected: "full width"),
        Case(input: "ﬁnal ﬂow", expected: "final flow"),
        Case(input: "x²", expected: "x2"),
        Case(input: "ÉCOLE Straße ΣΟΦΙΑ Москва", expected: "école straße σοφια москва"),
        Case(input: "zero\u{200B}width soft\u{00AD}hyphen", expected: "zerowidth softhyphen"),
        Case(input: "tab\tnew\nline\r\n", expected: "tab new line"),
        Case(input: "emoji 🙂 here", expected: "emoji here"),
        Case(input: "CJK 北京 ok", expected: "cjk 北京 ok"),
        Case(input: "𝐁old math", expected: "bold math"),
    ]

    @Test("default rules", arguments: defaultCases)
    func defaults(testCase: Case) {
        #expect(TextNormalizer().normalize(testCase.input) == testCase.expected)
    }

    @Test("curly and straight typography normalize to the same text")
    func typographyFolds() {
        let curly = "“It’s a deal,” he said — “full support”… 10\u{00A0}000"
        let straight = "\"It's a deal,\" he said - \"full support\"... 10 000"
        let normalizer = TextNormalizer()
        #expect(normalizer.normalize(curly) == normalizer.normalize(straight))
        let punctuated = TextNormalizer(options: NormalizationOptions(keepPunctuation: true))
        #expect(punctuated.normalize(curly) == punctuated.normalize(straight))
        #expect(punctuated.normalize(curly) == "\"it's a deal,\" he said - \"full support\"... 10 000")
    }

    @Test("options: no lowercasing, no folding, punctuation kept")
    func options() {
        #expect(TextNormalizer(options: NormalizationOptions(lowercase: false)).normalize("Hello, World") == "Hello World")
        let noFold = TextNormalizer(options: NormalizationOptions(foldCompatibilityForms: false))
        #expect(noFold.normalize("ﬁne ＡＢ") == "ﬁne ａｂ")
        let keep = TextNormalizer(options: NormalizationOptions(keepPunctuation: true))
        #expect(keep.normalize("Hi, there!  U.S.") == "hi, there! u.s.")
    }

    @Test("invalid UTF-8 is replaced, never a crash")
    func invalidUTF8() {
        let normalizer = TextNormalizer()
        let cases: [([UInt8], String)] = [
            ([0x61, 0xFF, 0x62], "a b"),                 // invalid byte between letters
            ([0x61, 0xC3], "a"),                         // truncated two-byte sequence at the end
            ([0xC0, 0xAF, 0x61], "a"),                   // overlong encoding of '/'
            ([0xED, 0xA0, 0x80, 0x62], "b"),             // encoded surrogate U+D800
            ([0xF4, 0x90, 0x80, 0x80, 0x63], "c"),       // above U+10FFFF
            ([0x80, 0x80, 0x80], ""),                    // lone continuation bytes
            ([0xE2, 0x82], ""),                          // truncated three-byte sequence
        ]
        for (bytes, expected) in cases {
            #expect(String(decoding: normalizer.normalize(utf8: bytes), as: UTF8.self) == expected, "\(bytes)")
        }
        let keep = TextNormalizer(options: NormalizationOptions(keepPunctuation: true))
        #expect(String(decoding: keep.normalize(utf8: [0x61, 0xFF]), as: UTF8.self) == "a\u{FFFD}")
    }

    @Test("runs of 2- and 3-byte scalars give the scalar-by-scalar reference: folds longer, shorter, dropped and mixed, 4-byte scalars and invalid bytes among them, every option set")
    func scalarRuns() {
        let pieces: [[UInt8]] = [
            "Ж", "ж", "Σ", "ς", "é", "ß", "ע", "ج", "日", "本", "語", "한", "ก", "अ",     // map byte for byte
            "İ", "Ⱥ", "½",             // 2 bytes that fold to 3 ("i̇", "ⱥ", "1⁄2")
            "ﬁ", "Ａ", "⑴", "‷", "…",   // 3 bytes that fold to 2, 1 or more ("fi", "a", "(1)", "‵‵‵", "...")
            "\u{00AD}", "\u{200B}", "\u{00A0}", "\u{3000}", "’", "—", "«", "\u{FFFD}",  // dropped, separators
            "😀", "𝐁", "a", "Bc", " ", ", ", "7",
        ].map { Array($0.utf8) } + [[0xFF], [0xC0, 0xAF], [0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xD0]]
        var generator = SplitMix64(seed: 21)
        for optionsIndex in 0..<8 {
            let options = NormalizationOptions(
                lowercase: optionsIndex & 1 != 0, foldCompatibilityForms: optionsIndex & 2 != 0, keepPunctuation: optionsIndex & 4 != 0)
            let normalizer = TextNormalizer(options: options)
            for length in [1, 2, 3, 5, 20, 200] {
                var text: [UInt8] = []
                for _ in 0..<length { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
                let label = "\(text), \(options)"
                #expect(normalizer.normalize(utf8: text) == Self.referenceNormalize(text, options: options), "\(label)")
                TokenizationTests.expectFastPathAgrees(text, normalizer, label)
            }
        }
    }

    /// The normalizer's rules one scalar at a time: the general decoder, the fold table's builder
    /// (`_FoldTable.fold`) for every scalar, ASCII included, and separator runs collapsed.
    static func referenceNormalize(_ bytes: [UInt8], options: NormalizationOptions) -> [UInt8] {
        var output: [UInt8] = []
        var last: UInt8 = 0x20
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                var value = UInt32(buffer[index])
                var length = 1
                if value >= 0x80 { (value, length) = UTF8Scalars.decode(buffer.baseAddress!, index, buffer.count) }
                index += length
                var folded: [UInt8] = []
                _FoldTable.fold(Unicode.Scalar(value)!, options: options, into: &folded)
                for byte in folded where byte != 0x20 || last != 0x20 {
                    output.append(byte)
                    last = byte
                }
            }
        }
        if last == 0x20 && !output.isEmpty { output.removeLast() }
        return output
    }

    @Test("every byte sequence normalizes without trapping, to valid UTF-8 with single spaces")
    func randomBytes() {
        var generator = SplitMix64(seed: 11)
        let normalizer = TextNormalizer()
        for _ in 0..<500 {
            let count = Int(generator.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let output = normalizer.normalize(utf8: bytes)
            #expect(output.withUnsafeBytes { UTF8Scalars.firstInvalidOffset($0) } == nil)
            #expect(output.first != 0x20 && output.last != 0x20)
            #expect(!zip(output, output.dropFirst()).contains { $0 == 0x20 && $1 == 0x20 })
        }
    }

    @Test("normalizing normalized text changes nothing: every BMP scalar, under every option set")
    func idempotent() {
        // Found by the normalization fuzz target: U+2037 (reversed triple prime) became three
        // U+2035 under NFKC, which the typographic fold maps to apostrophes only on a second
        // pass (with kept punctuation).
        for lowercase in [false, true] {
            for fold in [false, true] {
                for keep in [false, true] {
                    let normalizer = TextNormalizer(options: NormalizationOptions(lowercase: lowercase, foldCompatibilityForms: fold, keepPunctuation: keep))
                    var text: [UInt8] = []
                    for value in 0x20..<0x10000 where !(0xD800..<0xE000).contains(value) {
                        text += Array(String(Unicode.Scalar(UInt32(value))!).utf8) + [0x20]
                    }
                    let once = normalizer.normalize(utf8: text)
                    let twice = normalizer.normalize(utf8: once)
                    // A Bool, not the arrays: on failure, the diff Swift Testing takes of two
                    // arrays of 200,000 bytes ran for more than ten minutes.
                    let unchanged = once == twice
                    let firstDifference = zip(once, twice).enumerated().first { $1.0 != $1.1 }?.offset ?? Swift.min(once.count, twice.count)
                    #expect(unchanged, "lowercase \(lowercase), fold \(fold), keep punctuation \(keep): first difference at byte \(firstDifference)")
                }
            }
        }
        let keep = TextNormalizer(options: NormalizationOptions(keepPunctuation: true))
        #expect(keep.normalize("a \u{2037} b") == "a ''' b")
    }

    @Test("fold table pages built on first use, from several threads at once, equal folding each scalar on its own, above the BMP too", arguments: [0, 3, 7])
    func lazyPages(optionsIndex: Int) {
        let options = NormalizationOptions(
            lowercase: optionsIndex & 1 != 0, foldCompatibilityForms: optionsIndex & 2 != 0, keepPunctuation: optionsIndex & 4 != 0)
        let table = _FoldTable(options: options)
        // Four workers walk the pages in different orders, so pages are built while others read.
        let mismatches = concurrentChunks(count: 4, threads: 4) { workers in
            var mismatches: [UInt32] = []
            for worker in workers {
                for step in 0..<256 {
                    let page = (step &* (2 &* worker &+ 1) &+ worker &* 64) & 0xFF
                    for slot in 0..<256 {
                        let value = UInt32(page << 8 | slot)
                        var expected: [UInt8] = []
                        if let scalar = Unicode.Scalar(value) {
                            _FoldTable.fold(scalar, options: options, into: &expected)
                        } else {
                            expected = [0x20]
                        }
                        if !table.folded(value).elementsEqual(expected) { mismatches.append(value) }
                    }
                }
            }
            return mismatches
        }.flatMap { $0 }
        #expect(mismatches.isEmpty, "first mismatching scalars: \(mismatches.prefix(5))")
        for value in 0..<128 { #expect(table.ascii[value] == (table.folded(UInt32(value)).first ?? 0x20)) }
        // Pages above the BMP: Linear B, mathematical letters (NFKC to ASCII), emoji, CJK
        // Extension B (4 bytes that fold to themselves, kept after the entries), tags (dropped
        // or separators), the last page (private use, up to U+10FFFF).
        var outside: [UInt32] = []
        for page in [0x100, 0x1D4, 0x1D7, 0x1F3, 0x1F6, 0x200, 0xE00, 0x10FF] as [UInt32] {
            for value in page << 8..<(page + 1) << 8 {
                var expected: [UInt8] = []
                _FoldTable.fold(Unicode.Scalar(value)!, options: options, into: &expected)
                if !table.folded(value).elementsEqual(expected) { outside.append(value) }
            }
        }
        #expect(outside.isEmpty, "first mismatching scalars above U+FFFF: \(outside.prefix(5))")
    }

    @Test("the generated NFKC table is Foundation's NFKC of every scalar (regenerate with Data/generate-nfkc-table.swift when this fails)")
    func generatedCompatibilityTable() {
        var mismatches: [UInt32] = []
        var changed = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let foundation = String(scalar).precomposedStringWithCompatibilityMapping
            if !foundation.unicodeScalars.elementsEqual([scalar]) { changed += 1 }
            if !_FoldTable.compatibilityMapping(scalar).unicodeScalars.elementsEqual(foundation.unicodeScalars) {
                mismatches.append(value)
            }
        }
        #expect(mismatches.isEmpty, "first mismatching scalars: \(mismatches.prefix(5).map { String($0, radix: 16) })")
        // Spot checks: a ligature, a superscript, a full-width letter, an unchanged letter.
        #expect(_FoldTable.compatibilityMapping("\u{FB01}") == "fi")
        #expect(_FoldTable.compatibilityMapping("\u{00B2}") == "2")
        #expect(_FoldTable.compatibilityMapping("\u{FF21}") == "A")
        #expect(_FoldTable.compatibilityMapping("é") == "é")
        #expect(changed > 4_000)
    }
}
