import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SimCore
import SimCoreInternals
internal import CSimKernels
import SystemPackage

/// Reads documents from directories, JSON Lines files (plain or gzip-compressed), `.txt` files
/// and standard input, one at a time, without loading a JSON Lines file whole.
///
/// Each path is, in the order given:
/// - a **directory**: its JSON Lines shards (names ending in `.jsonl`, `.ndjson`, `.jsonl.gz` or
///   `.ndjson.gz`) in byte order of their names, then its `.txt` files in byte order of their
///   names; not recursive (subdirectories and other files are passed over), and a directory
///   holding neither is an error;
/// - a **JSON Lines file** (`.jsonl`, `.ndjson` or `.json`, optionally followed by `.gz`), or `-`
///   for standard input: one JSON object per line with an id (string or number) and a text
///   (string), read by ``JSONRecordParser`` through ``LineReader``; blank lines are passed over;
///   gzip data is recognized by its magic bytes and inflated as it is read;
/// - a **`.txt` file**: one document, whose id is the file name without `.txt`.
///
/// Every path is checked (and directories listed) before the first document is returned, so a
/// missing or unsupported path fails at once, and ``inputBytes`` gives the total size for a
/// progress display.
///
/// A bad document (unreadable file, malformed line, missing or mistyped field, invalid UTF-8,
/// empty text) throws a ``CorpusError`` naming file and line, or, with
/// ``CorpusOptions/InvalidInputPolicy/skip``, is recorded in ``rejected``. Nothing is dropped
/// silently: ``documentsRead`` + `rejected.count` is every document the input holds.
///
/// JSON Lines are read in blocks of about 4 MiB of whole lines, and a block's lines are parsed
/// (and their UTF-8 checked) on ``CorpusOptions/threads`` threads; with more than one, the next
/// two blocks are read and parsed in the background while the caller works on the current one.
/// Records, rejects and errors still come out one at a time in input order, so nothing a caller
/// sees depends on the count.
///
/// ```swift
/// let corpus = try CorpusReader.readAll(paths: ["Data/wire-stories"])
/// corpus.documents.count    // 5
/// ```
public final class CorpusReader {
    /// The options in force.
    public let options: CorpusOptions
    /// Documents that were not returned, with why (only with the `skip` policy).
    public private(set) var rejected: [CorpusError] = []
    /// Documents returned so far.
    public private(set) var documentsRead = 0

    /// The paths as given.
    public let paths: [String]
    /// Every input file in reading order, once planned.
    private var inputs: [InputFile] = []
    private var planned = false
    private var nextInput = 0
    /// On-disk bytes of the inputs finished so far.
    private var finishedBytes = 0
    private var lines: LineReader?
    private let parser: JSONRecordParser
    /// The parsed lines of the current block of the open JSON Lines file, and the next to hand out.
    private var block = _ParsedBlock(reversedChunks: [])
    /// How far the open JSON Lines file had been read when ``block`` was: read from the block,
    /// not from the line reader, which a background task may be reading.
    private var openFileBytesRead = 0
    /// The read error of the open JSON Lines file, thrown again by every later call: the blocks
    /// read ahead past it were dropped, so reading on would skip their lines.
    private var readFailure: CorpusError?
    /// The next blocks, oldest first, being read and parsed in the background one after
    /// another (more than one thread only): up to ``readAhead(threads:)``.
    private var prefetches: [_BlockPrefetch] = []
    /// Where the background blocks are read and parsed, in order (serial: one line reader), on
    /// the global queue's threads: a serial queue of its own would get a thread beyond the cores
    /// (an overcommitting queue), and on 100,000 news documents that extra thread cost 0.1 s of
    /// a 0.9 s run.
    private let prefetchQueue = DispatchQueue(label: "SimCoreIO.CorpusReader.prefetch", target: .global())
    /// How many blocks are read and parsed ahead of the one being handed out on `threads`
    /// threads: half as many as threads, at least 2. With one, a caller that takes more than a
    /// block per batch (1,080,000 paragraphs: 16,384 documents, about 1.6 blocks) waited for a
    /// block in about half of its batches, its core idle. Blocks are read and split into lines
    /// one after another, and only their parsing is shared, so many threads need more of them
    /// ahead: on 16 cores and 16 threads news took 0.41 s with 8 ahead against 0.55 s with 2
    /// (16 MiB blocks instead of 4 MiB gave 0.42 s, but peaked 40 MB higher; README,
    /// Measurements, "on 16 cores").
    static func readAhead(threads: Int) -> Int {
        Swift.max(2, threads / 2)
    }
    /// Bytes of whole lines parsed per block: enough for every thread to get several chunks,
    /// small enough that a block's records stay a few MiB.
    let blockBytes: Int

    /// One file to read: a JSON Lines file (or standard input) or a `.txt` document.
    struct InputFile {
        enum Kind { case jsonLines, text }
        let path: String
        let kind: Kind
        /// Its size on disk; `nil` for standard input.
        let size: Int?
        /// The file's bytes, for JSON Lines given in memory (``init(jsonLines:path:options:)``).
        var contents: [UInt8]?
    }

    /// Prepares to read `paths` in order; nothing is opened until ``next()``.
    ///
    /// - Parameters:
    ///   - paths: Directories, JSON Lines files (`.gz` too), `.txt` files, or `-` for standard input.
    ///   - options: Field names and the policy for bad documents.
    public convenience init(paths: [String], options: CorpusOptions = CorpusOptions()) {
        self.init(paths: paths, options: options, blockBytes: 4 << 20)
    }

    /// Prepares to read `paths`, parsing JSON Lines in blocks of about `blockBytes` (tests use
    /// small blocks to cross block boundaries).
    init(paths: [String], options: CorpusOptions, blockBytes: Int) {
        self.blockBytes = blockBytes
        self.options = options
        self.paths = paths
        self.parser = JSONRecordParser(idField: options.idField, textField: options.textField)
    }

    /// Reads the JSON Lines file whose bytes are `bytes` exactly as ``init(paths:options:)``
    /// reads a file of that name (the same line reader, parser, checks, policy, records and
    /// rejects), on the calling thread whatever ``CorpusOptions/threads`` says, with no file
    /// opened: the JSON Lines fuzz target runs every input through it.
    ///
    /// ```swift
    /// let reader = CorpusReader(jsonLines: Array("{\"id\":1,\"text\":\"a\"}\n".utf8), path: "memory.jsonl")
    /// try reader.nextRecord()?.line   // 1
    /// ```
    ///
    /// - Parameters:
    ///   - bytes: The file's contents (gzip data is inflated).
    ///   - path: The name records, rejects and errors give as their file.
    ///   - options: Field names and the policy for bad documents.
    package convenience init(jsonLines bytes: [UInt8], path: String, options: CorpusOptions = CorpusOptions()) {
        var single = options
        single.threads = 1
        self.init(paths: [path], options: single, blockBytes: 4 << 20)
        inputs = [InputFile(path: path, kind: .jsonLines, size: bytes.count, contents: bytes)]
        planned = true
    }

    /// The total size on disk of every input (compressed size for gzip), or `nil` when standard
    /// input is among them or before the inputs are planned (``plan()``, or the first ``next()``).
    public var inputBytes: Int? {
        guard planned else { return nil }
        var total = 0
        for input in inputs {
            guard let size = input.size else { return nil }
            total += size
        }
        return total
    }

    /// Bytes of the inputs read so far, on disk (compressed bytes for gzip): whole files
    /// finished, plus how far the open JSON Lines file had been read when its block being handed
    /// out was (ahead of the records handed out by at most a block and a read buffer). For a
    /// progress display against ``inputBytes``.
    public var inputBytesRead: Int { finishedBytes + openFileBytesRead }

    /// Checks every path and lists directories, in order. Called by the first ``next()``; call
    /// it earlier to learn ``inputBytes`` or to fail on a bad path before reading anything.
    ///
    /// - Throws: ``CorpusError`` for a path that does not exist, cannot be listed, is of an
    ///   unsupported kind, or is a directory without readable files.
    public func plan() throws(CorpusError) {
        guard !planned else { return }
        var inputs: [InputFile] = []
        for path in paths {
            inputs += try Self.expand(path)
        }
        self.inputs = inputs
        planned = true
    }

    /// The next document, or `nil` when every input is exhausted.
    ///
    /// - Throws: ``CorpusError`` for a bad document under the `fail` policy, and for an input
    ///   path that cannot be opened or is of an unsupported kind under either policy.
    public func next() throws(CorpusError) -> Document? {
        try nextRecord()?.document
    }

    /// The next document with its id as the input wrote it and where it came from, or `nil`
    /// when every input is exhausted.
    ///
    /// - Throws: ``CorpusError`` as ``next()`` does.
    public func nextRecord() throws(CorpusError) -> CorpusRecord? {
        try plan()
        while true {
            if let reader = lines {
                if let record = try nextLineRecord(reader) {
                    documentsRead += 1
                    return record
                }
                finishedBytes += inputs[nextInput - 1].size ?? reader.sourceBytesRead
                openFileBytesRead = 0
                lines = nil
                continue
            }
            guard nextInput < inputs.count else { return nil }
            let input = inputs[nextInput]
            nextInput += 1
            switch input.kind {
            case .jsonLines:
                openFileBytesRead = 0
                readFailure = nil
                if let contents = input.contents {
                    lines = LineReader(bytes: contents, path: input.path)
                } else {
                    lines = try LineReader(path: input.path)
                }
            case .text:
                let path = input.path
                let record = try accept({ () throws(CorpusError) -> CorpusRecord in
                    let bytes = try FileContents.read(path)
                    try check(bytes, path: path, line: nil)
                    let name = FilePath(path).lastComponent?.string ?? path
                    let id = String(name.dropLast(4))
                    return CorpusRecord(document: Document(id: id, utf8: bytes), id: DocumentID(text: id), path: path, line: nil)
                })
                finishedBytes += input.size ?? 0
                if let record {
                    documentsRead += 1
                    return record
                }
            }
        }
    }

    /// Reads every document of `paths` into memory.
    ///
    /// - Parameters:
    ///   - paths: Directories of `.txt` files, JSON Lines files, or `-`.
    ///   - options: Field names and the policy for bad documents.
    /// - Returns: The documents in input order, and the rejects.
    /// - Throws: ``CorpusError`` as ``next()`` does.
    public static func readAll(paths: [String], options: CorpusOptions = CorpusOptions()) throws(CorpusError) -> Corpus {
        let reader = CorpusReader(paths: paths, options: options)
        var documents: [Document] = []
        while let document = try reader.next() {
            documents.append(document)
        }
        return Corpus(documents: documents, rejected: reader.rejected)
    }

    /// The raw bytes of one file, as they are: no UTF-8 check, no byte-order mark removed (for
    /// tools that report byte offsets into the file, such as `simdedup align`).
    ///
    /// - Parameter path: A regular file.
    /// - Returns: Its contents.
    /// - Throws: ``CorpusError`` naming the file and the system's reason.
    public static func readFile(atPath path: String) throws(CorpusError) -> [UInt8] {
        try FileContents.read(path)
    }

    /// The input files of one path, in reading order.
    static func expand(_ path: String) throws(CorpusError) -> [InputFile] {
        if path == "-" { return [InputFile(path: path, kind: .jsonLines, size: nil)] }
        guard let isDirectory = Platform.isDirectory(atPath: path) else {
            throw CorpusError(path: path, line: nil, reason: .unreadable("No such file or directory"))
        }
        if !isDirectory {
            let lowered = path.lowercased()
            let kind: InputFile.Kind
            if jsonLinesSuffixes.contains(where: lowered.hasSuffix) || lowered.hasSuffix(".json") || lowered.hasSuffix(".json.gz") {
                kind = .jsonLines
            } else if lowered.hasSuffix(".txt") {
                kind = .text
            } else {
                throw CorpusError(path: path, line: nil, reason: .unsupportedInput)
            }
            return [InputFile(path: path, kind: kind, size: Platform.fileSize(atPath: path))]
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw CorpusError(path: path, line: nil, reason: .unreadable(describeFileError(error)))
        }
        var shards: [InputFile] = []
        var texts: [InputFile] = []
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let lowered = name.lowercased()
            let isShard = jsonLinesSuffixes.contains(where: lowered.hasSuffix)
            guard isShard || lowered.hasSuffix(".txt") else { continue }
            let file = FilePath(path).appending(name).string
            guard Platform.isDirectory(atPath: file) == false else { continue }
            let input = InputFile(path: file, kind: isShard ? .jsonLines : .text, size: Platform.fileSize(atPath: file))
            if isShard { shards.append(input) } else { texts.append(input) }
        }
        guard !shards.isEmpty || !texts.isEmpty else {
            throw CorpusError(path: path, line: nil, reason: .noInputFiles)
        }
        return shards + texts
    }

    /// The names a directory's JSON Lines shards end in (lower case).
    static let jsonLinesSuffixes = [".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"]

    /// The next record of the open JSON Lines file, applying the policy; `nil` at its end.
    private func nextLineRecord(_ reader: LineReader) throws(CorpusError) -> CorpusRecord? {
        if let readFailure { throw readFailure }
        while true {
            while let outcome = block.next() {
                // Switched on, not `get()`: the record moves out of the outcome (a copy and the
                // outcome's release were eight reference-count operations per record).
                switch outcome {
                case .success(let record): return record
                case .failure(let error): _ = try accept { () throws(CorpusError) in throw error }
                }
            }
            let outcome: Result<_ParsedBlock?, CorpusError>
            if prefetches.isEmpty {
                outcome = Result { () throws(CorpusError) in
                    try Self.parseBlock(of: reader, maximumBytes: blockBytes, parser: parser, options: options)
                }
            } else {
                let pending = prefetches.removeFirst()
                outcome = Result { () throws(CorpusError) in try pending.wait() }
                // The blocks after an end or an error are not handed out; their tasks end before
                // the line reader goes.
                if case .success(.some) = outcome {} else { discardPrefetches() }
            }
            if case .failure(let error) = outcome { readFailure = error }
            guard let next = try outcome.get() else { return nil }
            block = next
            openFileBytesRead = next.sourceBytesRead
            // With more than one thread, the next blocks are read and parsed while this one's
            // records are used: reading overlaps with the caller's work.
            if options.threads > 1 {
                while prefetches.count < Self.readAhead(threads: options.threads) {
                    prefetches.append(
                        _BlockPrefetch(on: prefetchQueue, reader: reader, maximumBytes: blockBytes, parser: parser, options: options))
                }
            }
        }
    }

    /// XXH3 of the id text of the parsed line `distance` places after the next one (0: the
    /// next) that ``nextRecord()`` will hand out or reject, when it is already parsed and in the
    /// same chunk of its block (package access: `simdedup dedupe` asks for the slots of the ids
    /// it will look up); `nil` otherwise. Places count parsed lines, rejected ones included
    /// (their hash is 0).
    package func upcomingIDHash(_ distance: Int) -> UInt64? {
        block.idHash(ahead: distance)
    }

    /// Waits for the blocks being read ahead and drops them.
    private func discardPrefetches() {
        for pending in prefetches { _ = try? pending.wait() }
        prefetches = []
    }

    /// Reads the next block of lines and parses its non-blank lines on ``CorpusOptions/threads``
    /// threads; the block hands the outcomes out in line order. `nil` at the end of the file.
    fileprivate static func parseBlock(
        of reader: LineReader, maximumBytes: Int, parser: JSONRecordParser, options: CorpusOptions
    ) throws(CorpusError) -> _ParsedBlock? {
        let path = reader.path
        return try reader.nextLines(maximumBytes: maximumBytes) { block, lines, firstLine in
            let bytesRead = reader.sourceBytesRead
            guard let base = block.baseAddress else { return _ParsedBlock(reversedChunks: [], sourceBytesRead: bytesRead) }
            // SAFETY: the block is only read, and only until concurrentChunks returns.
            let source = SendableMutablePointer(base: UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(to: UInt8.self))
            let chunks = concurrentChunks(count: lines.count, threads: options.threads, minimumChunk: 32) { range in
                var outcomes: [Result<CorpusRecord, CorpusError>] = []
                var hints: [_RecordHint] = []
                outcomes.reserveCapacity(range.count)
                hints.reserveCapacity(range.count)
                // Last line first, so that the array comes out reversed (`reverse()` would copy
                // each record: its swaps are copies for a type holding references).
                for index in range.reversed() {
                    let line = UnsafeRawBufferPointer(start: source.base + lines[index].lowerBound, count: lines[index].count)
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    do throws(CorpusError) {
                        let record = try record(from: line, path: path, line: firstLine + index, parser: parser, options: options)
                        hints.append(.of(record))
                        outcomes.append(.success(record))
                    } catch {
                        hints.append(_RecordHint())
                        outcomes.append(.failure(error))
                    }
                }
                return (outcomes, hints)
            }
            return _ParsedBlock(reversedChunks: chunks.map(\.0), hints: chunks.map(\.1), sourceBytesRead: bytesRead)
        }
    }

    private static func record(
        from line: UnsafeRawBufferPointer, path: String, line number: Int, parser: JSONRecordParser, options: CorpusOptions
    ) throws(CorpusError) -> CorpusRecord {
        try check(line, path: path, line: number, allowEmpty: true, options: options)
        let fields: JSONRecordParser.Record
        do {
            fields = try parser.parse(line)
        } catch {
            throw CorpusError(path: path, line: number, reason: error.corpusReason)
        }
        guard let id = fields.id else { throw missingField(options.idField, line: line, path: path, number: number) }
        guard let text = fields.text else { throw missingField(options.textField, line: line, path: path, number: number) }
        if text.isEmpty { throw CorpusError(path: path, line: number, reason: .emptyText) }
        // A `let` returned as it is unless the source line is kept: a `var` set conditionally
        // was copied and destroyed on every record (eight reference-count operations).
        let record = CorpusRecord(document: Document(id: id.text, utf8: text), id: id, path: path, line: number)
        guard options.keepsSourceLines else { return record }
        var kept = record
        kept.sourceLine = Array(line)
        return kept
    }

    /// A missing-field error that lists the fields the line does have.
    private static func missingField(_ field: String, line: UnsafeRawBufferPointer, path: String, number: Int) -> CorpusError {
        var error = CorpusError(path: path, line: number, reason: .missingField(field))
        error.fieldsPresent = JSONRecordParser.topLevelKeys(of: line)
        return error
    }

    /// Throws for invalid UTF-8 (unless replacement is on) and for empty text.
    private func check(_ bytes: [UInt8], path: String, line: Int?) throws(CorpusError) {
        do {
            try bytes.withUnsafeBytes { try Self.check($0, path: path, line: line, allowEmpty: false, options: options) }
        } catch let error as CorpusError {
            throw error
        } catch {
            throw CorpusError(path: path, line: line, reason: .unreadable("\(error)"))
        }
    }

    private static func check(
        _ bytes: UnsafeRawBufferPointer, path: String, line: Int?, allowEmpty: Bool, options: CorpusOptions
    ) throws(CorpusError) {
        if !allowEmpty && bytes.isEmpty {
            throw CorpusError(path: path, line: line, reason: .emptyText)
        }
        if !options.replaceInvalidUTF8, let offset = _TextKernels.firstInvalidUTF8Offset(bytes) {
            throw CorpusError(path: path, line: line, reason: .invalidUTF8(offset: offset))
        }
    }

    /// Runs `make`; under the `skip` policy a document-level error is recorded instead of thrown.
    private func accept<T>(_ make: () throws(CorpusError) -> T) throws(CorpusError) -> T? {
        do {
            return try make()
        } catch {
            guard options.invalidInput == .skip else { throw error }
            rejected.append(error)
            return nil
        }
    }
}

/// The outcomes of one parsed block of lines, handed out in line order by moving each out of
/// its array: a copy would retain every reference a record holds (its id, text, path), and
/// the block's release would drop them again, about a tenth of the reading thread's time on
/// paragraphs. Each chunk's outcomes come in reverse line order (the worker that parses a chunk
/// goes from its last line to its first), and the chunks in line order, so the next outcome is
/// always the last of the current chunk (`popLast`, no copy). Nothing reverses an array:
/// `reverse()` swaps by copying, which retained and released every record.
///
/// Beside each outcome, a ``_RecordHint`` taken on the parsing thread: as an outcome is handed
/// out, the text storage of the one ``textPrefetchDistance`` places later is asked for (the
/// caller's first touch of a text, its length and a retain, missed the cache once per record:
/// 3% of a million paragraphs' run on the reading thread), and ``idHash(ahead:)`` lets the
/// caller ask for the slots of ids it is about to look up.
struct _ParsedBlock: Sendable {
    /// Each chunk's outcomes in reverse line order; the chunks in line order.
    private var chunks: [[Result<CorpusRecord, CorpusError>]]
    /// The hint of each outcome, in the same places.
    private let hints: [[_RecordHint]]
    /// The chunk the next outcome comes from.
    private var current = 0
    /// How far the file had been read (``LineReader/sourceBytesRead``) once this block was.
    let sourceBytesRead: Int
    /// How many outcomes ahead of the one handed out a text is asked for.
    static let textPrefetchDistance = 8

    /// The outcomes of a block's chunks, each in reverse line order, the chunks in line order,
    /// with their hints in the same places (none: no prefetching), read when the file had been
    /// read up to `sourceBytesRead` bytes.
    init(reversedChunks chunks: [[Result<CorpusRecord, CorpusError>]], hints: [[_RecordHint]] = [], sourceBytesRead: Int = 0) {
        assert(hints.isEmpty || hints.map(\.count) == chunks.map(\.count), "one hint per outcome")
        self.chunks = chunks
        self.hints = hints.isEmpty ? chunks.map { [_RecordHint](repeating: _RecordHint(), count: $0.count) } : hints
        self.sourceBytesRead = sourceBytesRead
    }

    /// The next outcome in line order, or `nil` after the last.
    mutating func next() -> Result<CorpusRecord, CorpusError>? {
        while current < chunks.count {
            if let outcome = chunks[current].popLast() {
                // The chunk's remaining outcomes are its places 0..<count, the next one last.
                let ahead = chunks[current].count &- Self.textPrefetchDistance
                if ahead >= 0 { hints[current][ahead].prefetchText() }
                return outcome
            }
            // Done with this chunk: its (empty) array goes now, not with the block.
            chunks[current] = []
            current += 1
        }
        return nil
    }

    /// The id hash (``_RecordHint/idHash``) of the outcome `distance` places after the next
    /// one (0: the next), if it is in the same chunk; `nil` otherwise (a rejected line's is 0).
    func idHash(ahead distance: Int) -> UInt64? {
        guard current < chunks.count else { return nil }
        let place = chunks[current].count &- 1 &- distance
        return place >= 0 ? hints[current][place].idHash : nil
    }
}

/// What the caller will soon need of a parsed record, taken on the parsing thread while the
/// record is in its cache: where the text's storage is, and the hash of the id.
struct _RecordHint: Sendable {
    /// The bits of the text's array: a reference to its storage object, whose header holds the
    /// count and the reference count (0: none, a rejected line).
    let textStorage: UInt
    /// XXH3 of the id text's UTF-8 bytes, the hash ids are looked up by
    /// (``RecentIDs`` in `simdedup`, the engine's id index); 0 for a rejected line.
    let idHash: UInt64

    /// The hint of no record.
    init() {
        textStorage = 0
        idHash = 0
    }

    private init(textStorage: UInt, idHash: UInt64) {
        self.textStorage = textStorage
        self.idHash = idHash
    }

    /// The hint of `record` (a function, not an initializer: its argument is borrowed, where
    /// an initializer's is a copy, a retain and a release of each of the record's references).
    static func of(_ record: CorpusRecord) -> _RecordHint {
        // Kept as bits (a pointer is not Sendable); only ever passed to a prefetch.
        let textStorage = UInt(bitPattern: record.document._textStorageForPrefetch)
        var id = record.id.text
        return _RecordHint(textStorage: textStorage, idHash: id.withUTF8 { XXH3.hash64(UnsafeRawBufferPointer($0)) })
    }

    /// Asks for the cache line of the text's storage header (a hint: nothing changes).
    func prefetchText() {
        simk_prefetch(UnsafeRawPointer(bitPattern: textStorage))
    }
}

/// One block of a JSON Lines file read and parsed on a background queue while the reader's
/// caller works on the blocks before it.
private final class _BlockPrefetch: @unchecked Sendable {
    // SAFETY: between `init` and the end of `wait()` the line reader is used by the background
    // queue alone, one task after another (a serial queue; the corpus reader touches it again
    // only after waiting for every pending block); `result` is written by the task before it
    // leaves `done`, and read (and reset, to hand the block over) by `wait()` after
    // `done.wait()`.
    private let done = DispatchGroup()
    private var result: Result<_ParsedBlock?, CorpusError> = .success(nil)

    init(on queue: DispatchQueue, reader: LineReader, maximumBytes: Int, parser: JSONRecordParser, options: CorpusOptions) {
        done.enter()
        let task = _PrefetchTask(reader: reader)
        queue.async {
            let outcome = Result { () throws(CorpusError) in
                try CorpusReader.parseBlock(of: task.reader, maximumBytes: maximumBytes, parser: parser, options: options)
            }
            self.result = outcome
            self.done.leave()
        }
    }

    /// The block (`nil` at the end of the file), once it is ready.
    ///
    /// - Throws: The ``CorpusError`` reading the block threw.
    func wait() throws(CorpusError) -> _ParsedBlock? {
        done.wait()
        // Handed over, not shared: the block's outcomes are moved out one by one, which a
        // second reference to their arrays would turn into copies.
        let block = result
        result = .success(nil)
        return try block.get()
    }
}

/// The line reader handed to a prefetch task.
private struct _PrefetchTask: @unchecked Sendable {
    // SAFETY: see ``_BlockPrefetch``: one user at a time.
    let reader: LineReader
}

extension JSONRecordParser.Failure {
    /// The corpus reader's name for this failure.
    public var corpusReason: CorpusError.Reason {
        switch self {
        case .syntax(let message): .malformedJSON(message)
        case .wrongType(let field, let expected): .wrongType(field: field, expected: expected)
        case .duplicateField(let field): .duplicateField(field)
        case .invalidID(let why): .invalidID(why)
        }
    }
}

/// One document as read, with what tools need to echo it: the id as the input wrote it, and
/// where it came from.
public struct CorpusRecord: Sendable, Hashable {
    /// The document (its ``Document/id`` is ``id``'s text).
    public var document: Document
    /// The id as written: a JSON string, or a JSON number's literal text.
    public var id: DocumentID
    /// The file, or `-` for standard input.
    public var path: String
    /// The 1-based line for JSON Lines input; `nil` for a whole `.txt` file.
    public var line: Int?
    /// The input line exactly as read (without its line ending), when
    /// ``CorpusOptions/keepsSourceLines`` asked for it; `nil` for `.txt` documents and otherwise.
    public var sourceLine: [UInt8]?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - document: The document.
    ///   - id: Its id as written.
    ///   - path: Its file.
    ///   - line: Its line, for JSON Lines.
    public init(document: Document, id: DocumentID, path: String, line: Int?) {
        self.document = document
        self.id = id
        self.path = path
        self.line = line
    }
}

/// A corpus read into memory: its documents in input order and what was rejected.
public struct Corpus: Sendable {
    /// The documents, in input order.
    public var documents: [Document]
    /// The rejected documents' errors (empty unless the `skip` policy was used).
    public var rejected: [CorpusError]

    /// Creates a corpus.
    ///
    /// - Parameters:
    ///   - documents: The documents, in input order.
    ///   - rejected: The rejected documents' errors.
    public init(documents: [Document], rejected: [CorpusError] = []) {
        self.documents = documents
        self.rejected = rejected
    }

    /// Every document the input held: read plus rejected.
    public var inputCount: Int { documents.count + rejected.count }
}
