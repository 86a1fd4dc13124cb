import Foundation
import SimCoreFixtures
import Testing
@testable import SimCore

/// The damage matrix of every on-disk format (`IndexFileFormat.all`): each bit flipped, each
/// truncation, then each bit flipped with the checksum recomputed so that the loader's own
/// checks are reached. A damaged file is refused with `IndexFileError`, or (when the checksum
/// was recomputed) loads into a structure that passes its invariant check, answers queries,
/// takes an insert and survives a save and reload. Never a crash, never another error.
@Suite("index file damage matrix")
struct IndexFileDamageTests {
    /// A fresh directory with the sample file of `format` saved in it.
    static func sample(_ format: IndexFileFormat) throws -> (directory: String, bytes: [UInt8]) {
        let directory = try FuzzCheck.makeScratchDirectory("simcore-damage")
        let path = directory + "/sample"
        try format.save(path)
        return (directory, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Loads `bytes` as `format`, from memory (the loader's every check, no file written and
    /// mapped per variant: the sample itself is loaded from its file): `nil` when refused with
    /// an `IndexFileError`, the loaded file otherwise; any other error fails the test.
    static func load(_ bytes: [UInt8], _ format: IndexFileFormat) throws -> LoadedIndexFile? {
        do {
            return try format.load(bytes: bytes, name: "damaged")
        } catch is IndexFileError {
            return nil
        }
    }

    static let formatNames = IndexFileFormat.all.map(\.name)

    static func format(_ name: String) -> IndexFileFormat { IndexFileFormat.all.first { $0.name == name }! }

    @Test("the sample of each format loads, passes its invariants and answers queries", arguments: formatNames)
    func sampleLoads(name: String) throws {
        let format = Self.format(name)
        let (directory, bytes) = try Self.sample(format)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loaded = try format.load(directory + "/sample")
        try loaded.checkInvariants()
        try loaded.exercise(directory + "/resaved")
        #expect(bytes.count < 8_192, "\(name): a sample of \(bytes.count) bytes makes the matrix slow")
    }

    @Test("every truncation is refused", arguments: formatNames)
    func truncations(name: String) throws {
        let format = Self.format(name)
        let (directory, bytes) = try Self.sample(format)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for length in 0..<bytes.count {
            #expect(try Self.load(Array(bytes[0..<length]), format) == nil, "\(name): cut at \(length) of \(bytes.count)")
        }
    }

    @Test("every bit flip is refused", arguments: formatNames)
    func bitFlips(name: String) throws {
        let format = Self.format(name)
        let (directory, bytes) = try Self.sample(format)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Every bit of the principal formats; one bit of every byte of the others (the envelope
        // and its checksum are one piece of code for all of them).
        for bit in Self.resealedBits(of: name, byteCount: bytes.count) {
            var damaged = bytes
            damaged[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(try Self.load(damaged, format) == nil, "\(name): bit \(bit) flipped")
        }
    }

    @Test("every bit flip with the checksum recomputed is refused, or loads whole", arguments: formatNames)
    func resealedBitFlips(name: String) throws {
        let format = Self.format(name)
        let (directory, bytes) = try Self.sample(format)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var refused = 0
        var loaded = 0
        // The checksum's own 64 bits are recomputed away; every other bit is flipped. A resealed
        // file reaches the whole loader (and a loaded one is exercised), so a debug build takes
        // about a millisecond each: the principal formats flip every bit, the others one bit of
        // every byte (a different bit in each), and SIMCORE_FULL_DAMAGE=1 flips every bit of
        // every format (the fuzz target covers the rest, `.ci/sanitizers`).
        for bit in Self.resealedBits(of: name, byteCount: bytes.count - 8) {
            var damaged = bytes
            damaged[bit / 8] ^= 1 << UInt8(bit % 8)
            guard let file = try Self.load(IndexFileFormat.resealed(damaged), format) else {
                refused += 1
                continue
            }
            loaded += 1
            do {
                try file.checkInvariants()
                // Queries and an insert on every loaded file; the save and reload (an atomic
                // write, slow in a debug build) on one in 16 (the fuzz target does it on each).
                try file.exercise(loaded % 16 == 1 ? directory + "/resaved" : nil)
            } catch {
                Issue.record("\(name): bit \(bit) flipped and resealed loads, then fails: \(error)")
            }
        }
        // Both outcomes occur: flips in the header, counts and links are refused; flips in
        // signature values, keys and id bytes load as other, valid contents.
        #expect(refused > 0 && loaded > 0, "\(name): \(refused) refused, \(loaded) loaded")
    }

    /// Formats whose every bit the bit-flip matrices flip in a plain `swift test`: the current
    /// version of each file kind. Older versions go through the same loader but for the version
    /// branches, so one bit of every byte reaches those (`SIMCORE_FULL_DAMAGE=1` flips them all).
    static let everyBitFormats: Set<String> = ["MinHashLSH", "Deduplicator (jaccard, exact)"]

    /// The bits the bit-flip matrices flip in the first `byteCount` bytes of `name`'s sample.
    static func resealedBits(of name: String, byteCount: Int) -> [Int] {
        if everyBitFormats.contains(name) || ProcessInfo.processInfo.environment["SIMCORE_FULL_DAMAGE"] == "1" {
            return Array(0..<byteCount * 8)
        }
        return (0..<byteCount).map { $0 * 8 + $0 % 8 }
    }

    @Test("a file of a newer format version is refused with a message that says so", arguments: formatNames)
    func newerVersion(name: String) throws {
        let format = Self.format(name)
        let (directory, bytes) = try Self.sample(format)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The newest version this build reads (a format-1 sample's reader reads 2 as well).
        let version = name.hasPrefix("Deduplicator") ? Deduplicator<OnePermutationMinHash>.fileFormatVersion : MinHashLSH.fileFormatVersion
        let path = directory + "/newer"
        try Data(IndexFileFormat.withVersion(bytes, version + 1)).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: IndexFileError.self) { _ = try format.load(path) }
        #expect(error == .unsupportedVersion(found: version + 1, supported: version))
        #expect(error?.description.contains("newer SimCore") == true, "\(String(describing: error))")
    }

    @Test("defect 2: the high bit of every 64-bit count or parameter is refused, not trapped on", arguments: formatNames)
    func highBits(name: String) throws {
        // Every aligned 8-byte field of the payload gets its top bit set in turn, the checksum
        // recomputed (the bit-flip matrix covers every bit; this names the reproducer).
        let format = Self.format(name)
        let (directory, bytes) = try Self.sample(format)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for offset in stride(from: IndexFileFormat.headerSize + 7, to: bytes.count - 8, by: 8) {
            var damaged = bytes
            damaged[offset] |= 0x80
            if let file = try Self.load(IndexFileFormat.resealed(damaged), format) {
                try file.checkInvariants()
            }
        }
    }
}

/// The invariant checks themselves: built structures pass, each kind of damage is named.
@Suite("index invariant checks")
struct IndexInvariantTests {
    static func index() -> MinHashLSH {
        var index = MinHashLSH(signatureLength: 8, banding: BandingParameters(bandCount: 2, rowsPerBand: 4))
        var generator = SplitMix64(seed: 4)
        for _ in 0..<200 { index.insert((0..<8).map { _ in generator.next() % 5 }) }
        index.remove(7)
        return index
    }

    @Test("indexes and engines built by inserts and removals pass")
    func builtPass() throws {
        try Self.index()._checkInvariants()
        for format in IndexFileFormat.all where format.name.hasPrefix("Deduplicator") {
            let directory = try FuzzCheck.makeScratchDirectory("simcore-invariants")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try format.save(directory + "/state")
            try format.load(directory + "/state").checkInvariants()
        }
        var containment = ContainmentIndex(signatureLength: 16)
        var generator = SplitMix64(seed: 8)
        for size in 1...100 { containment.insert((0..<16).map { _ in generator.next() % 7 }, size: size) }
        containment.remove(3)
        try containment._checkInvariants()
    }

    @Test("each kind of damage to a posting table (the chained table of version-1 files) is named")
    func postingDamage() throws {
        // 24 documents under 6 keys: lists longer than one entry, as banding makes them.
        var table = _PostingTable()
        var generator = SplitMix64(seed: 11)
        let keys = (0..<6).map { _ in generator.next() }
        for document in 0..<24 { table.insert(key: keys[Int(generator.next() % 6)], document: Int32(document)) }
        func expectCorrupt(_ reason: String, _ damage: (inout _PostingTableParts) -> Void) {
            var parts = _PostingTableParts(table)
            damage(&parts)
            let error = #expect(throws: IndexFileError.self, "\(reason)") { _ = try parts.table() }
            #expect(error?.description.contains(reason) == true, "\(String(describing: error)) should say \(reason)")
        }
        let occupied = table.slotHeads.firstIndex { $0 >= 0 }!
        expectCorrupt("posting entry out of range") { $0.entryDocuments[0] = 200 }
        expectCorrupt("posting entry out of range") { $0.entryNext[0] = Int32($0.entryNext.count) }
        expectCorrupt("posting lists cycle or share entries") { $0.entryNext[Int($0.slotHeads[occupied])] = $0.slotHeads[occupied] }
        expectCorrupt("posting key count") { $0.keyCount += 1 }
        expectCorrupt("posting table shape") { $0.slotHeads.removeLast() }
        expectCorrupt("posting key out of its probe sequence") { parts in
            // A key whose home is the slot after it: probing from there never comes back to it
            // without crossing an empty slot.
            let mask = parts.slotKeys.count - 1
            parts.slotKeys[occupied] = UInt64((occupied + 1) & mask) | 0xABCD_0000_0000
        }
        expectCorrupt("posting key filed twice") { parts in
            // One key in two neighbouring empty slots, both within its probe sequence.
            let mask = parts.slotKeys.count - 1
            let first = parts.slotHeads.indices.first { parts.slotHeads[$0] < 0 && parts.slotHeads[($0 + 1) & mask] < 0 }!
            let key = UInt64(first) | 0x1234_0000_0000
            for (offset, slot) in [first, (first + 1) & mask].enumerated() {
                parts.slotKeys[slot] = key
                parts.slotHeads[slot] = Int32(parts.entryDocuments.count)
                parts.entryDocuments.append(Int32(offset))
                parts.entryNext.append(-1)
            }
            parts.keyCount += 2
        }
        expectCorrupt("posting entries that no key reaches") { parts in
            parts.entryDocuments.append(0)
            parts.entryNext.append(-1)
        }
    }

    @Test("removal bits past the last document and disagreeing counts are named")
    func removalDamage() {
        var index = Self.index()
        index.removedBits += [0, 0, 0, 1]   // document 256 of 200
        #expect(throws: IndexFileError.corrupt("a removal bit past the last document")) { try index._checkInvariants() }
        index = Self.index()
        index.removedCount = 2
        #expect(throws: IndexFileError.corrupt("removal bits disagree with the removed count")) { try index._checkInvariants() }
    }
}

/// A posting table's arrays, to damage one at a time.
struct _PostingTableParts {
    var slotKeys: [UInt64]
    var slotHeads: [Int32]
    var entryDocuments: [Int32]
    var entryNext: [Int32]
    var keyCount: Int

    init(_ table: _PostingTable) {
        slotKeys = table.slotKeys
        slotHeads = table.slotHeads
        entryDocuments = table.entryDocuments
        entryNext = table.entryNext
        keyCount = table.keyCount
    }

    /// The table these arrays make, read back through the file format's reader (which checks
    /// it whole, documents below 200).
    func table() throws -> _PostingTable {
        var writer = _BinaryWriter()
        writer.write(UInt64(keyCount))
        writer.write(array: slotKeys)
        writer.write(array: slotHeads)
        writer.write(array: entryDocuments)
        writer.write(array: entryNext)
        return try writer.bytes.withUnsafeBytes { bytes in
            var reader = _BinaryReader(bytes: bytes)
            return try _PostingTable(reading: &reader, documentLimit: 200)
        }
    }
}
