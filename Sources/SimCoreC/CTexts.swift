import CSimCore
import SimCoreInternals

/// Texts and ids handed over by C: checked (pointers, lengths, emptiness, UTF-8) and copied into Swift
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

    /// A batch given as `count` pointers and `count` lengths, checked and copied.
    ///
    /// - Parameters:
    ///   - texts: `count` pointers (one may be NULL where its length is 0).
    ///   - lengths: `count` byte counts.
    ///   - count: The number of items.
    ///   - name: What an item is called in messages ("document", "id").
    ///   - allowsEmpty: Whether empty items are accepted.
    ///   - replacesInvalidUTF8: Whether invalid UTF-8 is let through.
    /// - Returns: Each item's bytes.
    /// - Throws: ``CError`` naming the first bad item by its index.
    static func batch(
        texts: UnsafePointer<UnsafePointer<UInt8>?>?, lengths: UnsafePointer<Int>?, count: Int, name: String,
        allowsEmpty: Bool = false, replacesInvalidUTF8: Bool = false
    ) throws(CError) -> [[UInt8]] {
        guard count > 0 else { return [] }
        guard count < Int(Int32.max) else { throw .invalidArgument("count \(count) is too large") }
        let texts = try required(texts, name == "document" ? "texts" : "ids")
        let lengths = try required(lengths, name == "document" ? "lengths" : "id_lengths")
        var items: [[UInt8]] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            guard lengths[index] >= 0 else { throw .invalidArgument("\(name) \(index) has length \(lengths[index])") }
            let bytes = try buffer(
                texts[index], length: lengths[index], name: "\(name) \(index)", allowsEmpty: allowsEmpty,
                replacesInvalidUTF8: replacesInvalidUTF8)
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
