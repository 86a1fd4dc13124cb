internal import CSimKernels

/// The instruction-set variant of SimCore's C signing kernels (classic ``MinHash``).
///
/// Chosen once per process: the best variant this CPU supports, capped by the environment
/// variable `SIMCORE_ISA=portable|avx2|avx512` (any other value, or none, leaves the choice to the
/// CPU). Every variant gives the same signature bytes.
///
/// ```swift
/// SignatureKernelISA.active   // .avx2 on an AVX2 machine without SIMCORE_ISA
/// ```
public enum SignatureKernelISA: String, Sendable, CaseIterable {
    /// Plain C, whatever the compiler's default target allows (SSE2 on x86-64).
    case portable
    /// 256-bit AVX2 (`vpmulld`, `vpminud`).
    case avx2
    /// 512-bit AVX-512F.
    case avx512

    /// The variant this process uses.
    public static var active: SignatureKernelISA {
        SignatureKernelISA(code: simk_active_isa())
    }

    /// Whether this CPU can run the variant.
    public var isSupported: Bool { simk_isa_supported(code) != 0 }

    var code: Int32 {
        switch self {
        case .portable: Int32(SIMK_ISA_PORTABLE)
        case .avx2: Int32(SIMK_ISA_AVX2)
        case .avx512: Int32(SIMK_ISA_AVX512)
        }
    }

    init(code: Int32) {
        switch code {
        case Int32(SIMK_ISA_AVX512): self = .avx512
        case Int32(SIMK_ISA_AVX2): self = .avx2
        default: self = .portable
        }
    }
}

/// Runs the 32-bit multiply-add-min kernel over `hashes` into `mins` (initialized by the caller).
///
/// - SAFETY: `multipliers`, `addends` and `mins` hold the same number of lanes; the C kernel
///   reads `hashes.count` hashes and writes only `mins`. `isa == nil` uses the dispatcher.
/// - Returns: `false` if `isa` was forced and this CPU cannot run it (nothing written).
func _minHash32(
    _ hashes: UnsafeBufferPointer<UInt64>, multipliers: UnsafeBufferPointer<UInt32>,
    addends: UnsafeBufferPointer<UInt32>, mins: UnsafeMutableBufferPointer<UInt32>,
    isa: SignatureKernelISA? = nil
) -> Bool {
    assert(multipliers.count == mins.count && addends.count == mins.count)
    guard let isa else {
        simk_minhash32(hashes.baseAddress, hashes.count, multipliers.baseAddress, addends.baseAddress,
                       mins.baseAddress, mins.count)
        return true
    }
    return simk_minhash32_isa(isa.code, hashes.baseAddress, hashes.count, multipliers.baseAddress,
                              addends.baseAddress, mins.baseAddress, mins.count) == 0
}
