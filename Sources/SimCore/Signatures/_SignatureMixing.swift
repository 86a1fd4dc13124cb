/// The SplitMix64 / MurmurHash3 finalizer: a bijective 64-bit mix that turns a seeded XOR of a
/// shingle hash into an independent-looking hash (one "permutation" of the 64-bit universe).
///
/// Fixed arithmetic, so identical on every machine; the schemes derive the XOR keys from
/// ``SplitMix64``.
@inline(__always)
func _mix64(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// `⌊value · range / 2⁶⁴⌋`: maps a uniform 64-bit value onto `0..<range` without division.
@inline(__always)
func _scaled(_ value: UInt64, to range: Int) -> Int {
    Int(truncatingIfNeeded: value.multipliedFullWidth(by: UInt64(truncatingIfNeeded: range)).high)
}
