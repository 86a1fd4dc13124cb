import Testing
@testable import SimCore

/// Properties every MinHash-family scheme must have.
/// One-permutation MinHash as it was before its probe table: every densification probe mixed
/// on the fly. The reference the table-driven signer must equal value for value.
func _referenceOPH(_ hashes: [UInt64], signatureLength k: Int, seed: UInt64) -> [UInt64] {
    guard !hashes.isEmpty else { return [UInt64](repeating: .max, count: k) }
    var generator = SplitMix64(seed: seed)
    _ = (generator.next(), generator.next())
    let probeKey = generator.next()
    let bins = _referenceOPHMinima(hashes, signatureLength: k, seed: seed)
    return (0..<k).map { i in
        var value = bins[i]
        var attempt: UInt64 = 1
        while value == .max {
            let probe = _mix64(probeKey ^ (UInt64(i) << 32 | attempt))
            value = bins[Int(probe.multipliedFullWidth(by: UInt64(k)).high)]
            attempt += 1
        }
        return value
    }
}

/// One-permutation MinHash's bin minima before densification (`UInt64.max` for an empty bin),
/// one hash at a time.
func _referenceOPHMinima(_ hashes: [UInt64], signatureLength k: Int, seed: UInt64) -> [UInt64] {
    var generator = SplitMix64(seed: seed)
    let multiplier = generator.next() | 1
    let addend = generator.next()
    var bins = [UInt64](repeating: .max, count: k)
    for x in hashes {
        let h = Swift.min(x &* multiplier &+ addend, .max - 1)
        let bin = Int(h.multipliedFullWidth(by: UInt64(k)).high)
        bins[bin] = Swift.min(h, bins[bin])
    }
    return bins
}

@Suite("One-permutation densification")
struct OnePermutationProbeTableTests {
    @Test("the probe table gives exactly the signatures of probing on the fly", arguments: [1, 2, 7, 128, 4_096, 5_000])
    func probeTable(k: Int) {
        var random = SplitMix64(seed: 1_414)
        for size in [1, 2, 3, 5, 10, 46, 128, 300] {
            let hashes = (0..<size).map { _ in random.next() }
            let scheme = OnePermutationMinHash(signatureLength: k, seed: 9)
            let got = hashes.withUnsafeBufferPointer { input in
                [UInt64](unsafeUninitializedCapacity: k) { output, count in
                    scheme.sign(input, into: UnsafeMutableBufferPointer(rebasing: output[0..<k]))
                    count = k
                }
            }
            #expect(got == _referenceOPH(hashes, signatureLength: k, seed: 9), "k \(k), \(size) hashes")
        }
    }
}

extension OnePermutationProbeTableTests {
    @Test("every densification kernel variant takes the first filled bin of the table's probes, block edges and exhausted tables included",
          arguments: [1, 3, 4, 7, 8, 9, 12, 63, 64, 65, 100, 127, 128, 129, 131, 200, 512, 513])
    func densificationKernels(k: Int) throws {
        let seed: UInt64 = 21
        let scheme = OnePermutationMinHash(signatureLength: k, seed: seed)
        var generator = SplitMix64(seed: seed)
        _ = (generator.next(), generator.next())
        let probeKey = generator.next()
        let variants = SignatureKernelISA.allCases.filter(\.isSupported)
        #expect(variants.contains(.portable))
        var random = SplitMix64(seed: 3_141)
        // Filled fractions from one bin (most table probes miss) to all bins.
        for filledPercent in [0, 1, 10, 35, 70, 100] {
            for round in 0..<4 {
                var bins = (0..<k).map { _ in random.next() % 100 < UInt64(filledPercent) ? random.next() >> 1 : UInt64.max }
                if filledPercent == 0 || bins.allSatisfy({ $0 == .max }) { bins[(round * 7) % k] = UInt64(round) }
                let expected = (0..<k).map { i -> UInt64 in
                    var value = bins[i]
                    for t in 1...OnePermutationMinHash.probeTableDepth where value == .max {
                        let probe = _mix64(probeKey ^ (UInt64(i) << 32 | UInt64(t)))
                        value = bins[Int(probe.multipliedFullWidth(by: UInt64(k)).high)]
                    }
                    return value
                }
                // The AVX-512 variant tests probes by bytes (VBMI, k ≤ 128) or a bit mask; the
                // bit-mask one runs forced too, since a VBMI CPU would not run it at k ≤ 128.
                let avx512Path = k <= 128 && OnePermutationMinHash._densifiesByBytes ? "bytes" : "bit mask"
                var outcomes = variants.map { ("\($0)\($0 == .avx512 ? " (\(avx512Path))" : "")", scheme._densifiedFromTable(bins, isa: $0)) }
                if SignatureKernelISA.avx512.isSupported && k <= 512 {
                    outcomes.append(("avx512 (bit mask, forced)", scheme._densifiedFromTable(bins, isa: .portable, bitMask: true)))
                }
                for (name, outcome) in outcomes {
                    let got = try #require(outcome, "\(name)")
                    #expect(got.values == expected, "k \(k), \(filledPercent)% filled, round \(round), \(name)")
                    #expect(got.empty == expected.filter { $0 == .max }.count, "k \(k), \(filledPercent)%, \(name)")
                    #expect(got.pastEndIntact, "k \(k), \(filledPercent)%, \(name) wrote past the k outputs")
                }
            }
        }
    }
}

@Suite("Signature schemes")
struct SignatureSchemeTests {
    static let schemes: [any SignatureScheme] = [
        MinHash(signatureLength: 128, seed: 3),
        OnePermutationMinHash(signatureLength: 128, seed: 3),
        SuperMinHash(signatureLength: 128, seed: 3),
        BBitMinHash(MinHash(signatureLength: 64, seed: 3), bits: 4),
        BBitMinHash(OnePermutationMinHash(signatureLength: 100, seed: 3), bits: 1),
        OnePermutationMinHash(signatureLength: 7, seed: 1),
        SuperMinHash(signatureLength: 1, seed: 1),
    ]

    @Test("order and repeats of the hashes do not change the signature", arguments: schemes.indices)
    func orderAndRepeats(index: Int) {
        let scheme = Self.schemes[index]
        let hashes = randomHashes(300, seed: 11)
        let shuffled = hashes.reversed() + hashes.prefix(50) + hashes.suffix(10)
        let a = hashes.withUnsafeBufferPointer { scheme.signature(ofHashes: $0) }
        let b = Array(shuffled).withUnsafeBufferPointer { scheme.signature(ofHashes: $0) }
        #expect(a == b, "\(scheme.name)")
        #expect(a.count == scheme.signatureLength)
        #expect(scheme.estimatedJaccard(a, b) == 1)
    }

    @Test("an empty document signs to all UInt64.max (b-bit: all ones in b bits)", arguments: schemes.indices)
    func emptyDocument(index: Int) {
        let scheme = Self.schemes[index]
        let signature = scheme.signature(of: ShingleSet([UInt64]()))
        let expected: UInt64 = if let bits = (scheme as? BBitMinHash<MinHash>)?.bits
            ?? (scheme as? BBitMinHash<OnePermutationMinHash>)?.bits {
            (UInt64(1) << UInt64(bits)) - 1
        } else {
            .max
        }
        #expect(signature == Array(repeating: expected, count: scheme.signatureLength), "\(scheme.name)")
    }

    @Test("a different seed gives a different signature", arguments: [0, 1, 2])
    func seedsMatter(kind: Int) {
        let set = ShingleSet(randomHashes(200, seed: 4))
        let (a, b): ([UInt64], [UInt64]) = switch kind {
        case 0: (MinHash(seed: 1).signature(of: set), MinHash(seed: 2).signature(of: set))
        case 1: (OnePermutationMinHash(seed: 1).signature(of: set), OnePermutationMinHash(seed: 2).signature(of: set))
        default: (SuperMinHash(seed: 1).signature(of: set), SuperMinHash(seed: 2).signature(of: set))
        }
        #expect(SignatureEstimators.equalCount(a, b) < 10)
    }

    @Test("OPH with a single shingle densifies every bin to that shingle's value")
    func densifiesFromOneShingle() {
        let scheme = OnePermutationMinHash(signatureLength: 64, seed: 8)
        let signature = scheme.signature(of: ShingleSet([42]))
        #expect(Set(signature).count == 1)
        #expect(signature[0] != .max)
    }

    @Test("SuperMinHash values are position << 32 | fraction with position < k")
    func superMinHashLayout() {
        let scheme = SuperMinHash(signatureLength: 32, seed: 2)
        let signature = scheme.signature(of: ShingleSet(randomHashes(1000, seed: 6)))
        #expect(signature.allSatisfy { $0 >> 32 < 32 })
        // With n ≫ k every value comes from an early step, so positions stay small.
        #expect(signature.map { $0 >> 32 }.max()! < 8)
    }
}

extension SignatureEstimators {
    static func equalCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in equalCount(a, b) } }
    }
}
