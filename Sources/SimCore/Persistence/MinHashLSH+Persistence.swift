extension MinHashLSH {
    /// The file format version ``save(to:)`` writes (2); ``init(contentsOf:expectedSignatureLength:expectedBanding:)``
    /// reads it and version 1.
    public static let fileFormatVersion: UInt32 = 2
    static let fileMagic: [UInt8] = Array("SCMHLSH\u{0}".utf8)

    /// Saves the index to a versioned binary file, atomically.
    ///
    /// Format (little-endian): magic `SCMHLSH\0`, version (u32), reserved (u32), payload
    /// length (u64); payload: k, b, r, document count, removed count (u64 each), the removal
    /// bits, then per band its postings sorted by (band key, document): the key bits (`u64`,
    /// 64), the keys (`u64` array) and the documents (`u32` array); then the XXH3-64 (seed 0)
    /// of every preceding byte (about 12 bytes per band per document). The file is written to a
    /// temporary file in the same directory, flushed, and renamed over `path`, so readers see
    /// the old file or the new one, never half of one.
    ///
    /// Version 1 files, which hold each band as a hash table (key count, slot keys, slot heads,
    /// entry documents, entry links), still load.
    ///
    /// ```swift
    /// try index.save(to: "/var/lib/app/minhash.lsh")
    /// let again = try MinHashLSH(contentsOf: "/var/lib/app/minhash.lsh")
    /// ```
    ///
    /// - Parameter path: The file to create or replace.
    /// - Throws: ``IndexFileError/io(path:reason:)``.
    /// - Complexity: O(size of the index).
    public func save(to path: String) throws {
        try _IndexFile.write(to: path, magic: Self.fileMagic, version: Self.fileFormatVersion) { writePayload(to: &$0, version: Self.fileFormatVersion) }
    }

    /// Saves the index in format version 1, as builds before version 2 wrote it (each band a
    /// chained hash table), so that the tests and the damage matrix keep covering files users
    /// may still hold. Not API: ``save(to:)`` writes the current version.
    ///
    /// - Parameter path: The file to create or replace.
    /// - Throws: ``IndexFileError/io(path:reason:)``.
    package func _saveVersion1(to path: String) throws {
        try _IndexFile.write(to: path, magic: Self.fileMagic, version: 1) { writePayload(to: &$0, version: 1) }
    }

    /// Writes the payload of format `version` (2: sorted postings; 1: chained hash tables).
    private func writePayload(to writer: inout _BinaryWriter, version: UInt32) {
        for value in [signatureLength, banding.bandCount, banding.rowsPerBand, count, removedCount] {
            writer.write(UInt64(value))
        }
        writer.write(array: removedBits)
        for table in tables {
            if version >= 2 { table.write(to: &writer) } else { _PostingTable(table).write(to: &writer) }
        }
    }

    /// Loads an index saved by ``save(to:)``, refusing anything damaged or unexpected.
    ///
    /// The file is memory-mapped, its checksum checked over the mapping, and the posting
    /// arrays copied out in bulk (no per-entry parsing beyond bounds checks).
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - expectedSignatureLength: If given, the file's k must equal it.
    ///   - expectedBanding: If given, the file's b and r must equal it.
    /// - Throws: ``IndexFileError``: unreadable, wrong magic, truncated, checksum mismatch,
    ///   unsupported version, parameter mismatch or inconsistent contents.
    /// - Complexity: O(file size).
    public init(
        contentsOf path: String, expectedSignatureLength: Int? = nil, expectedBanding: BandingParameters? = nil
    ) throws {
        try self.init(source: .path(path), expectedSignatureLength: expectedSignatureLength, expectedBanding: expectedBanding)
    }

    /// Loads an index from a file or from its bytes in memory, as
    /// ``init(contentsOf:expectedSignatureLength:expectedBanding:)`` does.
    ///
    /// - Parameters:
    ///   - source: The file, or its bytes.
    ///   - expectedSignatureLength: If given, the file's k must equal it.
    ///   - expectedBanding: If given, the file's b and r must equal it.
    /// - Throws: ``IndexFileError``.
    package init(
        source: IndexFileSource, expectedSignatureLength: Int? = nil, expectedBanding: BandingParameters? = nil
    ) throws {
        self = try _IndexFile.read(from: source, magic: Self.fileMagic, versions: 1...Self.fileFormatVersion) { payload, version in
            var reader = _BinaryReader(bytes: payload)
            // Every field is range-checked before it becomes an Int: the checksum proves the
            // file unchanged, not well-formed (XXH3 is no MAC; an edited file can carry anything).
            let k = try reader.readInt(in: 1...(1 << 20), "signature length")
            let bands = try reader.readInt(in: 1...k, "band count")
            let rows = try reader.readInt(in: 1...k, "rows per band")
            guard bands * rows <= k else { throw IndexFileError.corrupt("banding b=\(bands) r=\(rows) needs more than k=\(k) values") }
            let count = try reader.readInt(in: 0...(Int(Int32.max) - 1), "document count")
            let removed = try reader.readInt(in: 0...count, "removed count")
            let banding = BandingParameters(bandCount: bands, rowsPerBand: rows)
            if let expected = expectedSignatureLength, expected != k {
                throw IndexFileError.parameterMismatch("signature length \(k), expected \(expected)")
            }
            if let expected = expectedBanding, expected != banding {
                throw IndexFileError.parameterMismatch("\(banding), expected \(expected)")
            }
            let removedBits = try reader.readArray(UInt64.self, limit: count / 64 + 1)
            // Tables are read before the index is made, so that a band count the file cannot
            // hold fails on the first missing table instead of allocating empty ones. Version 1
            // files hold chained hash tables, converted as they are read.
            var tables: [_PostingShard] = []
            for _ in 0..<bands {
                if version >= 2 {
                    tables.append(try _PostingShard(reading: &reader, keyBits: 64, documentLimit: count))
                } else {
                    let table = try _PostingTable(reading: &reader, documentLimit: count)
                    tables.append(_PostingShard(converting: table, keyBits: 64, documentLimit: count))
                }
            }
            guard reader.offset == payload.count else { throw IndexFileError.corrupt("unexpected bytes after the tables") }
            var index = MinHashLSH(signatureLength: k, banding: banding)
            index.removedBits = removedBits
            index.tables = tables
            index.count = count
            index.removedCount = removed
            // The postings were checked for order and range as they were read.
            try index._checkInvariants(walkingPostings: false)
            return index
        }
    }
}
