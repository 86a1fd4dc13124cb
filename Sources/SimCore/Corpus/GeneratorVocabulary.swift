/// The seeded vocabulary of ``CorpusGenerator``: English function words first, then pronounceable
/// pseudo-words, all in one byte buffer, drawn with a Zipf-like (1/rank) distribution.
///
/// Sampling is O(1) on average: a 65,536-entry table narrows the cumulative distribution to a
/// few entries, then a binary search finishes. Names (for bylines and quotes) follow the words
/// and are drawn uniformly.
struct _GeneratorVocabulary: Sendable {
    /// Every word's bytes, back to back.
    let bytes: [UInt8]
    /// Word `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    let offsets: [Int32]
    /// How many Zipf-drawn words there are (names come after them).
    let wordCount: Int
    /// The id of the first name.
    var firstName: Int { wordCount }
    /// How many names there are.
    var nameCount: Int { offsets.count - 1 - wordCount }
    /// Cumulative probability of ranks `0...i`, scaled to 2^53.
    private let cumulative: [UInt64]
    /// `lookup[j]` is the first rank whose cumulative value reaches `j << 37`.
    private let lookup: [Int32]

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
        self.bytes = bytes
        self.offsets = offsets

        var harmonic = 0.0
        for rank in 1...size { harmonic += 1 / Double(rank) }
        var cumulative = [UInt64](repeating: 0, count: size)
        var sum = 0.0
        let scale = Double(UInt64(1) << 53)
        for rank in 0..<size {
            sum += 1 / (Double(rank + 1) * harmonic)
            cumulative[rank] = UInt64(Swift.min(scale, sum * scale))
        }
        cumulative[size - 1] = UInt64(1) << 53
        var lookup = [Int32](repeating: 0, count: 65_537)
        var rank = 0
        for slot in 0..<65_536 {
            let floor = UInt64(slot) << 37
            while cumulative[rank] <= floor { rank += 1 }
            lookup[slot] = Int32(rank)
        }
        lookup[65_536] = Int32(size - 1)
        self.cumulative = cumulative
        self.lookup = lookup
    }

    /// A word id drawn with probability proportional to 1/(rank + 1).
    func sampleWord(_ random: inout SplitMix64) -> UInt32 {
        let point = random.next() >> 11
        let slot = Int(point >> 37)
        var low = Int(lookup[slot])
        var high = Int(lookup[slot + 1])
        while low < high {
            let middle = (low + high) >> 1
            if cumulative[middle] <= point { low = middle + 1 } else { high = middle }
        }
        return UInt32(low)
    }

    /// A name id drawn uniformly.
    func sampleName(_ random: inout SplitMix64) -> UInt32 {
        UInt32(firstName + Int(random.next() % UInt64(nameCount)))
    }

    /// The length in bytes of word `id`.
    func length(of id: Int) -> Int { Int(offsets[id + 1] - offsets[id]) }
}
