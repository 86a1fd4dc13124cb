import Foundation
import Testing
@testable import SimCore

@Suite("MinHash kernels")
struct MinHashKernelTests {
    static let lengths = [1, 7, 8, 9, 63, 64, 65, 100, 128, 129, 200, 256]

    @Test("every supported ISA variant gives the portable variant's signature", arguments: lengths)
    func variantsAgree(length: Int) {
        let scheme = MinHash(signatureLength: length, seed: UInt64(length))
        for count in [1, 2, 17, 1000] {
            let hashes = randomHashes(count, seed: UInt64(count * 1000 + length))
            let portable = sign(scheme, hashes, isa: .portable)
            #expect(portable != nil)
            for isa in SignatureKernelISA.allCases where isa.isSupported {
                let other = sign(scheme, hashes, isa: isa)
                #expect(other == portable, "ISA \(isa) differs at k = \(length), n = \(count)")
            }
            // The dispatched path (whatever SIMCORE_ISA selects) agrees as well.
            #expect(hashes.withUnsafeBufferPointer { scheme.signature(ofHashes: $0) } == portable)
        }
    }

    @Test("the AVX2 variant runs on this machine when the CPU has AVX2; an unsupported ISA is refused")
    func isaReporting() {
        #expect(SignatureKernelISA.portable.isSupported)
        let active = SignatureKernelISA.active
        #expect(active.isSupported)
        // SIMCORE_ISA caps the dispatcher: run the suite with SIMCORE_ISA=portable to test it.
        if let requested = ProcessInfo.processInfo.environment["SIMCORE_ISA"].flatMap(SignatureKernelISA.init(rawValue:)) {
            #expect(SignatureKernelISA.allCases.firstIndex(of: active)! <= SignatureKernelISA.allCases.firstIndex(of: requested)!)
        }
        let scheme = MinHash(signatureLength: 8)
        for isa in SignatureKernelISA.allCases where !isa.isSupported {
            #expect(sign(scheme, [1, 2, 3], isa: isa) == nil)
        }
    }

    @Test("values are the scalar definition: min over x of mul·fold(x) + add mod 2^32")
    func matchesScalarDefinition() {
        let length = 19
        let scheme = MinHash(signatureLength: length, seed: 5)
        let hashes = randomHashes(50, seed: 9)
        var generator = SplitMix64(seed: 5)
        var expected: [UInt64] = []
        for _ in 0..<length {
            let draw = generator.next()
            let mul = UInt32(truncatingIfNeeded: draw) | 1
            let add = UInt32(truncatingIfNeeded: draw >> 32)
            let minimum = hashes.map { x -> UInt32 in
                let folded = UInt32(truncatingIfNeeded: x) ^ UInt32(truncatingIfNeeded: x >> 32)
                return mul &* folded &+ add
            }.min()!
            expected.append(UInt64(minimum))
        }
        #expect(hashes.withUnsafeBufferPointer { scheme.signature(ofHashes: $0) } == expected)
    }

    private func sign(_ scheme: MinHash, _ hashes: [UInt64], isa: SignatureKernelISA) -> [UInt64]? {
        var output = [UInt64](repeating: 0, count: scheme.signatureLength)
        let done = hashes.withUnsafeBufferPointer { hashes in
            output.withUnsafeMutableBufferPointer { scheme._sign(hashes, into: $0, isa: isa) }
        }
        return done ? output : nil
    }
}
