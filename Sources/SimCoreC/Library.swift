import CSimCore
import SimCore
import SimCoreInternals

// libsimcore: SimCore's C interface. Sources/CSimCore/include/simcore.h declares and documents
// every function; this target implements them over SimCore's public API and stays thin: each
// function checks its arguments (COptions, CTexts), calls SimCore, and copies results out.

/// The ABI version implemented (`SIMCORE_ABI_VERSION` in `simcore.h`).
let abiVersion: UInt32 = 1

/// The version string, in static storage for the life of the process.
private let versionString: SendableMutablePointer<CChar> = {
    let bytes = Array(SimCoreRelease.version.utf8CString)
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
    // SAFETY: allocated for exactly bytes.count characters, written once here and never again
    // (read-only afterwards, so shared reads from any thread are safe); never freed.
    buffer.initialize(from: bytes, count: bytes.count)
    return SendableMutablePointer(base: buffer)
}()

/// `simcore_version`: SimCore's release, "MAJOR.MINOR.PATCH".
@c public func simcore_version() -> UnsafePointer<CChar> {
    UnsafePointer(versionString.base)
}

/// `simcore_abi_version`: the ABI this library implements.
@c public func simcore_abi_version() -> UInt32 {
    abiVersion
}

/// `simcore_free`: releases a buffer the library allocated.
@c public func simcore_free(_ buffer: UnsafeMutableRawPointer?) {
    buffer?.deallocate()
}

/// `simcore_status_name`: a status's constant name.
@c public func simcore_status_name(_ status: Int32) -> UnsafePointer<CChar> {
    let name: StaticString
    switch simcore_status(rawValue: UInt32(bitPattern: status)) {
    case SIMCORE_OK: name = "SIMCORE_OK"
    case SIMCORE_E_INVALID_ARGUMENT: name = "SIMCORE_E_INVALID_ARGUMENT"
    case SIMCORE_E_INVALID_UTF8: name = "SIMCORE_E_INVALID_UTF8"
    case SIMCORE_E_EMPTY_TEXT: name = "SIMCORE_E_EMPTY_TEXT"
    case SIMCORE_E_BUFFER_TOO_SMALL: name = "SIMCORE_E_BUFFER_TOO_SMALL"
    case SIMCORE_E_IO: name = "SIMCORE_E_IO"
    case SIMCORE_E_FORMAT: name = "SIMCORE_E_FORMAT"
    case SIMCORE_E_PARAMETER_MISMATCH: name = "SIMCORE_E_PARAMETER_MISMATCH"
    case SIMCORE_E_OUT_OF_RANGE: name = "SIMCORE_E_OUT_OF_RANGE"
    default: name = "unknown status"
    }
    // SAFETY: a StaticString's bytes are NUL-terminated and live for the whole process.
    return UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// `simcore_options_init`: SimCore's defaults, the same as simdedup's flags.
@c public func simcore_options_init(_ options: UnsafeMutablePointer<simcore_options>?) {
    guard let options else { return }
    let defaults = DeduplicationOptions()
    var value = simcore_options()
    value.struct_size = UInt32(MemoryLayout<simcore_options>.size)
    value.shingle_unit = UInt32(SIMCORE_SHINGLE_WORDS)
    value.shingle_width = UInt32(defaults.shingling.unit.width)
    value.scheme = UInt32(SIMCORE_SCHEME_OPH)
    value.signature_length = 128
    value.measure = UInt32(defaults.measure == .overlap ? SIMCORE_MEASURE_OVERLAP : SIMCORE_MEASURE_JACCARD)
    value.seed = defaults.shingling.seed
    value.threshold = defaults.threshold
    value.verification = UInt32(defaults.verification == .estimated ? SIMCORE_VERIFY_ESTIMATED : SIMCORE_VERIFY_EXACT)
    value.bands = 0
    value.rows = 0
    value.threads = 0
    value.invalid_utf8 = UInt32(SIMCORE_UTF8_REJECT)
    value.lowercase = defaults.shingling.normalization.lowercase ? 1 : 0
    value.fold_compatibility_forms = defaults.shingling.normalization.foldCompatibilityForms ? 1 : 0
    value.keep_punctuation = defaults.shingling.normalization.keepPunctuation ? 1 : 0
    options.pointee = value
}
