import SimCore

/// The seeded vocabulary of ``CorpusGenerator``: English function words first, then pronounceable
/// pseudo-words, all in one byte buffer, drawn with a Zipf-like (1/rank) distribution.
///
/// Sampling is O(1) and branch-light: Walker's alias method, one table entry per word. Names (for bylines and quotes) follow the words
/// and are drawn uniformly.
struct _GeneratorVocabulary: Sendable {
    /// Every word's bytes, back to back, then ``padding`` zero bytes so that 16-byte block copies
    /// of any word stay inside the buffer.
    let bytes: [UInt8]
    /// Zero bytes after the last word.
    static let padding = 32
    /// Word `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    let offsets: [Int32]
    /// How many Zipf-drawn words there are (names come after them).
    let wordCount: Int
    /// The id of the first name.
    var firstName: Int { wordCount }
    /// How many names there are.
    var nameCount: Int { offsets.count - 1 - wordCount }
    /// Alias table: the alias word in the high 32 bits, the keep threshold (of 2^21) in the low.
    private let alias: [UInt64]

    static let commonWords: [String] = """
        the of and to a in that is was he for it with as his on be at by had are but from or have an \
        they which one you were her all she there would their we him been has when who will more no \
        if out so said what up its about into than them can only other new some could time these two \
        may then do first any my now such like our over man me even most made after also did many \
        before must through back years where much your way well down should because each just those \
        people how too little state good very make world still own see men work long get here between \
        both life being under never day same another know while last might us great old year off come \
        since against go came right used take three minister government police officials percent city \
        week report president country company market told according spokesman statement thursday friday
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    static let names: [String] = """
        Maria Chen Ahmed Okafor Laura Schmidt Kenji Watanabe Sofia Rossi Daniel Novak Amara Diallo \
        Lucas Silva Ingrid Larsen Omar Haddad Elena Petrova James Murphy Priya Raman Tomas Kowalski \
        Fatima Zahra Noah Fischer Chloe Martin Ivan Horvat Aisha Bello Mateo Garcia Hannah Weber
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    init(size: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed ^ 0x766F_6361_6275_6C61)
        let onsets = Array("b c d f g h j k l m n p r s t v w z br cr dr fr gr pl pr st tr ch sh th".split(separator: " "))
        let vowels = Array("a e i o u ai ea ou io".split(separator: " "))
        let codas = Array(" n r s t l m nd st rk".split(separator: " ", omittingEmptySubsequences: false))
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        bytes.reserveCapacity(size * 8)
        offsets.reserveCapacity(size + Self.names.count + 1)
        for word in Self.commonWords.prefix(size) {
            bytes.append(contentsOf: word.utf8)
            offsets.append(Int32(bytes.count))
        }
        while offsets.count <= size {
            let syllables = 1 + Int(random.next() % 3) + (random.next() % 4 == 0 ? 1 : 0)
            for _ in 0..<syllables {
                bytes.append(contentsOf: onsets[Int(random.next() % UInt64(onsets.count))].utf8)
                bytes.append(contentsOf: vowels[Int(random.next() % UInt64(vowels.count))].utf8)
            }
            bytes.append(contentsOf: codas[Int(random.next() % UInt64(codas.count))].utf8)
            offsets.append(Int32(bytes.count))
        }
        wordCount = size
        for name in Self.names {
            bytes.append(contentsOf: name.utf8)
            offsets.append(Int32(bytes.count))
        }
        for id in 0..<(offsets.count - 1) {
            precondition(offsets[id + 1] - offsets[id] < Self.padding, "words must be shorter than the padding")
        }
        bytes.append(contentsOf: repeatElement(0, count: Self.padding))
        self.bytes = bytes
        self.offsets = offsets

        // Walker's alias method (Vose's construction): column i keeps word i with probability
        // threshold / 2^21 and gives its alias otherwise; every column has probability 1/size.
        var harmonic = 0.0
        for rank in 1...size { harmonic += 1 / Double(rank) }
        var scaled = (0..<size).map { Double(size) / (Double($0 + 1) * harmonic) }
        var table = [UInt64](repeating: 0, count: size)
        var small: [Int] = []
        var large: [Int] = []
        for index in (0..<size).reversed() {
            if scaled[index] < 1 { small.append(index) } else { large.append(index) }
        }
        while !small.isEmpty && !large.isEmpty {
            let column = small.removeLast()
            let donor = large[large.count - 1]
            table[column] = UInt64(donor) << 32 | UInt64((scaled[column] * Double(1 << 21)).rounded(.down))
            scaled[donor] -= 1 - scaled[column]
            if scaled[donor] < 1 {
                large.removeLast()
                small.append(donor)
            }
        }
        for column in large + small { table[column] = UInt64(column) << 32 | UInt64(1 << 21) }
        self.alias = table
    }

    /// A word id drawn with probability proportional to 1/(rank + 1).
    func sampleWord(_ random: inout SplitMix64) -> UInt32 {
        word(bits: random.next())
    }

    /// The word that 53 random bits pick: bits 32...63 choose a column, bits 11...31 decide
    /// between the column's word and its alias (bits 0...10 are left for the caller).
    @inline(__always)
    func word(bits: UInt64) -> UInt32 {
        let column = Int(truncatingIfNeeded: ((bits >> 32) &* UInt64(wordCount)) >> 32)
        let entry = alias.withUnsafeBufferPointer { $0[column] }
        let keep = (bits >> 11) & 0x1F_FFFF < entry & 0xFFFF_FFFF
        return keep ? UInt32(column) : UInt32(truncatingIfNeeded: entry >> 32)
    }

    /// A name id drawn uniformly.
    func sampleName(_ random: inout SplitMix64) -> UInt32 {
        UInt32(firstName + Int(truncatingIfNeeded: random.next().multipliedFullWidth(by: UInt64(nameCount)).high))
    }

    /// The length in bytes of word `id`.
    func length(of id: Int) -> Int { Int(offsets[id + 1] - offsets[id]) }
}
