import Foundation
import SimCore
import SimCoreInternals

/// One on-disk format of SimCore, as the damage tests and the index-file fuzz target see it:
/// how to save a small sample, and how to load a file and put what loaded through its paces.
///
/// Every format shares the envelope `magic (8) | version u32 | reserved u32 | payload length
/// u64 | payload | XXH3-64 u64` (little-endian, the checksum over every byte before it), so
/// ``resealed(_:)`` can repair the length and checksum of any edited file and let the damage
/// reach the loader's own checks.
///
/// A new format (a new state-file version, another index) joins ``all`` with a sample saver and
/// a loader; the damage matrix and the fuzz target then cover it with no other change.
///
/// ```swift
/// for format in IndexFileFormat.all {
///     try format.save("/tmp/sample")
///     try format.load("/tmp/sample").exercise("/tmp/scratch")
/// }
/// ```
public struct IndexFileFormat: Sendable {
    /// A short name, e.g. `MinHashLSH`.
    public let name: String
    /// Writes a small sample file (a few kilobytes) at the path.
    public let save: @Sendable (_ path: String) throws -> Void
    /// Loads a file, or a file's bytes in memory, with the format's own loader; throws what the
    /// loader throws.
    package let open: @Sendable (_ source: IndexFileSource) throws -> LoadedIndexFile

    /// Creates a format entry.
    ///
    /// - Parameters:
    ///   - name: A short name.
    ///   - save: Writes a small sample.
    ///   - open: Loads a file or its bytes.
    package init(
        name: String, save: @escaping @Sendable (String) throws -> Void,
        open: @escaping @Sendable (IndexFileSource) throws -> LoadedIndexFile
    ) {
        self.name = name
        self.save = save
        self.open = open
    }

    /// Loads the file at `path` with the format's own loader.
    ///
    /// - Parameter path: The file.
    /// - Returns: What loaded, to check and exercise.
    /// - Throws: What the loader throws (``IndexFileError`` for a bad file).
    public func load(_ path: String) throws -> LoadedIndexFile {
        try open(.path(path))
    }

    /// Loads a file's bytes, held in memory, with the format's own loader: the same checks as
    /// ``load(_:)`` with no file written or mapped (the damage matrix and the fuzz target load
    /// thousands of variants so).
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - name: The name messages give the file.
    /// - Returns: What loaded.
    /// - Throws: What the loader throws.
    package func load(bytes: [UInt8], name: String = "memory") throws -> LoadedIndexFile {
        try open(.bytes(bytes, name: name))
    }

    /// Size of the envelope's header: magic, version, reserved, payload length.
    public static let headerSize = 24

    /// `bytes` with the envelope's payload length and checksum made to match its contents, so
    /// that a loader passes them and reaches its own checks: the header (padded with zeros if
    /// short) keeps its magic, version and reserved field, the payload is everything after it
    /// but the last 8 bytes, and the checksum is recomputed.
    ///
    /// - Parameter bytes: A damaged or made-up file.
    /// - Returns: The same file with a valid length field and checksum.
    public static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var file = bytes
        if file.count < headerSize + 8 { file += [UInt8](repeating: 0, count: headerSize + 8 - file.count) }
        file.removeLast(8)
        withUnsafeBytes(of: UInt64(file.count - headerSize).littleEndian) { file.replaceSubrange(16..<24, with: $0) }
        let checksum = XXH3.hash64(file, seed: 0)
        withUnsafeBytes(of: checksum.littleEndian) { file.append(contentsOf: $0) }
        return file
    }

    /// `bytes` with the envelope's format version set to `version` and resealed.
    ///
    /// - Parameters:
    ///   - bytes: A file of this format.
    ///   - version: The version to claim.
    /// - Returns: The edited file.
    public static func withVersion(_ bytes: [UInt8], _ version: UInt32) -> [UInt8] {
        var file = bytes
        withUnsafeBytes(of: version.littleEndian) { file.replaceSubrange(8..<12, with: $0) }
        return resealed(file)
    }

    /// Every format SimCore writes or still reads, so every file a user can hold: a
    /// ``MinHashLSH`` index (format version 2, and version 1 with chained hash tables); the
    /// ``Deduplicator`` state (format version 4) for both index kinds, both verifications, and
    /// compact verification bits 16, 8 and 4 (whose files carry the posting shards); format
    /// version 3 state files (whole rows of k values), for both index kinds; format version 2
    /// state files of compact engines (whole keys in chained hash tables), for both index kinds;
    /// and format version 1 state files, loaded into a whole and into a compact engine. New entries
    /// go at the end: the index-file fuzz target and its committed seeds pick a format by its
    /// place in this list.
    public static let all: [IndexFileFormat] = [
        minHashLSH,
        deduplicator(.jaccard, .exact),
        deduplicator(.overlap, .estimated),
        deduplicator(.jaccard, .estimated, verificationBits: 8),
        deduplicator(.overlap, .estimated, verificationBits: 16),
        deduplicator(.jaccard, .exact, formatVersion: 1),
        deduplicator(.jaccard, .estimated, verificationBits: 8, formatVersion: 1),
        minHashLSHVersion1,
        deduplicator(.jaccard, .estimated, verificationBits: 8, formatVersion: 2),
        deduplicator(.overlap, .estimated, verificationBits: 16, formatVersion: 2),
        deduplicator(.jaccard, .estimated, verificationBits: 4),
        deduplicator(.jaccard, .exact, formatVersion: 3),
        deduplicator(.overlap, .estimated, formatVersion: 3),
    ]

    /// A ``MinHashLSH`` index file (k = 16, b = 4, r = 4, 24 documents, 2 removed).
    public static let minHashLSH = minHashLSH(name: "MinHashLSH") { try $0.save(to: $1) }

    /// The same index in format version 1 (each band a chained hash table), as builds before
    /// version 2 wrote it.
    public static let minHashLSHVersion1 = minHashLSH(name: "MinHashLSH version 1") { try $0._saveVersion1(to: $1) }

    /// A ``MinHashLSH`` format entry whose sample `write` saves.
    static func minHashLSH(name: String, write: @escaping @Sendable (MinHashLSH, String) throws -> Void) -> IndexFileFormat {
        IndexFileFormat(
            name: name,
            save: { path in try write(sampleIndex(), path) },
            open: { source in
                let index = try MinHashLSH(source: source)
                return LoadedIndexFile(
                    checkInvariants: { try index._checkInvariants() },
                    exercise: { scratch in try exercise(index, scratch: scratch) })
            })
    }

    /// The state file of a ``Deduplicator`` (one-permutation MinHash, k = 16) with `measure` and
    /// `verification`, 14 short documents in near-duplicate groups.
    ///
    /// - Parameters:
    ///   - measure: Jaccard (a ``MinHashLSH`` inside, banding 4 × 4) or the overlap coefficient
    ///     (a ``ContainmentIndex`` inside).
    ///   - verification: Estimated, or exact (shingle sets saved too).
    ///   - verificationBits: The loading engine's verification bits (64, 16, 8 or 4); a current,
    ///     version-3 or version-2 file is saved with them too (compact files hold the posting
    ///     tables).
    ///   - formatVersion: 4 (what ``Deduplicator/save(to:)`` writes), or 1, 2 or 3: the file a
    ///     build before that format wrote, which must still load (version 2 of a compact
    ///     engine holds the whole keys an engine with whole signatures gives the same documents).
    /// - Returns: The format entry.
    public static func deduplicator(
        _ measure: DeduplicationOptions.Measure, _ verification: DeduplicationOptions.Verification,
        verificationBits: Int = 64, formatVersion: UInt32 = 4
    ) -> IndexFileFormat {
        var options = sampleOptions(measure, verification)
        options.verificationBits = verificationBits
        // A version-1 file always held whole signatures: it is written by a whole engine.
        var saving = options
        if formatVersion == 1 { saving.verificationBits = 64 }
        let savingOptions = saving
        let loadingOptions = options
        let scheme = OnePermutationMinHash(signatureLength: 16, seed: 3)
        let bits = verificationBits == 64 ? "" : ", \(verificationBits) bits"
        let version = formatVersion == 4 ? "" : " version \(formatVersion)"
        return IndexFileFormat(
            name: "Deduplicator\(version) (\(measure), \(verification)\(bits))",
            save: { path in
                let deduplicator = Deduplicator(scheme: scheme, options: savingOptions)
                deduplicator.insert(contentsOf: sampleDocuments, threads: 1)
                switch formatVersion {
                case 4:
                    try deduplicator.save(to: path)
                case 2 where savingOptions.verificationBits != 64:
                    var wholeOptions = savingOptions
                    wholeOptions.verificationBits = 64
                    let whole = Deduplicator(scheme: scheme, options: wholeOptions)
                    whole.insert(contentsOf: sampleDocuments, threads: 1)
                    try deduplicator._save(to: path, formatVersion: 2, keysFrom: whole)
                default:
                    try deduplicator._save(to: path, formatVersion: formatVersion)
                }
            },
            open: { source in
                // The settings reader is a loader too: refused with IndexFileError, or read.
                do { _ = try SavedDeduplicatorSettings(source: source) } catch is IndexFileError {}
                // And its first fields alone, unchecked, as `simdedup dedupe --state` reads them.
                do { _ = try SavedDeduplicatorSettings(source: source, verifyingChecksum: false) } catch is IndexFileError {}
                // Batches of 5 of the 14 documents: damage past the first batch is reached with
                // batches already filed.
                let deduplicator = try Deduplicator(source: source, scheme: scheme, options: loadingOptions, loadBatch: 5)
                return LoadedIndexFile(
                    checkInvariants: { try deduplicator._checkInvariants() },
                    exercise: { scratch in try exercise(deduplicator, scheme: scheme, options: loadingOptions, scratch: scratch) })
            })
    }

    /// Options small enough that loading a damaged copy thousands of times stays quick: one
    /// thread, word 2-grams, banding set by hand.
    static func sampleOptions(
        _ measure: DeduplicationOptions.Measure, _ verification: DeduplicationOptions.Verification
    ) -> DeduplicationOptions {
        var options = DeduplicationOptions()
        options.measure = measure
        options.verification = verification
        options.shingling = ShinglingOptions(unit: .words(2), seed: 5)
        options.threshold = 0.6
        if measure == .jaccard { options.banding = BandingParameters(bandCount: 4, rowsPerBand: 4) }
        options.threads = 1
        return options
    }

    /// Fourteen short documents: four groups of near-copies and two loners.
    static let sampleDocuments: [Document] = {
        let stories = [
            "the river rose overnight and closed the old bridge to traffic",
            "a new library opens on the north side of the town square today",
            "the council voted to keep the swimming pool open all summer long",
            "farmers report the best apple harvest in twenty years this autumn",
        ]
        var documents: [Document] = []
        for (number, story) in stories.enumerated() {
            documents.append(Document(id: "s\(number)", text: story))
            documents.append(Document(id: "s\(number)-copy", text: story + " officials said"))
            if number % 2 == 0 { documents.append(Document(id: "s\(number)-edit", text: "update: " + story)) }
        }
        documents.append(Document(id: "lone-1", text: "completely different words about nothing in particular"))
        documents.append(Document(id: "", text: ""))
        return documents
    }()

    /// The sample index: 24 random sets (every third a near copy of the one before), two removed.
    static func sampleIndex() -> MinHashLSH {
        var index = MinHashLSH(signatureLength: 16, banding: BandingParameters(bandCount: 4, rowsPerBand: 4))
        for signature in sampleSignatures { index.insert(signature) }
        index.remove(3)
        index.remove(17)
        return index
    }

    /// Signatures of the sample index, and queries for a loaded one.
    static let sampleSignatures: [[UInt64]] = {
        let scheme = OnePermutationMinHash(signatureLength: 16, seed: 9)
        var generator = SplitMix64(seed: 99)
        var previous: [UInt64] = []
        return (0..<24).map { i in
            let set = i % 3 == 1 ? Array(previous.dropFirst(2)) + [generator.next()] : (0..<24).map { _ in generator.next() }
            previous = set
            var signature = [UInt64](repeating: 0, count: 16)
            set.withUnsafeBufferPointer { hashes in
                signature.withUnsafeMutableBufferPointer { scheme.sign(hashes, into: $0) }
            }
            return signature
        }
    }()

    /// The most documents a loaded index may claim and still get the insert, removal and save
    /// of ``exercise(_:scratch:)``: a few bytes can claim two billion documents with empty
    /// signatures (a valid index: they have no postings), and removing one more would then
    /// write a removal bit for each, 250 MB, in one fuzz input. The samples hold 24.
    public static let exerciseDocumentLimit = 1 << 16

    /// Queries, an insert, a removal and a save-and-load round trip on a loaded index (queries
    /// only past ``exerciseDocumentLimit`` documents).
    static func exercise(_ loaded: MinHashLSH, scratch: String?) throws {
        var index = loaded
        // Queries of the loaded index's own length (a damaged file may hold another k).
        let queries = sampleSignatures.prefix(6).map { signature in (0..<index.signatureLength).map { signature[$0 % signature.count] } }
        for signature in queries {
            let found = index.candidates(for: signature)
            guard found == found.sorted(), Set(found).count == found.count,
                  found.allSatisfy({ index.contains($0) }) else {
                throw FuzzFailure("candidates \(found) are not distinct, sorted, live documents of \(index.count)")
            }
        }
        guard index.count <= exerciseDocumentLimit else { return }
        let added = index.insert(queries[0])
        guard added == loaded.count, index.candidates(for: queries[0]).contains(added) else {
            throw FuzzFailure("an inserted signature is not its own candidate")
        }
        index.remove(added)
        try index._checkInvariants()
        guard let scratch else { return }
        try index.save(to: scratch)
        let again = try MinHashLSH(contentsOf: scratch)
        guard again.count == index.count, again.removedCount == index.removedCount, again.banding == index.banding else {
            throw FuzzFailure("a re-saved index loads with other counts")
        }
    }

    /// Assignments, an insert, id lookups and a save-and-load round trip on a loaded engine.
    static func exercise<Scheme: SignatureScheme>(
        _ deduplicator: Deduplicator<Scheme>, scheme: Scheme, options: DeduplicationOptions, scratch: String?
    ) throws {
        let assignments = deduplicator.assignments()
        let n = assignments.count
        var representatives = [Int](repeating: 0, count: n)
        for assignment in assignments {
            guard (0..<n).contains(assignment.cluster) else { throw FuzzFailure("cluster label \(assignment.cluster) of \(n)") }
            if assignment.isRepresentative { representatives[assignment.cluster] += 1 }
        }
        for label in Set(assignments.map(\.cluster)) where representatives[label] != 1 {
            throw FuzzFailure("cluster \(label) has \(representatives[label]) representatives")
        }
        for document in 0..<n {
            guard let first = deduplicator.document(withID: deduplicator.id(of: document)), first <= document else {
                throw FuzzFailure("the id of document \(document) is not found")
            }
        }
        let result = deduplicator.insert(sampleDocuments[0])
        guard result.document == n else { throw FuzzFailure("an insert got number \(result.document), not \(n)") }
        try deduplicator._checkInvariants()
        guard let scratch else { return }
        try deduplicator.save(to: scratch)
        let again = try Deduplicator(contentsOf: scratch, scheme: scheme, options: options)
        guard again.assignments() == deduplicator.assignments() else { throw FuzzFailure("a re-saved engine loads with other clusters") }
    }
}

/// A file one ``IndexFileFormat`` loaded, with what to check on it.
public struct LoadedIndexFile {
    /// Runs the structure's invariant check (the one its loader ran before returning).
    public let checkInvariants: () throws -> Void
    /// Queries and inserts into the structure, then (given a path) re-saves it there and
    /// reloads it; throws ``FuzzFailure`` when an answer is wrong.
    public let exercise: (_ scratchPath: String?) throws -> Void

    /// Creates an entry.
    ///
    /// - Parameters:
    ///   - checkInvariants: The invariant check.
    ///   - exercise: The exercise.
    public init(checkInvariants: @escaping () throws -> Void, exercise: @escaping (String?) throws -> Void) {
        self.checkInvariants = checkInvariants
        self.exercise = exercise
    }
}

/// A property a fuzz check or damage test found broken, with what was seen.
public struct FuzzFailure: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    /// Creates a failure.
    ///
    /// - Parameter description: What went wrong, with the values seen.
    public init(_ description: String) {
        self.description = description
    }
}
