/// The 64-bit key of one band of a signature: the function every LSH index, `simdedup bands`
/// and the Spark job share, so band keys computed anywhere can be joined.
///
/// Definition: the XXH3-64 hash of the band's r values written as little-endian `UInt64`s
/// (8·r bytes), with the band's index as the seed. Band `j` of a signature covers values
/// `j·r ..< (j+1)·r`. Identical on every machine, byte order and build.
///
/// ```swift
/// let key = BandKey.hash([1, 2, 3, 4], band: 0)   // XXH3-64 of 32 bytes 01 00 … 04 00 …, seed 0
/// ```
public enum BandKey {
    /// The key of one band.
    ///
    /// - Parameters:
    ///   - rows: The band's r signature values.
    ///   - band: The band's index, the hash seed.
    /// - Returns: The band key.
    /// - Complexity: O(r).
    @inlinable
    public static func hash(_ rows: UnsafeBufferPointer<UInt64>, band: Int) -> UInt64 {
        _bandKey(rows.baseAddress, rows.count, UInt64(truncatingIfNeeded: band))
    }

    /// The key of one band given as an array.
    ///
    /// - Parameters:
    ///   - rows: The band's r signature values.
    ///   - band: The band's index, the hash seed.
    /// - Returns: The band key.
    public static func hash(_ rows: [UInt64], band: Int) -> UInt64 {
        rows.withUnsafeBufferPointer { hash($0, band: band) }
    }

    /// Every band key of one signature.
    ///
    /// - Parameters:
    ///   - signature: At least b·r values; values past b·r are ignored.
    ///   - banding: b and r.
    /// - Returns: b keys, band 0 first.
    /// - Complexity: O(b·r).
    public static func keys(of signature: [UInt64], banding: BandingParameters) -> [UInt64] {
        precondition(signature.count >= banding.signatureValuesUsed, "signature shorter than b·r")
        return [UInt64](unsafeUninitializedCapacity: banding.bandCount) { keys, initialized in
            signature.withUnsafeBufferPointer { banding.bandKeys(of: $0.baseAddress!, into: keys.baseAddress!) }
            initialized = banding.bandCount
        }
    }
}

extension BandingParameters {
    /// Writes the b band keys of one signature: ``BandKey`` of each band's r values, band 0
    /// first.
    ///
    /// - Parameters:
    ///   - signature: At least b·r values.
    ///   - keys: Room for b keys.
    @inline(__always)
    func bandKeys(of signature: UnsafePointer<UInt64>, into keys: UnsafeMutablePointer<UInt64>) {
        let rows = rowsPerBand
        for band in 0..<bandCount {
            keys[band] = _bandKey(signature + band * rows, rows, UInt64(band))
        }
    }
}

/// The band-key kernel: XXH3-64 over the little-endian bytes of `count` values.
@usableFromInline
func _bandKey(_ values: UnsafePointer<UInt64>?, _ count: Int, _ seed: UInt64) -> UInt64 {
    #if _endian(little)
    return _xxh3_64(UnsafeRawPointer(values), count * 8, seed)
    #else
    var bytes = [UInt64](repeating: 0, count: count)
    for i in 0..<count { bytes[i] = values![i].littleEndian }
    return bytes.withUnsafeBytes { _xxh3_64($0.baseAddress, $0.count, seed) }
    #endif
}
