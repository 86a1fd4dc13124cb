import CSimCore
import SimCoreInternals

/// Texts and ids handed over by C: checked (offsets, emptiness, UTF-8) and copied into Swift
/// arrays before any SimCore call sees them.
enum CTexts {
    /// One text with an explicit length, checked.
    ///
    /// - Parameters:
    ///   - pointer: The bytes (may be NULL only when `length` is 0).
    ///   - length: The number of bytes.
    ///   - name: The argument's name, for messages.
    ///   - allowsEmpty: Whether zero bytes are accepted (ids) or refused (texts).
    ///   - replacesInvalidUTF8: Whether invalid UTF-8 is let through for normalization to replace.
    /// - Returns: The bytes as a buffer (empty for length 0).
    /// - Throws: ``CError`` for a NULL pointer, an empty text or invalid UTF-8.
    static func buffer(
        _ pointer: UnsafePointer<UInt8>?, length: Int, name: String, allowsEmpty: Bool = false,
        replacesInvalidUTF8: Bool = false
    ) throws(CError) -> UnsafeRawBufferPointer {
        guard length > 0 else {
            guard allowsEmpty else { throw CError(status: SIMCORE_E_EMPTY_TEXT, message: "\(name) is empty (0 bytes)") }
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        guard length < Int(Int32.max) else { throw .invalidArgument("\(name) has \(length) bytes; the limit is 2 GiB") }
        let bytes = UnsafeRawBufferPointer(start: try required(pointer, name), count: length)
        if !replacesInvalidUTF8, let offset = UTF8Scalars.firstInvalidOffset(bytes) {
            throw CError(status: SIMCORE_E_INVALID_UTF8, message: "\(name) is not valid UTF-8 (byte \(offset))")
        }
        return bytes
    }

    /// A batch given as one buffer and `count + 1` offsets, checked and copied.
    ///
    /// - Parameters:
    ///   - data: The concatenated bytes.
    ///   - offsets: `count + 1` nondecreasing offsets into `data`.
    ///   - count: The number of items.
    ///   - name: What an item is called in messages ("document", "id").
    ///   - allowsEmpty: Whether empty items are accepted.
    ///   - replacesInvalidUTF8: Whether invalid UTF-8 is let through.
    /// - Returns: Each item's bytes.
    /// - Throws: ``CError`` naming the first bad item by its index.
    static func batch(
        data: UnsafePointer<UInt8>?, offsets: UnsafePointer<Int>?, count: Int, name: String,
        allowsEmpty: Bool = false, replacesInvalidUTF8: Bool = false
    ) throws(CError) -> [[UInt8]] {
        guard count > 0 else { return [] }
        guard count < Int(Int32.max) else { throw .invalidArgument("count \(count) is too large") }
        let offsets = try required(offsets, "\(name) offsets")
        var items: [[UInt8]] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            let start = offsets[index]
            let end = offsets[index + 1]
            guard start >= 0, end >= start else {
                throw .invalidArgument("\(name) offsets must be nondecreasing: offsets[\(index)] = \(start), offsets[\(index + 1)] = \(end)")
            }
            let bytes = try buffer(
                end > start ? try required(data, "\(name) data") + start : nil, length: end - start,
                name: "\(name) \(index)", allowsEmpty: allowsEmpty, replacesInvalidUTF8: replacesInvalidUTF8)
            items.append(Array(bytes))
        }
        return items
    }

    /// Copies `values` into a new library-allocated buffer (released with `simcore_free`).
    ///
    /// - Parameter values: The values.
    /// - Returns: The buffer, or `nil` when `values` is empty.
    static func allocatedCopy<T>(of values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let buffer = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        // SAFETY: the buffer was just allocated for exactly values.count elements; T is a
        // trivial C type here (integers and C structs), released by simcore_free.
        _ = UnsafeMutableBufferPointer(start: buffer, count: values.count).initialize(from: values)
        return buffer
    }
}
