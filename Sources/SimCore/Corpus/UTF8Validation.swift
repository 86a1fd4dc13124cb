/// The offset of the first byte that does not start a valid UTF-8 sequence, or `nil` if all of
/// `bytes` is valid UTF-8. ASCII is checked eight bytes at a time.
func _firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
    let count = bytes.count
    var index = 0
    while index < count {
        if index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
        }
        if base[index] < 0x80 {
            index += 1
            continue
        }
        let (scalar, length) = _decodeUTF8(base, index, count)
        if scalar == 0xFFFD && length == 1 {
            return index
        }
        index += length
    }
    return nil
}
