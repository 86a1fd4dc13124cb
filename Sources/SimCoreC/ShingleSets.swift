import CSimCore
import SimCore

/// The object behind a `simcore_shingle_set` handle: a set and a copy of its hashes that C may
/// borrow for the handle's lifetime.
final class ShingleSetHandle {
    /// The set.
    let set: ShingleSet
    /// Its hashes in memory the handle owns (`nil` when empty).
    let hashes: UnsafeMutablePointer<UInt64>?

    /// Wraps `set`.
    init(_ set: ShingleSet) {
        self.set = set
        hashes = CTexts.allocatedCopy(of: set.hashes)
    }

    deinit { hashes?.deallocate() }

    /// Retains a new handle and returns it as an opaque pointer.
    func retained() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    /// The handle behind `pointer`, not retained.
    static func from(_ pointer: OpaquePointer) -> ShingleSetHandle {
        // SAFETY: the caller passes a pointer from simcore_shingle_set_new that it has not freed
        // (simcore.h's ownership rule).
        Unmanaged<ShingleSetHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

/// The measure a `SIMCORE_MEASURE_*` constant names.
///
/// - Throws: ``CError`` for any other value.
func similarityMeasure(_ value: UInt32) throws(CError) -> SimilarityMeasure {
    switch Int32(bitPattern: value) {
    case SIMCORE_MEASURE_JACCARD: return .jaccard
    case SIMCORE_MEASURE_CONTAINMENT: return .containment
    case SIMCORE_MEASURE_OVERLAP: return .overlap
    default: throw .invalidArgument("measure must be one of SIMCORE_MEASURE_* (1...3), not \(value)")
    }
}

/// Shingles one checked text.
private func shingleSet(_ options: COptions, _ text: UnsafePointer<UInt8>?, _ length: Int, name: String) throws(CError) -> ShingleSet {
    let bytes = try CTexts.buffer(text, length: length, name: name, replacesInvalidUTF8: options.replacesInvalidUTF8)
    return Shingler(options: options.shingling).shingles(ofUTF8: bytes)
}

/// `simcore_shingle_set_new`.
@c public func simcore_shingle_set_new(
    _ options: UnsafePointer<simcore_options>?, _ text: UnsafePointer<UInt8>?, _ length: Int,
    _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let out = try required(out, "out")
        let set = try shingleSet(try COptions(options), text, length, name: "text")
        out.pointee = ShingleSetHandle(set).retained()
    }
}

/// `simcore_shingle_set_free`.
@c public func simcore_shingle_set_free(_ set: OpaquePointer?) {
    guard let set else { return }
    // SAFETY: as ShingleSetHandle.from; this releases the reference simcore_shingle_set_new retained.
    Unmanaged<ShingleSetHandle>.fromOpaque(UnsafeRawPointer(set)).release()
}

/// `simcore_shingle_set_count`.
@c public func simcore_shingle_set_count(_ set: OpaquePointer?) -> Int {
    set.map { ShingleSetHandle.from($0).set.count } ?? 0
}

/// `simcore_shingle_set_hashes`.
@c public func simcore_shingle_set_hashes(_ set: OpaquePointer?) -> UnsafePointer<UInt64>? {
    guard let set, let hashes = ShingleSetHandle.from(set).hashes else { return nil }
    return UnsafePointer(hashes)
}

/// `simcore_shingle_set_similarity`.
@c public func simcore_shingle_set_similarity(
    _ a: OpaquePointer?, _ b: OpaquePointer?, _ measure: UInt32, _ out: UnsafeMutablePointer<Double>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let a = ShingleSetHandle.from(try required(a, "a"))
        let b = ShingleSetHandle.from(try required(b, "b"))
        let out = try required(out, "out")
        out.pointee = try similarityMeasure(measure).value(a.set, b.set)
    }
}

/// `simcore_similarity`.
@c public func simcore_similarity(
    _ options: UnsafePointer<simcore_options>?, _ measure: UInt32, _ a: UnsafePointer<UInt8>?, _ aLength: Int,
    _ b: UnsafePointer<UInt8>?, _ bLength: Int, _ out: UnsafeMutablePointer<Double>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let options = try COptions(options)
        let measure = try similarityMeasure(measure)
        let out = try required(out, "out")
        let first = try shingleSet(options, a, aLength, name: "a")
        let second = try shingleSet(options, b, bLength, name: "b")
        out.pointee = measure.value(first, second)
    }
}
