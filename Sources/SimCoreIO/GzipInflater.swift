internal import CZlib
import SystemPackage

/// Inflates gzip data read from a file descriptor (or memory), for ``LineReader``: concatenated members (as
/// `gzip` of several files, `pigz` and bgzip write them) read as one stream, each member's CRC-32
/// and length checked by zlib.
///
/// A truncated stream or corrupt data throws ``CorpusError`` (`unreadable`) naming the path; it is
/// never taken for the end of the input.
final class GzipInflater {
    private let source: _ByteSource
    private let path: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var fileAtEnd = false
    /// Whether the last member ended and no byte of a next one has been inflated.
    private var atMemberEnd = false
    /// Compressed bytes read from the file so far (for progress).
    private(set) var compressedBytesRead = 0

    /// Starts inflating `source`, whose first bytes (`pending`, at least the gzip magic) were
    /// already read.
    ///
    /// - Throws: ``CorpusError`` when zlib cannot start.
    init(source: _ByteSource, path: String, pending: UnsafeRawBufferPointer) throws(CorpusError) {
        self.source = source
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: 1 << 18, alignment: 16)
        precondition(pending.count <= input.count)
        input.copyMemory(from: pending)
        compressedBytesRead = pending.count
        // SAFETY: next_in points into `input`, which lives as long as the stream.
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(pending.count)
        guard simcore_inflate_init_gzip(stream) == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw CorpusError(path: path, line: nil, reason: .unreadable("zlib could not start inflating"))
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    /// Inflates into `output`; returns the bytes written, 0 only at the end of the last member.
    ///
    /// - Parameter output: At least one byte of room.
    /// - Throws: ``CorpusError`` for a read error, corrupt data or a truncated stream.
    func read(into output: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
        precondition(output.count > 0)
        while true {
            if stream.pointee.avail_in == 0 && !fileAtEnd { try refill() }
            if stream.pointee.avail_in == 0 && fileAtEnd {
                if atMemberEnd { return 0 }
                throw CorpusError(path: path, line: nil, reason: .unreadable("truncated gzip data (the stream ends inside a member)"))
            }
            if atMemberEnd {
                inflateReset(stream)
                atMemberEnd = false
            }
            // SAFETY: next_out points into the caller's buffer only during this call.
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(Swift.min(output.count, Int(UInt32.max)))
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = Swift.min(output.count, Int(UInt32.max)) - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                atMemberEnd = true
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw CorpusError(path: path, line: nil, reason: .unreadable("corrupt gzip data: \(message)"))
            }
            if produced > 0 { return produced }
        }
    }

    private func refill() throws(CorpusError) {
        let read: Int
        do {
            read = try source.read(into: input)
        } catch {
            throw CorpusError(path: path, line: nil, reason: .unreadable("\(error)"))
        }
        compressedBytesRead += read
        if read == 0 { fileAtEnd = true }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(read)
    }
}
