import Foundation

/// Reads a whole file, with the system's message on failure.
func _readWholeFile(_ path: String) throws(CorpusError) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw CorpusError(path: path, line: nil, reason: .unreadable(String(cString: strerror(errno))))
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if read > 0 { bytes.append(contentsOf: chunk[0..<read]) }
        if read < chunk.count {
            if ferror(file) != 0 {
                throw CorpusError(path: path, line: nil, reason: .unreadable(String(cString: strerror(errno))))
            }
            return bytes
        }
    }
}

/// Streams the lines of a file (or standard input) without loading it whole.
///
/// Lines end at `\n`; a trailing `\r` is dropped. Each line is handed out as a buffer that stays
/// valid until the next call.
final class _LineReader {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0

    init(path: String) throws(CorpusError) {
        self.path = path
        if path == "-" {
            guard let standardInput = fdopen(STDIN_FILENO, "rb") else {
                throw CorpusError(path: path, line: nil, reason: .unreadable(String(cString: strerror(errno))))
            }
            file = standardInput
            ownsFile = false
        } else {
            guard let opened = fopen(path, "rb") else {
                throw CorpusError(path: path, line: nil, reason: .unreadable(String(cString: strerror(errno))))
            }
            file = opened
            ownsFile = true
        }
        buffer = [UInt8](repeating: 0, count: 1 << 20)
    }

    deinit {
        if ownsFile { fclose(file) }
    }

    /// Calls `body` with the next line, or returns `nil` at the end of the input.
    func nextLine<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        while true {
            let found = buffer.withUnsafeBytes { raw in
                memchr(raw.baseAddress! + start, 0x0A, end - start).map { UnsafeRawPointer($0) - raw.baseAddress! }
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
        let read = buffer.withUnsafeMutableBytes { raw in
            fread(raw.baseAddress! + end, 1, raw.count - end, file)
        }
        end += read
        if read == 0 {
            if ferror(file) != 0 {
                throw CorpusError(path: path, line: lineNumber + 1, reason: .unreadable(String(cString: strerror(errno))))
            }
            atEnd = true
        }
    }
}
