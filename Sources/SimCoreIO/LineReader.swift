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
    private let file: FileDescriptor
    private let ownsFile: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false
    private var checkedByteOrderMark = false

    /// Opens `path` for reading.
    ///
    /// - Parameter path: A file, or `-` for standard input.
    /// - Throws: ``CorpusError`` with ``CorpusError/Reason/unreadable(_:)`` when it cannot be
    ///   opened.
    public init(path: String) throws(CorpusError) {
        self.path = path
        var capacity = 1 << 20
        if path == "-" {
            file = .standardInput
            ownsFile = false
        } else {
            do {
                file = try FileDescriptor.open(FilePath(path), .readOnly)
            } catch {
                throw CorpusError(path: path, line: nil, reason: .unreadable("\(error)"))
            }
            ownsFile = true
            // A regular file smaller than the buffer gets a buffer its size (and one byte more,
            // so that the read that finds its end needs no room): reading many small files
            // then costs no 1 MiB allocation each. A pipe seeks with an error, and a directory
            // may claim any size (Int64.max on some file systems): both keep the 1 MiB.
            if let size = try? file.seek(offset: 0, from: .end), (try? file.seek(offset: 0, from: .start)) == 0,
               size >= 0, size < Int64(capacity) {
                capacity = Swift.max(4_096, Int(size) + 1)
            }
        }
        buffer = [UInt8](repeating: 0, count: capacity)
    }

    deinit {
        if ownsFile { try? file.close() }
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

    /// Moves the partial line to the front, grows the buffer if one line fills it, and reads more.
    private func refill() throws(CorpusError) {
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
        if end == buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        let read: Int
        do {
            read = try buffer.withUnsafeMutableBytes { raw in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]), retryOnInterrupt: true)
            }
        } catch {
            throw CorpusError(path: path, line: lineNumber + 1, reason: .unreadable("\(error)"))
        }
        end += read
        if read == 0 { atEnd = true }
        if !checkedByteOrderMark && (end >= 3 || atEnd) {
            checkedByteOrderMark = true
            if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
        }
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
