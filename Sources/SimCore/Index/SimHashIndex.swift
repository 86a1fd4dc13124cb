/// Finds 64-bit SimHash fingerprints within Hamming distance d of a query, with permuted tables
/// (Manku, Jain and Das Sarma, "Detecting near-duplicates for web crawling", WWW 2007).
///
/// **Method.** The 64 bits are cut into B contiguous blocks (sizes differ by at most one bit).
/// If two fingerprints differ in at most d bits, at least B − d blocks agree exactly
/// (pigeonhole). One table per choice of B − d blocks, C(B, d) tables in all, files each
/// fingerprint under those blocks' bits; a query looks up its own bits in every table and
/// checks each candidate's distance (popcount of the XOR). Masking the kept blocks is the
/// paper's "permute the blocks to the front and match the prefix", without moving bits.
/// Recall is exact: every fingerprint within d is found. More blocks mean more tables and
/// longer keys (fewer false candidates); the default B = d + 2 keys on about 2·64/(d+2) bits.
///
/// ```swift
/// var index = SimHashIndex(maximumDistance: 3)
/// index.insert(0b1011)
/// index.neighbors(of: 0b0011)   // [(document: 0, distance: 1)]
/// ```
public struct SimHashIndex: Sendable {
    /// d, the largest Hamming distance a query returns.
    public let maximumDistance: Int
    /// B, the number of blocks.
    public let blockCount: Int
    /// One mask per table: the bits of the blocks it keys on.
    public let tableMasks: [UInt64]
    var tables: [_PostingTable]
    var fingerprints: [UInt64] = []
    var removedBits: [UInt64] = []

    /// An empty index.
    ///
    /// - Parameters:
    ///   - maximumDistance: d, 0...31 (default 3, Manku et al.'s choice for 64 bits).
    ///   - blockCount: B, from d + 1 to 64, with C(B, d) ≤ 4,096 tables (default d + 2).
    public init(maximumDistance: Int = 3, blockCount: Int? = nil) {
        let blocks = blockCount ?? maximumDistance + 2
        precondition(maximumDistance >= 0 && maximumDistance < 32, "distance must be 0...31")
        precondition(blocks > maximumDistance && blocks <= 64, "blocks must be in d+1...64")
        self.maximumDistance = maximumDistance
        self.blockCount = blocks
        var blockMasks: [UInt64] = []
        var start = 0
        for block in 0..<blocks {
            let width = 64 / blocks + (block < 64 % blocks ? 1 : 0)
            blockMasks.append((width == 64 ? ~0 : ((1 << UInt64(width)) - 1)) << UInt64(start))
            start += width
        }
        var masks: [UInt64] = []
        func choose(_ from: Int, _ left: Int, _ mask: UInt64) {
            if left == 0 {
                masks.append(mask)
                return
            }
            guard blocks - from >= left else { return }
            choose(from + 1, left - 1, mask | blockMasks[from])
            choose(from + 1, left, mask)
        }
        choose(0, blocks - maximumDistance, 0)
        precondition(masks.count <= 4_096, "too many tables: C(B, d) must be at most 4096")
        tableMasks = masks
        tables = masks.map { _ in _PostingTable() }
    }

    /// The number of fingerprints inserted, removed ones included.
    public var count: Int { fingerprints.count }

    /// Bytes held by the tables and fingerprints.
    public var byteCount: Int { tables.reduce(0) { $0 + $1.byteCount } + fingerprints.count * 8 + removedBits.count * 8 }

    @inline(__always)
    func key(_ fingerprint: UInt64, table: Int) -> UInt64 {
        _mix64((fingerprint & tableMasks[table]) ^ UInt64(table) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Files a fingerprint; returns its document number (0, 1, 2, … in insertion order).
    ///
    /// - Complexity: O(C(B, d)) amortized.
    @discardableResult
    public mutating func insert(_ fingerprint: UInt64) -> Int {
        precondition(fingerprints.count < Int(Int32.max), "too many documents")
        let document = fingerprints.count
        fingerprints.append(fingerprint)
        for table in tables.indices {
            tables[table].insert(key: key(fingerprint, table: table), document: Int32(document))
        }
        return document
    }

    /// Files a 64-bit ``SimHashFingerprint``.
    @discardableResult
    public mutating func insert(_ fingerprint: SimHashFingerprint) -> Int {
        precondition(fingerprint.bitCount == 64, "the index holds 64-bit fingerprints")
        return insert(fingerprint.low)
    }

    /// Marks `document` removed; returns whether it was present.
    @discardableResult
    public mutating func remove(_ document: Int) -> Bool {
        guard document >= 0 && document < count && !_bit(removedBits, document) else { return false }
        _setBit(&removedBits, document)
        return true
    }

    /// Every live fingerprint within ``maximumDistance`` of `fingerprint`, by document number.
    ///
    /// - Parameter fingerprint: The query.
    /// - Returns: Documents and their distances, in increasing document order; exact (no
    ///   fingerprint within d is missed, none beyond d is returned).
    /// - Complexity: O(C(B, d) + candidates).
    public func neighbors(of fingerprint: UInt64) -> [(document: Int, distance: Int)] {
        var raw: [Int32] = []
        for table in tables.indices {
            tables[table].forEachDocument(withKey: key(fingerprint, table: table)) { document in
                if (fingerprints[Int(document)] ^ fingerprint).nonzeroBitCount <= maximumDistance { raw.append(document) }
            }
        }
        var found: [(document: Int, distance: Int)] = []
        _forEachDistinct(&raw) { document in
            if !_bit(removedBits, document) {
                found.append((document, (fingerprints[document] ^ fingerprint).nonzeroBitCount))
            }
        }
        return found
    }
}
