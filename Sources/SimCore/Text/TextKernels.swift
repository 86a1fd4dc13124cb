internal import CSimKernels

/// The C text kernels (`CSimKernels/text.c`): the ASCII token map and the separator bit masks of
/// word shingling, and the JSON string scan of the corpus reader (package access, for
/// SimCoreIO); 32 bytes per step with AVX2 and 64 with AVX-512BW, chosen once per process
/// like the MinHash kernel (``SignatureKernelISA``, capped by `SIMCORE_ISA`; the AVX-512 variant
/// also needs AVX-512BW). Every variant gives the portable one's bytes and masks.
package enum _TextKernels {
    /// The variant the text kernels use in this process.
    static var active: SignatureKernelISA { SignatureKernelISA(code: simk_text_isa()) }

    /// The variants of the text kernels this CPU runs (the portable one always), for tests.
    package static var supportedVariants: [SignatureKernelISA] {
        SignatureKernelISA.allCases.filter { simk_text_isa_supported($0.code) != 0 }
    }

    /// Maps the ASCII prefix of `input` (letters, lower-cased when `lowercase`, and digits kept;
    /// other ASCII bytes to 0x20), stopping at the first byte of 0x80 or more.
    ///
    /// - SAFETY: `input` holds `count` bytes; `output` has room for `count` + 64 bytes.
    /// - Returns: The number of bytes mapped, or `nil` if `isa` was forced and this CPU cannot
    ///   run it.
    static func mapASCII(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>, lowercase: Bool,
        isa: SignatureKernelISA? = nil
    ) -> Int? {
        guard let isa else { return simk_map_ascii(input, count, output, lowercase ? 1 : 0) }
        var processed = 0
        return simk_map_ascii_isa(isa.code, input, count, output, lowercase ? 1 : 0, &processed) == 0 ? processed : nil
    }

    /// Writes, for each block of 64 bytes of `text`, the mask whose bit i is set iff byte i is
    /// not 0x20.
    ///
    /// - SAFETY: `text` holds `blocks · 64` readable bytes; `masks` has room for `blocks` words.
    /// - Returns: `false` if `isa` was forced and this CPU cannot run it (nothing written).
    @discardableResult
    static func nonSpaceMasks(
        _ text: UnsafePointer<UInt8>, blocks: Int, into masks: UnsafeMutablePointer<UInt64>, isa: SignatureKernelISA? = nil
    ) -> Bool {
        guard let isa else {
            simk_nonspace_masks(text, blocks, masks)
            return true
        }
        return simk_nonspace_masks_isa(isa.code, text, blocks, masks) == 0
    }

    /// The position of the first `"`, `\` or control byte (below 0x20) among `count` bytes,
    /// or `count` if there is none: where a JSON string's plain run ends.
    ///
    /// - SAFETY: `bytes` holds `count` readable bytes; exactly those are read.
    /// - Returns: The position, or `nil` if `isa` was forced and this CPU cannot run it.
    package static func jsonSpecialByte(
        _ bytes: UnsafePointer<UInt8>, count: Int, isa: SignatureKernelISA? = nil
    ) -> Int? {
        guard let isa else { return simk_json_special(bytes, count) }
        var position = 0
        return simk_json_special_isa(isa.code, bytes, count, &position) == 0 ? position : nil
    }
}
