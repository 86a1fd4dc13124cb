import Testing
@testable import SimCore

/// Reference values from xxHash itself: `xxhsum -H3` (seed 0) and python-xxhash 3 (seeded, 128-bit).
@Suite("XXH3 against xxHash's reference values")
struct XXH3Tests {
    struct Vector: Sendable, CustomStringConvertible {
        let bytes: [UInt8]
        let seed: UInt64
        let hash64: UInt64
        let hash128High: UInt64
        let hash128Low: UInt64
        var description: String { "\(bytes.count) bytes, seed \(seed)" }
    }

    static let vectors: [Vector] = [
        Vector(bytes: [], seed: 0, hash64: 0x2d06_8005_38d3_94c2,
               hash128High: 0x99aa_06d3_0147_98d8, hash128Low: 0x6001_c324_468d_497f),
        Vector(bytes: Array("a".utf8), seed: 0, hash64: 0xe6c6_32b6_1e96_4e1f,
               hash128High: 0xa96f_af70_5af1_6834, hash128Low: 0xe6c6_32b6_1e96_4e1f),
        Vector(bytes: Array("xxhash".utf8), seed: 0, hash64: 0xaa4c_2b42_ae6b_13de,
               hash128High: 0x9c8b_437c_78ca_c00a, hash128Low: 0x3760_72e2_4bfd_f4d2),
        Vector(bytes: Array("hello world".utf8), seed: 42, hash64: 0x972a_5725_e93d_338e,
               hash128High: 0x5a5e_cb4a_6983_78a2, hash128Low: 0x82c1_ce3b_43a6_36ba),
        Vector(bytes: Array("The quick brown fox jumps over the lazy dog".utf8), seed: 0, hash64: 0xce7d_19a5_418f_b365,
               hash128High: 0xddd6_5020_5ca3_e7fa, hash128Low: 0x24a1_cc2e_3a8a_7651),
        Vector(bytes: Array(repeating: UInt8(ascii: "x"), count: 17), seed: 0, hash64: 0x8997_5e6b_7d2f_5a11,
               hash128High: 0x9e8a_29b5_dfc1_3013, hash128Low: 0x416e_526d_fb68_7d89),
        Vector(bytes: Array(repeating: UInt8(ascii: "y"), count: 129), seed: 3, hash64: 0x47ee_5e93_d81a_948c,
               hash128High: 0xf9cf_1444_683c_486d, hash128Low: 0x17f0_af80_09bf_5991),
        Vector(bytes: Array(repeating: UInt8(ascii: "z"), count: 240), seed: 0, hash64: 0xbf0e_0b40_af0c_6df2,
               hash128High: 0x3e15_da7d_5639_f4ef, hash128Low: 0x9bd0_28f3_3a21_35a7),
        Vector(bytes: Array(repeating: UInt8(ascii: "w"), count: 241), seed: 1, hash64: 0xc764_e9bd_8ae4_5829,
               hash128High: 0xc0bd_4c44_2ae9_8340, hash128Low: 0xc764_e9bd_8ae4_5829),
        Vector(bytes: Array(repeating: Array(0...255 as ClosedRange<UInt8>), count: 2).flatMap { $0 }, seed: 7,
               hash64: 0x8238_1142_f370_3860, hash128High: 0x9e06_3ecf_e8ec_33e0, hash128Low: 0x8238_1142_f370_3860),
    ]

    @Test("64-bit, both implementations", arguments: vectors)
    func hash64(vector: Vector) throws {
        try #require(XXH3.Implementation.sharedLibrary.isAvailable, "libxxhash.so.0 (Debian's libxxhash0) is the independent reference")
        vector.bytes.withUnsafeBytes { bytes in
            #expect(XXH3.hash64(bytes, seed: vector.seed, implementation: .inline) == vector.hash64)
            #expect(XXH3.hash64(bytes, seed: vector.seed, implementation: .sharedLibrary) == vector.hash64)
        }
        #expect(XXH3.hash64(vector.bytes, seed: vector.seed) == vector.hash64)
    }

    @Test("128-bit, both implementations", arguments: vectors)
    func hash128(vector: Vector) throws {
        try #require(XXH3.Implementation.sharedLibrary.isAvailable)
        vector.bytes.withUnsafeBytes { bytes in
            for implementation in XXH3.Implementation.allCases {
                let hash = XXH3.hash128(bytes, seed: vector.seed, implementation: implementation)
                #expect(hash.high == vector.hash128High)
                #expect(hash.low == vector.hash128Low)
            }
        }
    }

    @Test("the hot-path kernel (short-input branch up to 16 bytes) equals the shared library at every length")
    func hotPathKernel() throws {
        try #require(XXH3.Implementation.sharedLibrary.isAvailable)
        var generator = SplitMix64(seed: 5)
        let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        bytes.withUnsafeBytes { raw in
            for length in 0...300 {
                let seed = generator.next()
                let input = UnsafeRawBufferPointer(rebasing: raw[0..<length])
                #expect(_xxh3_64(input.baseAddress, length, seed)
                    == XXH3.hash64(input, seed: seed, implementation: .sharedLibrary), "length \(length)")
            }
        }
    }

    @Test("SplitMix64 gives the published stream for seed 0")
    func splitMix() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xe220_a839_7b1d_cdaf)
        #expect(generator.next() == 0x6e78_9e6a_a1b9_65f4)
        #expect(generator.next() == 0x06c4_5d18_8009_454f)
    }
}
