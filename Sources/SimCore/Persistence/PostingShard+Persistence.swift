extension _PostingShard {
    /// Appends the shard's postings to `writer`: the key bits kept (`u64`), then, sorted by
    /// (prefix, document), the prefixes (an array of `u32` when they have at most 32 bits, else
    /// of `u64`) and the documents (an array of `u32`). Both layers are written as one sorted
    /// run, so a loaded shard is all compact.
    func write(to writer: inout _BinaryWriter) {
        let count = entryCount
        guard !writer.isCounting else {
            // The counting pass of a streamed save: the size, without sorting the entries.
            writer.count(bytes: 8 + 8 + count * (keyBits <= 32 ? 4 : 8) + 8 + count * 4)
            return
        }
        // Two merged walks of the layers, prefixes then documents, with no array of the entries.
        var written = 0
        writer.write(UInt64(keyBits))
        writer.write(UInt64(count))
        if keyBits <= 32 {
            writer.append(UInt32.self) { put in forEachSortedEntry { prefix, _ in put(UInt32(truncatingIfNeeded: prefix)) } }
        } else {
            writer.append(UInt64.self) { put in forEachSortedEntry { prefix, _ in put(prefix) } }
        }
        writer.write(UInt64(count))
        writer.append(UInt32.self) { put in
            forEachSortedEntry { _, document in
                put(document)
                written += 1
            }
        }
        precondition(written == count, "every entry, once")
    }

    /// Reads a shard written by ``write(to:)``, refusing anything a query or a later merge
    /// could not rely on: other key bits than the index's, prefixes of more than that many bits,
    /// entries out of (prefix, document) order, documents at or past `documentLimit`.
    ///
    /// - Parameters:
    ///   - keyBits: The key bits the index files.
    ///   - documentLimit: Document numbers must be below this (the index's document count).
    /// - Throws: ``IndexFileError/corrupt(_:)``.
    init(reading reader: inout _BinaryReader, keyBits: Int, documentLimit: Int) throws {
        let fileKeyBits = try reader.readInt(in: 1...64, "posting key bits")
        guard fileKeyBits == keyBits else { throw IndexFileError.corrupt("postings of \(fileKeyBits)-bit keys, expected \(keyBits)") }
        let limit = Int(Int32.max) - 1
        // Read in place (a band's postings are 80–120 MB at ten million documents).
        let narrow = keyBits <= 32 ? try reader.readValues(UInt32.self, limit: limit) : nil
        let wide = keyBits <= 32 ? nil : try reader.readValues(UInt64.self, limit: limit)
        let prefixCount = narrow?.count ?? wide!.count
        func prefix(_ i: Int) -> UInt64 { narrow.map { UInt64($0[i]) } ?? wide![i] }
        let documents = try reader.readValues(UInt32.self, limit: limit)
        guard documents.count == prefixCount else { throw IndexFileError.corrupt("posting prefixes and documents disagree") }
        var previous = (prefix: UInt64(0), document: UInt32(0))
        for i in 0..<prefixCount {
            let entry = (prefix: prefix(i), document: documents[i])
            guard Int(entry.document) < documentLimit, keyBits == 64 || entry.prefix >> UInt64(keyBits) == 0 else {
                throw IndexFileError.corrupt("posting entry out of range")
            }
            guard i == 0 || previous <= entry else { throw IndexFileError.corrupt("postings out of order") }
            previous = entry
        }
        // Checked above: every append below meets the writer's preconditions. The bytes are read
        // again from the mapped file, so the order is asserted again (one comparison an entry):
        // a file rewritten in place meanwhile must not build a layer out of order.
        self.init(frozen: _FrozenPostings(keyBits: keyBits, count: prefixCount, documentLimit: Swift.max(1, documentLimit)) { writer in
            var previous = (prefix: UInt64(0), document: UInt32(0))
            for i in 0..<prefixCount {
                let entry = (prefix: prefix(i), document: documents[i])
                precondition(previous <= entry, "postings changed while they were read")
                writer.append(prefix: entry.prefix, document: entry.document)
                previous = entry
            }
        })
    }

    /// The shard holding the postings of a hash table read from an older file (whose keys are
    /// whole), each key cut to its top `keyBits` bits.
    ///
    /// - Parameters:
    ///   - table: A table whose documents are below `documentLimit` (its reader checks that).
    ///   - keyBits: The key bits the index files.
    ///   - documentLimit: The index's document count.
    init(converting table: _PostingTable, keyBits: Int, documentLimit: Int) {
        self.init(keyBits: keyBits)
        var entries: [_PostingEntry] = []
        entries.reserveCapacity(table.entryCount)
        table.forEachList { key, entry in
            entries.append(_PostingEntry(prefix: prefix(of: key), document: UInt32(table.entryDocuments[entry])))
        }
        _sortByPrefix(&entries, keyBits: keyBits)
        self.init(frozen: _FrozenPostings(keyBits: keyBits, count: entries.count, documentLimit: Swift.max(1, documentLimit)) { writer in
            for entry in entries { writer.append(prefix: entry.prefix, document: entry.document) }
        })
    }
}

extension _PostingShard {
    /// Checks what queries and merges rely on, as the damage tests do (a loader checks the same
    /// of each entry as it reads it, ``init(reading:keyBits:documentLimit:)``): every
    /// entry names a document below `documentLimit`, no prefix has more than ``keyBits`` bits,
    /// and the entries, both layers together, are in (prefix, document) order.
    ///
    /// - Parameter documentLimit: Document numbers must be below this.
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    /// - Complexity: O(entries).
    func _checkInvariants(documentLimit: Int) throws(IndexFileError) {
        guard (1...64).contains(keyBits) else { throw .corrupt("posting key bits \(keyBits)") }
        // Walked in order with no array of the entries; the first violation is kept.
        var failure: IndexFileError?
        var previous: (prefix: UInt64, document: UInt32)?
        forEachSortedEntry { prefix, document in
            guard failure == nil else { return }
            if Int(document) >= documentLimit || keyBits != 64 && prefix >> UInt64(keyBits) != 0 {
                failure = .corrupt("posting entry out of range")
            } else if let previous, previous > (prefix, document) {
                failure = .corrupt("postings out of order")
            }
            previous = (prefix, document)
        }
        if let failure { throw failure }
    }
}
