import Testing
@testable import SimCore
import SimCoreInternals
#if canImport(Glibc)
import Glibc
#endif

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

    /// The kernel variants this CPU runs (the portable one always).
    static var variants: [SignatureKernelISA] { _TextKernels.supportedVariants }

    /// Every token hash kernel this CPU runs, by name: each variant (the AVX-512 one named by how
    /// it reads the tokens' bytes, so a report shows whether the loads ran), and on a CPU with
    /// VBMI the AVX-512 variant with gathers, which that CPU runs only here. Each takes the text,
    /// its readable bytes, the bounds, their count and the seed, and returns whether it ran.
    static var tokenHashKernels: [(name: String, run: (UnsafePointer<UInt8>, Int, UnsafeMutablePointer<UInt64>, Int, UInt64) -> Bool)] {
        let loads = _TextKernels.hashesTokensWithLoads
        let each = variants.map { isa in
            (isa == .avx512 ? (loads ? "avx512 (VBMI loads)" : "avx512 (gathers)") : "\(isa)", {
                _TextKernels.hashTokenBounds($0, readable: $1, tokens: $2, count: $3, seed: $4, isa: isa)
            })
        }
        guard variants.contains(.avx512) && loads else { return each }
        return each + [("avx512 (gathers, as without VBMI)", { text, _, tokens, count, seed in
            _TextKernels.hashTokenBoundsWithGathers(text, tokens: tokens, count: count, seed: seed)
        })]
    }

    /// Runs every token hash kernel on `bounds` of `text` (`readable` bytes of it readable) and
    /// checks each hash against XXH3-64, and that the 8 values after the bounds are untouched.
    static func expectTokenHashes(
        _ bounds: [(start: Int, end: Int)], of text: UnsafePointer<UInt8>, readable: Int, seed: UInt64, _ label: String
    ) {
        let expected = bounds.map { XXH3.hash64(Array(UnsafeBufferPointer(start: text + $0.start, count: $0.end - $0.start)), seed: seed) }
        let sentinel: UInt64 = 0xDEAD_BEEF_DEAD_BEEF
        for kernel in tokenHashKernels {
            // Each token's 8 bytes: its start, then its end, as the boundary kernel writes them.
            var slots = [UInt64](repeating: sentinel, count: bounds.count + 8)
            slots.withUnsafeMutableBytes { raw in
                for (index, token) in bounds.enumerated() {
                    raw.storeBytes(of: Int32(token.start), toByteOffset: 8 * index, as: Int32.self)
                    raw.storeBytes(of: Int32(token.end), toByteOffset: 8 * index + 4, as: Int32.self)
                }
            }
            let ran = slots.withUnsafeMutableBufferPointer { kernel.run(text, readable, $0.baseAddress!, bounds.count, seed) }
            #expect(ran)
            #expect(Array(slots.prefix(bounds.count)) == expected, "\(label), \(kernel.name)")
            #expect(slots.suffix(8).allSatisfy { $0 == sentinel }, "\(label), \(kernel.name): a write past the bounds")
        }
    }

    @Test("the vector token path finds exactly the tokens of normalize(), with every kernel variant", arguments: [1, 2] as [UInt64])
    func agreesWithNormalize(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for options in [NormalizationOptions.default, NormalizationOptions(lowercase: false),
                        NormalizationOptions(keepPunctuation: true), NormalizationOptions(foldCompatibilityForms: false)] {
            let normalizer = TextNormalizer(options: options)
            for length in [0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 300] + (0..<40).map({ _ in Int(generator.next() % 400) }) {
                Self.expectFastPathAgrees(Self.randomText(&generator, length: length), normalizer, "seed \(seed), length \(length), \(options)")
            }
        }
    }

    @Test("the vector token path agrees with normalize() on text in non-Latin scripts, where ASCII comes in runs shorter and longer than 8 bytes")
    func agreesOnNonLatinText() {
        let words = ["Привет", "мир", "Ελληνικά", "日本語の文", "עברית", "ج", "Ж"]
        let gaps = [" ", ", ", "  ", "(7)", "1234567", "12345678", "123456789", "Latin words here", "\n"]
        var generator = SplitMix64(seed: 8)
        for options in [NormalizationOptions.default, NormalizationOptions(lowercase: false)] {
            let normalizer = TextNormalizer(options: options)
            for length in [1, 8, 9, 40, 200, 1_000] {
                var text: [UInt8] = []
                while text.count < length {
                    text += Array(words[Int(generator.next() % UInt64(words.count))].utf8)
                    text += Array(gaps[Int(generator.next() % UInt64(gaps.count))].utf8)
                }
                // Every ending: a scalar, and ASCII runs of 1 to 9 bytes.
                for ending in ["Ж", "a", "abcdefg", "abcdefgh", "abcdefghi"] {
                    Self.expectFastPathAgrees(text + Array(ending.utf8), normalizer, "length \(length), ending \(ending), \(options)")
                }
            }
        }
    }

    /// Expects ``TextNormalizer/_mapForTokens(_:into:isa:)`` and the token hash kernel to give
    /// the hashes of the tokens of `normalize(utf8:)`, with every kernel variant.
    static func expectFastPathAgrees(_ text: [UInt8], _ normalizer: TextNormalizer, _ label: String) {
        let expected = normalizer.normalize(utf8: text).split(separator: 0x20).map { XXH3.hash64(Array($0), seed: 3) }
        for isa in variants {
            let scratch = ScratchBuffer<UInt8>()
            let mapped = text.withUnsafeBytes { normalizer._mapForTokens($0, into: scratch, isa: isa) }
            var hashes = [UInt64](repeating: 0, count: _ShingleHashing.tokenRoom(count: mapped))
            let count = hashes.withUnsafeMutableBufferPointer { output in
                _ShingleHashing.hashTokens(scratch.storage.baseAddress!, count: mapped, seed: 3, into: output.baseAddress!, isa: isa)
            }
            #expect(Array(hashes.prefix(count)) == expected, "\(label), \(isa)")
        }
    }

    @Test("the ASCII map kernel matches the table for every byte value at every position, with every variant")
    func asciiMap() {
        let table = TextNormalizer().table.ascii
        let upperTable = TextNormalizer(options: NormalizationOptions(lowercase: false)).table.ascii
        for isa in Self.variants {
            for lowercase in [true, false] {
                for byte in 0..<128 {
                    for position in [0, 1, 7, 8, 31, 32, 63, 64, 65, 99] {
                        var input = [UInt8](repeating: UInt8(ascii: "a"), count: 100)
                        input[position] = UInt8(byte)
                        var output = [UInt8](repeating: 0, count: 164)
                        let mapped = input.withUnsafeBufferPointer { source in
                            output.withUnsafeMutableBufferPointer {
                                _TextKernels.mapASCII(source.baseAddress!, count: 100, into: $0.baseAddress!, lowercase: lowercase, isa: isa)
                            }
                        }
                        #expect(mapped == 100)
                        #expect(output[position] == (lowercase ? table : upperTable)[byte], "\(isa) byte \(byte) at \(position)")
                        #expect(output[0..<100].enumerated().allSatisfy { $0.offset == position || $0.element == UInt8(ascii: "a") })
                    }
                }
            }
            // A non-ASCII byte stops the map right before it, wherever it is, in whole blocks and
            // in a last partial one; nothing is written past the mapped bytes.
            for count in [1, 63, 64, 65, 100, 128, 129] {
                for position in 0..<count {
                    var input = [UInt8](repeating: UInt8(ascii: "B"), count: count)
                    input[position] = 0xC3
                    var output = [UInt8](repeating: 0, count: count + 64)
                    let mapped = input.withUnsafeBufferPointer { source in
                        output.withUnsafeMutableBufferPointer {
                            _TextKernels.mapASCII(source.baseAddress!, count: count, into: $0.baseAddress!, lowercase: true, isa: isa)
                        }
                    }
                    #expect(mapped == position, "\(isa), \(count) bytes")
                    #expect(output[0..<position].allSatisfy { $0 == UInt8(ascii: "b") })
                    #expect(output[position...].allSatisfy { $0 == 0 }, "\(isa), \(count) bytes: wrote past the mapped bytes")
                }
                // All ASCII: every byte mapped, none past them.
                var output = [UInt8](repeating: 0, count: count + 64)
                let mapped = [UInt8](repeating: UInt8(ascii: "B"), count: count).withUnsafeBufferPointer { source in
                    output.withUnsafeMutableBufferPointer {
                        _TextKernels.mapASCII(source.baseAddress!, count: count, into: $0.baseAddress!, lowercase: true, isa: isa)
                    }
                }
                #expect(mapped == count, "\(isa), \(count) bytes")
                #expect(output[..<count].allSatisfy { $0 == UInt8(ascii: "b") } && output[count...].allSatisfy { $0 == 0 }, "\(isa), \(count) bytes")
            }
        }
    }

    @Test("token boundaries at any density: up to 64 transitions a block, tokens across and ending at block edges")
    func boundaryDensity() {
        var generator = SplitMix64(seed: 16)
        for length in [1, 2, 63, 64, 65, 127, 128, 129, 256, 1000] {
            // One in `sparsity` bytes is a space: 1 alternates "a a a …" (a token per two bytes).
            for sparsity in [1, 2, 3, 8, 64, 1000] as [UInt64] {
                var text = (0..<length).map { index -> UInt8 in
                    if sparsity == 1 { return index % 2 == 0 ? UInt8(ascii: "a") : 0x20 }
                    return generator.next() % sparsity == 0 ? 0x20 : UInt8(ascii: "a") + UInt8(generator.next() % 26)
                }
                let expected = text.split(separator: 0x20).map { XXH3.hash64(Array($0), seed: 5) }
                text += [UInt8](repeating: 0x20, count: 64)
                for isa in Self.variants {
                    var hashes = [UInt64](repeating: 0, count: _ShingleHashing.tokenRoom(count: length))
                    let count = text.withUnsafeBufferPointer { source in
                        hashes.withUnsafeMutableBufferPointer { output in
                            _ShingleHashing.hashTokens(source.baseAddress!, count: length, seed: 5, into: output.baseAddress!, isa: isa)
                        }
                    }
                    #expect(Array(hashes.prefix(count)) == expected, "length \(length), sparsity \(sparsity), \(isa)")
                }
            }
        }
    }

    @Test("token hashes of every variant equal XXH3-64, for every length 1-40, wherever the token lies", arguments: [0, 3, 0x9E37_79B9_7F4A_7C15, .max] as [UInt64])
    func tokenBoundsHashes(seed: UInt64) {
        var generator = SplitMix64(seed: seed ^ 14)
        // Any byte values; the last token ends 8 bytes before the end only when shorter than 8.
        let text = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var all: [(start: Int, end: Int)] = []
        for length in 1...40 {
            for start in [0, 1, 7, 8, 63, 64, 150, 300 - max(length, 8)] {
                all.append((start, start + length))
            }
        }
        for index in all.indices.reversed() { all.swapAt(index, Int(generator.next() % UInt64(index + 1))) }
        // Tokens out of text order, and groups of eight within 128 bytes where one lane starts
        // 1 to 8 bytes before the first (its tail offset wraps below zero), or far before it.
        var groups = (Array(0...17) + [all.count]).map { Array(all.prefix($0)) }
        for before in [1, 7, 8, 9, 64, 120] {
            for lane in 1..<8 {
                var group = (0..<8).map { (start: 130 + 3 * $0, end: 130 + 3 * $0 + 2) }
                group[lane] = (start: 130 - before, end: 130 - before + 1 + lane % 3)
                groups.append(group)
            }
        }
        text.withUnsafeBufferPointer { source in
            for group in groups {
                Self.expectTokenHashes(group, of: source.baseAddress!, readable: text.count, seed: seed, "seed \(seed), \(group.count) tokens \(group.prefix(8))")
            }
        }
    }

    #if canImport(Glibc)
    @Test("token hashes of every variant read no byte past the readable ones (a guard page after them)")
    func tokenBoundsHashesAtPageEnd() throws {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapping = try #require(mmap(nil, 2 * pageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapping != MAP_FAILED)
        defer { munmap(mapping, 2 * pageSize) }
        // Reading past the first page faults.
        try #require(mprotect(mapping + pageSize, pageSize, PROT_NONE) == 0)
        let page = mapping.assumingMemoryBound(to: UInt8.self)
        var generator = SplitMix64(seed: 41)
        for trial in 0..<400 {
            // 9 to 24 tokens in text order, of 1 to 18 bytes, 1 to 12 bytes apart (groups of eight
            // spanning from 9 bytes to past 128), the last one's guaranteed bytes ending at the
            // guard page: max(length, 8) from its start.
            let count = 9 + Int(generator.next() % 16)
            var tokens: [(length: Int, gap: Int)] = (0..<count).map { _ in
                (1 + Int(generator.next() % (trial % 3 == 0 ? 18 : 9)), 1 + Int(generator.next() % (trial % 2 == 0 ? 12 : 2)))
            }
            tokens[count - 1].gap = 0
            let last = tokens[count - 1].length
            let total = tokens.reduce(0) { $0 + $1.length + $1.gap } + Swift.max(last, 8) - last
            let text = page + pageSize - total
            for offset in 0..<total { text[offset] = UInt8(truncatingIfNeeded: generator.next()) }
            var bounds: [(start: Int, end: Int)] = []
            var position = 0
            for token in tokens {
                bounds.append((position, position + token.length))
                position += token.length + token.gap
            }
            Self.expectTokenHashes(bounds, of: text, readable: total, seed: 5, "trial \(trial)")
        }
    }
    #endif

    @Test("word n-gram kernel of every variant: each window's polynomial, for widths 1-12 and every tail length")
    func wordShingleKernel() {
        var generator = SplitMix64(seed: 15)
        let tokens = (0..<140).map { _ in generator.next() }
        for seed in [0, 7, UInt64.max] as [UInt64] {
            for width in 1...12 {
                for windows in Array(1...20) + [140 - width + 1] {
                    let expected = tokens.withUnsafeBufferPointer { buffer in
                        (0..<windows).map { _ShingleHashing.combine(buffer.baseAddress! + $0, count: width, seed: seed) }
                    }
                    for isa in Self.variants {
                        var shingles = [UInt64](repeating: 0, count: windows)
                        let written = tokens.withUnsafeBufferPointer { buffer in
                            shingles.withUnsafeMutableBufferPointer {
                                _ShingleHashing.wordShingles(
                                    buffer.baseAddress!, tokens: windows + width - 1, width: width, seed: seed,
                                    into: $0.baseAddress!, isa: isa)
                            }
                        }
                        #expect(written == windows)
                        #expect(shingles == expected, "seed \(seed), width \(width), \(windows) windows, \(isa)")
                    }
                }
            }
        }
    }

    @Test("token bounds of every variant: each run of non-space bytes as a start and end pair, at any density, nothing written past the room")
    func tokenBounds() {
        var generator = SplitMix64(seed: 64)
        for length in [0, 1, 2, 15, 16, 17, 63, 64, 65, 127, 128, 129, 576] + (0..<30).map({ _ in Int(generator.next() % 700) }) {
            for sparsity in [1, 2, 4, 17, 1000] as [UInt64] {
                // Sparsity 1 alternates "x x x …": a token per two bytes, 64 boundaries a block.
                var text = (0..<length).map { index -> UInt8 in
                    if sparsity == 1 { return index % 2 == 0 ? 0x78 : 0x20 }
                    return generator.next() % sparsity == 0 ? 0x20 : UInt8(truncatingIfNeeded: generator.next()) | 0x40
                }
                var expected: [Int32] = []
                for (index, byte) in text.enumerated() where byte != 0x20 {
                    if index == 0 || text[index - 1] == 0x20 { expected.append(Int32(index)) }
                    if index == length - 1 || text[index + 1] == 0x20 { expected.append(Int32(index + 1)) }
                }
                text += [UInt8](repeating: 0x20, count: 64)
                for isa in Self.variants {
                    // A sentinel after the room the contract asks for shows any write past it.
                    let room = _TextKernels.boundsRoom(count: length)
                    var bounds = [Int32](repeating: -7, count: room + 16)
                    let tokens = text.withUnsafeBufferPointer { source in
                        bounds.withUnsafeMutableBufferPointer {
                            _TextKernels.tokenBounds(source.baseAddress!, count: length, into: $0.baseAddress!, isa: isa)
                        }
                    }
                    #expect(tokens.map { $0 * 2 } == expected.count, "length \(length), sparsity \(sparsity), \(isa)")
                    #expect(Array(bounds.prefix(expected.count)) == expected, "length \(length), sparsity \(sparsity), \(isa)")
                    #expect(bounds[room...].allSatisfy { $0 == -7 }, "length \(length), sparsity \(sparsity), \(isa)")
                }
            }
        }
    }
}
