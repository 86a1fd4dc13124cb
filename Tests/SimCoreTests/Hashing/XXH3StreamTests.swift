import Testing
@testable import SimCore

@Suite("XXH3 in pieces")
struct XXH3StreamTests {
    @Test("XXH3 fed in pieces of any size is XXH3 of the whole")
    func streamedChecksum() {
        var generator = SplitMix64(seed: 5)
        let bytes = (0..<300_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for cuts in [[], [0, 1, 16, 17, 240, 241, 1_024, 299_999], [65_536, 131_072, 131_073]] {
            let stream = _XXH3Stream()
            var start = 0
            bytes.withUnsafeBytes { raw in
                for end in cuts + [bytes.count] {
                    stream.update(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                    start = end
                }
            }
            #expect(stream.digest == XXH3.hash64(bytes), "cut at \(cuts)")
        }
        #expect(_XXH3Stream().digest == XXH3.hash64([UInt8]()))
    }
}
