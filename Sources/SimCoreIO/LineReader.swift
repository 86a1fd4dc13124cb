import SimCoreInternals
import SystemPackage

/// Streams the lines of a file, or of standard input (`-`), without loading it whole: the one
/// line reader every SimCore tool reads JSON Lines with.
///
/// - Lines end at `\n`; a `\r` before it is dropped (CRLF files read like LF files).
/// - A UTF-8 byte-order mark at the very start of the input is skipped.
/// - Lines may be of any length: the buffer (1 MiB to begin with, or the size of a smaller
///   file) grows to the longest line.
/// - A read error (a directory, a device error) throws ``CorpusError`` naming the path and the
///   line; it is never taken for the end of the input.
/// - gzip-compressed input (recognized by its magic bytes `1f 8b`, whatever the name, standard
///   input included) is inflated as it is read, through zlib; concatenated members read as one
///   stream, and corrupt or truncated data throws.
///
/// The same reader runs over bytes already in memory (``init(bytes:path:)``, package access): one
/// thread, no file, every rule above the same (the JSON Lines fuzz target reads its inputs so).
///
/// ```swift
/// let lines = try LineReader(path: "corpus.jsonl")
/// while let length = try lines.nextLine({ $0.count }) { print(lines.lineNumber, length) }
/// ```
public final class LineReader {
    /// The path as given (`-` for standard input).
    public let path: String
    /// The 1-based number of the line last returned (0 before the first).
    public private(set) var lineNumber = 0
    private let source: _ByteSource
    /// The input's size when it is known before reading (a regular file, bytes in memory): no
    /// block needs a buffer larger than what is left of it.
    private let knownSize: Int?
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false
    private var checkedByteOrderMark = false
    /// Whether the first bytes were checked for the gzip magic.
    private var checkedCompression = false
    private var inflater: GzipInflater?
    private var rawBytesRead = 0

    /// Bytes read from the file or standard input so far (compressed bytes for gzip input): how
    /// far a progress display has come through the input's size on disk.
    public var sourceBytesRead: Int { inflater?.compressedBytesRead ?? rawBytesRead }

    /// Whether the input is gzip-compressed (known once the first line was asked for).
    public var isCompressed: Bool { inflater != nil }

    /// Opens `path` for reading.
    ///
    /// - Parameter path: A file, or `-` for standard input.
    /// - Throws: ``CorpusError`` with ``CorpusError/Reason/unreadable(_:)`` when it cannot be
    ///   opened.
    public init(path: String) throws(CorpusError) {
        self.path = path
        var capacity = 1 << 20
        var knownSize: Int?
        if path == "-" {
            source = .file(.standardInput, owned: false)
        } else {
            let file: FileDescriptor
            do {
                file = try FileDescriptor.open(FilePath(path), .readOnly)
            } catch {
                throw CorpusError(path: path, line: nil, reason: .unreadable("\(error)"))
            }
            source = .file(file, owned: true)
            // A regular file smaller than the buffer gets a buffer its size (and one byte more,
            // so that the read that finds its end needs no room): reading many small files
            // then costs no 1 MiB allocation each. A pipe seeks with an error, and a directory
            // may claim any size (Int64.max on some file systems): both keep the 1 MiB.
            if let size = try? file.seek(offset: 0, from: .end), (try? file.seek(offset: 0, from: .start)) == 0,
               size >= 0, size < Int64(capacity) {
                capacity = Swift.max(4_096, Int(size) + 1)
                knownSize = Int(size)
            }
        }
        self.knownSize = knownSize
        buffer = [UInt8](repeating: 0, count: capacity)
    }

    /// Reads the lines of `bytes` as if they were a file's contents (a byte-order mark skipped,
    /// CRLF read as LF, gzip data inflated), on the calling thread, with no file opened.
    ///
    /// ```swift
    /// let lines = LineReader(bytes: Array("a\r\nb".utf8), path: "memory")
    /// try lines.nextLine { String(decoding: $0, as: UTF8.self) }   // "a"
    /// ```
    ///
    /// - Parameters:
    ///   - bytes: The input.
    ///   - path: The name messages give it.
    /// - Complexity: O(1); reading copies each byte once into the line buffer, as from a file.
    package init(bytes: [UInt8], path: String) {
        self.path = path
        source = .memory(_MemoryBytes(bytes))
        knownSize = bytes.count
        buffer = [UInt8](repeating: 0, count: Swift.max(64, bytes.count + 1))
    }

    deinit {
        if case .file(let file, owned: true) = source { try? file.close() }
    }

    /// Calls `body` with the next line (valid only inside `body`), or returns `nil` at the end.
    ///
    /// - Parameter body: Receives the line's bytes without its line ending.
    /// - Returns: What `body` returns, or `nil` after the last line.
    /// - Throws: ``CorpusError`` for a read error; what `body` throws.
    public func nextLine<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        while true {
            let found = buffer.withUnsafeBytes { raw in
                Platform.firstIndex(of: 0x0A, in: UnsafeRawBufferPointer(rebasing: raw[start..<end])).map { start + $0 }
            }
            if let newline = found {
                let lineStart = start
                start = newline + 1
                lineNumber += 1
                let lineEnd = newline > lineStart && buffer[newline - 1] == 0x0D ? newline - 1 : newline
                return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
            }
            if atEnd {
                guard start < end else { return nil }
                let lineStart = start
                start = end
                lineNumber += 1
                let lineEnd = buffer[end - 1] == 0x0D ? end - 1 : end
                return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
            }
            try refill()
        }
    }

    /// Calls `body` with a block of whole lines: at least one line, and no more lines once the
    /// block holds `maximumBytes` (a single line longer than that comes alone). Parallel readers
    /// split the block among threads; the block is valid only inside `body`.
    ///
    /// The input is read into a buffer of at least `maximumBytes` while a read would not block
    /// (`poll`), and otherwise only when no whole line is buffered: a regular file gives blocks of
    /// about `maximumBytes`, a busy pipe too, and a writer that waits for each answer gets it
    /// without waiting for a block.
    ///
    /// Blank lines are included (so line numbers stay consecutive); each range excludes its line
    /// ending (`\n`, or `\r\n`). Line ``lineNumber`` + 1 is the block's first when `body` runs;
    /// afterwards ``lineNumber`` is the block's last.
    ///
    /// ```swift
    /// let lines = try LineReader(path: "corpus.jsonl")
    /// while let count = try lines.nextLines(maximumBytes: 1 << 22, { _, ranges, _ in ranges.count }) { print(count) }
    /// ```
    ///
    /// - Parameters:
    ///   - maximumBytes: How many bytes of lines a block may start within (at least 1).
    ///   - body: Receives the block, the byte range of each line in it, and the 1-based number of
    ///     its first line.
    /// - Returns: What `body` returns, or `nil` after the last line.
    /// - Throws: ``CorpusError`` for a read error.
    /// - Complexity: O(block bytes) to find the line ends (`memchr`), plus `body`.
    public func nextLines<R>(
        maximumBytes: Int, _ body: (UnsafeRawBufferPointer, [Range<Int>], Int) -> R
    ) throws(CorpusError) -> R? {
        precondition(maximumBytes > 0, "maximumBytes must be positive")
        var lineRanges: [Range<Int>] = []
        while true {
            // Gather up to a block while reading cannot block (a file always; a pipe while data is
            // waiting), so that the parallel parser gets whole blocks from pipes too.
            // A small file or a buffer in memory needs no block-sized buffer (gzip data may
            // inflate to any size: its known size is the compressed one).
            let blockCapacity = inflater == nil ? knownSize.map { Swift.min(maximumBytes, $0 + 1) } ?? maximumBytes : maximumBytes
            while !atEnd && end - start < maximumBytes && source.isReadable {
                try refill(minimumCapacity: blockCapacity)
            }
            lineRanges.removeAll(keepingCapacity: true)
            var position = start
            let limit = start + maximumBytes
            buffer.withUnsafeBytes { raw in
                while position < end && position < limit {
                    let newline = Platform.firstIndex(of: 0x0A, in: UnsafeRawBufferPointer(rebasing: raw[position..<end]))
                    let lineEnd: Int
                    if let newline {
                        lineEnd = position + newline
                    } else if atEnd {
                        lineEnd = end
                    } else {
                        break
                    }
                    let contentEnd = lineEnd > position && raw[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
                    lineRanges.append(position - start..<contentEnd - start)
                    position = Swift.min(lineEnd + 1, end)
                }
            }
            if lineRanges.isEmpty {
                if atEnd && start >= end { return nil }
                // No whole line is buffered: wait for more (the buffer grows when one line fills it).
                try refill(minimumCapacity: blockCapacity)
                continue
            }
            let firstLine = lineNumber + 1
            let blockStart = start
            start = position
            lineNumber += lineRanges.count
            return buffer.withUnsafeBytes { raw in
                body(UnsafeRawBufferPointer(rebasing: raw[blockStart..<position]), lineRanges, firstLine)
            }
        }
    }

    /// Moves the partial line to the front, grows the buffer to `minimumCapacity` or when one line
    /// fills it, and reads more.
    private func refill(minimumCapacity: Int = 0) throws(CorpusError) {
        if start > 0 {
            let pending = end - start
            if pending > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: pending)
                }
            }
            start = 0
            end = pending
        }
        if end == buffer.count || buffer.count < minimumCapacity {
            // One zeroed array appended, not `repeatElement`: a debug build appends a repeated
            // element one byte at a time (12 s for 32 MB, the 100 MB document test's whole cost).
            buffer.append(contentsOf: [UInt8](repeating: 0, count: Swift.max(buffer.count, minimumCapacity - buffer.count)))
        }
        if !checkedCompression { try detectCompression() }
        let read: Int
        do {
            read = try buffer.withUnsafeMutableBytes { raw in
                let room = UnsafeMutableRawBufferPointer(rebasing: raw[end...])
                if let inflater { return try inflater.read(into: room) }
                return try source.read(into: room)
            }
        } catch let error as CorpusError {
            throw CorpusError(path: path, line: lineNumber + 1, reason: error.reason)
        } catch {
            throw CorpusError(path: path, line: lineNumber + 1, reason: .unreadable("\(error)"))
        }
        if inflater == nil { rawBytesRead += read }
        end += read
        if read == 0 { atEnd = true }
        if !checkedByteOrderMark && (end >= 3 || atEnd) {
            checkedByteOrderMark = true
            if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
        }
    }
}

extension LineReader {
    /// Reads the input's first bytes; when they are gzip's magic, hands them to a ``GzipInflater``
    /// that every later read goes through. Runs once, before the first line is read.
    fileprivate func detectCompression() throws(CorpusError) {
        checkedCompression = true
        var head = [UInt8](repeating: 0, count: 2)
        var count = 0
        do {
            while count < 2 {
                let read = try head.withUnsafeMutableBytes { raw in
                    try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[count...]))
                }
                if read == 0 { break }
                count += read
            }
        } catch {
            throw CorpusError(path: path, line: 1, reason: .unreadable("\(error)"))
        }
        if count == 2 && head[0] == 0x1F && head[1] == 0x8B {
            let started = head.withUnsafeBytes { pending in
                Result { () throws(CorpusError) -> GzipInflater in try GzipInflater(source: source, path: path, pending: pending) }
            }
            inflater = try started.get()
            return
        }
        // Not compressed: the bytes read are the input's first (the buffer is empty here).
        rawBytesRead += count
        buffer.replaceSubrange(0..<count, with: head[0..<count])
        end = count
    }
}

/// Where a ``LineReader`` (and its ``GzipInflater``) reads from: a file descriptor (closed with
/// the reader when it opened it), or bytes in memory.
enum _ByteSource {
    case file(FileDescriptor, owned: Bool)
    case memory(_MemoryBytes)

    /// Reads up to `room.count` bytes; 0 at the end.
    ///
    /// - Throws: The system's error for a file.
    func read(into room: UnsafeMutableRawBufferPointer) throws -> Int {
        switch self {
        case .file(let file, _): try file.read(into: room, retryOnInterrupt: true)
        case .memory(let bytes): bytes.read(into: room)
        }
    }

    /// Whether a read would return at once (`poll`): always for bytes in memory.
    var isReadable: Bool {
        switch self {
        case .file(let file, _): Platform.isReadable(file.rawValue)
        case .memory: true
        }
    }
}

/// Bytes in memory read front to back, for ``_ByteSource/memory(_:)``.
final class _MemoryBytes {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies the next bytes into `room`; returns how many (0 at the end).
    func read(into room: UnsafeMutableRawBufferPointer) -> Int {
        let count = Swift.min(room.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { room.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count])) }
        offset += count
        return count
    }
}

/// Reads whole files through swift-system: the `.txt` documents of a directory.
enum FileContents {
    /// The bytes of the file at `path`.
    ///
    /// - Parameter path: A regular file.
    /// - Returns: Its contents.
    /// - Throws: ``CorpusError`` with the system's message.
    static func read(_ path: String) throws(CorpusError) -> [UInt8] {
        do {
            let file = try FileDescriptor.open(FilePath(path), .readOnly)
            return try file.closeAfter {
                var bytes: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let read = try chunk.withUnsafeMutableBytes { try file.read(into: $0, retryOnInterrupt: true) }
                    if read == 0 { return bytes }
                    bytes.append(contentsOf: chunk[0..<read])
                }
            }
        } catch let error as Errno {
            throw CorpusError(path: path, line: nil, reason: .unreadable(error.description))
        } catch {
            throw CorpusError(path: path, line: nil, reason: .unreadable("\(error)"))
        }
    }
}
