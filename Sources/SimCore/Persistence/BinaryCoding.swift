#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SimCoreInternals

/// Appends little-endian integers and integer arrays to a byte buffer, which it keeps whole
/// (``bytes``), or hands to a drain a mebibyte at a time (a file written as it is produced), or
/// only counts (a payload's length, known before the header that holds it is written).
struct _BinaryWriter {
    /// The bytes written and not yet drained: every byte, for a writer without a drain.
    private(set) var bytes: [UInt8] = []
    /// Every byte written so far, drained, counted or kept.
    private(set) var byteCount = 0
    /// Whether bytes are only counted.
    private let countsOnly: Bool
    /// Where bytes go once a mebibyte is buffered, if anywhere.
    private let drain: ((UnsafeRawBufferPointer) -> Void)?

    /// Bytes buffered before they are drained.
    private static let drainSize = 1 << 20

    /// A writer that keeps every byte in ``bytes``.
    init() {
        countsOnly = false
        drain = nil
    }

    private init(countsOnly: Bool, drain: ((UnsafeRawBufferPointer) -> Void)?) {
        self.countsOnly = countsOnly
        self.drain = drain
    }

    /// A writer that only counts the bytes written (``byteCount``) and keeps none.
    static var counting: _BinaryWriter { _BinaryWriter(countsOnly: true, drain: nil) }

    /// A writer that hands its bytes to `drain` in order, a mebibyte or more at a time, and the
    /// rest at ``flush()``.
    static func draining(into drain: @escaping (UnsafeRawBufferPointer) -> Void) -> _BinaryWriter {
        _BinaryWriter(countsOnly: false, drain: drain)
    }

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { append(bytes: $0) }
    }

    /// Writes the count, then the values.
    mutating func write<T: FixedWidthInteger>(array: [T]) {
        write(UInt64(array.count))
        array.withUnsafeBufferPointer { append(values: $0) }
    }

    /// Writes the values, without a count (``write(array:)`` in parts: the count first, then
    /// each part).
    mutating func append<T: FixedWidthInteger>(values: UnsafeBufferPointer<T>) {
        #if _endian(little)
        append(bytes: UnsafeRawBufferPointer(values))
        #else
        for value in values { write(value) }
        #endif
    }

    /// Writes `count` values, value `i` given by `value(i)`, converted a block at a time: an
    /// array of another type written without a converted copy of it.
    mutating func append<T: FixedWidthInteger>(count: Int, _ value: (Int) -> T) {
        append(T.self) { put in
            for index in 0..<count { put(value(index)) }
        }
    }

    /// Writes the values `produce` hands to its `put`, in order, converted a block at a time
    /// (values made as something else is walked, with no array of them).
    mutating func append<T: FixedWidthInteger>(_: T.Type = T.self, produce: (_ put: (T) -> Void) -> Void) {
        let block = 4_096
        withUnsafeTemporaryAllocation(of: T.self, capacity: block) { buffer in
            var used = 0
            produce { value in
                // SAFETY: used < block before the store; a full buffer is written and emptied.
                (buffer.baseAddress! + used).initialize(to: value)
                used += 1
                if used == block {
                    append(values: UnsafeBufferPointer(buffer))
                    used = 0
                }
            }
            append(values: UnsafeBufferPointer(rebasing: buffer[0..<used]))
        }
    }

    /// Whether the writer only counts (``counting``): a part whose size is known may then be
    /// counted with ``count(bytes:)`` instead of produced.
    var isCounting: Bool { countsOnly }

    /// Counts `count` bytes without writing them (a counting writer only).
    mutating func count(bytes count: Int) {
        precondition(countsOnly && count >= 0, "only a counting writer skips bytes")
        byteCount += count
    }

    /// Writes raw bytes.
    mutating func append(bytes raw: UnsafeRawBufferPointer) {
        byteCount += raw.count
        guard !countsOnly else { return }
        guard let drain else {
            bytes.append(contentsOf: raw)
            return
        }
        if raw.count >= Self.drainSize {
            // A large piece goes straight to the drain, after what is buffered.
            flush()
            drain(raw)
            return
        }
        bytes.append(contentsOf: raw)
        if bytes.count >= Self.drainSize { flush() }
    }

    /// Hands the buffered bytes to the drain (nothing without one).
    mutating func flush() {
        guard let drain, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes(drain)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Reads what ``_BinaryWriter`` wrote, refusing to read past the end.
struct _BinaryReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else { throw IndexFileError.corrupt("field past the end at byte \(offset)") }
        var value = T.zero
        // SAFETY: `size` bytes are available at `offset` (checked above); loadUnaligned copies them.
        value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    /// Reads a 64-bit count or parameter and converts it to `Int` only once it is known to lie
    /// in `range` (a damaged or edited file may hold any 64-bit value there).
    ///
    /// - Parameters:
    ///   - range: The values a well-formed file can hold (non-negative bounds).
    ///   - what: The field's name, for the error.
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the field and the value.
    mutating func readInt(in range: ClosedRange<Int>, _ what: String) throws -> Int {
        precondition(range.lowerBound >= 0)
        let value = try read(UInt64.self)
        guard value >= UInt64(range.lowerBound), value <= UInt64(range.upperBound) else {
            throw IndexFileError.corrupt("\(what) \(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(value)
    }

    /// Reads a count, then that many values; `limit` bounds the count before any allocation.
    mutating func readArray<T: FixedWidthInteger>(_: T.Type = T.self, limit: Int) throws -> [T] {
        let values = try readValues(T.self, limit: limit)
        return [T](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            values.copy(0..<values.count, to: buffer)
            initialized = values.count
        }
    }

    /// Reads a count, then that many values in place: a view of the bytes, copied only as
    /// they are used (a state file's signature rows, a gigabyte at a million documents, are
    /// read a batch at a time). `limit` bounds the count.
    mutating func readValues<T: FixedWidthInteger>(_: T.Type = T.self, limit: Int) throws -> _LittleEndianValues<T> {
        let count = try read(UInt64.self)
        let size = MemoryLayout<T>.size
        guard count <= UInt64(Swift.max(0, limit)), Int(count) <= (bytes.count - offset) / size else {
            throw IndexFileError.corrupt("array of \(count) values does not fit at byte \(offset)")
        }
        let values = _LittleEndianValues<T>(bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(count) * size]))
        offset += Int(count) * size
        return values
    }
}

/// Little-endian values of `T` in a file's bytes, at any alignment, read in place.
// SAFETY: a read-only view, Sendable because its users keep the bytes mapped and unchanged
// while any thread reads them (a state file being loaded).
struct _LittleEndianValues<T: FixedWidthInteger>: @unchecked Sendable {
    /// The values' bytes (a whole number of values).
    let bytes: UnsafeRawBufferPointer

    /// The number of values.
    var count: Int { bytes.count / MemoryLayout<T>.size }

    /// Value `index` (below ``count``).
    subscript(index: Int) -> T {
        precondition(index >= 0 && index < count, "a value inside the section")
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
    }

    /// Copies values `range` (inside `0..<count`) to the start of `target`, which has room
    /// for them.
    func copy(_ range: Range<Int>, to target: UnsafeMutableBufferPointer<T>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "values inside the section")
        precondition(range.count <= target.count, "room for the values")
        guard !range.isEmpty, let target = target.baseAddress else { return }
        let size = MemoryLayout<T>.size
        // SAFETY: the range lies inside `bytes` and the target has room for it (both checked
        // above); the copy is byte-wise, so alignment does not matter.
        UnsafeMutableRawPointer(target).copyMemory(from: bytes.baseAddress! + range.lowerBound * size, byteCount: range.count * size)
        #if !_endian(little)
        for index in 0..<range.count { target[index] = T(littleEndian: target[index]) }
        #endif
    }
}

/// Where a loader reads an index file from: a file (memory-mapped), or the file's bytes already
/// in memory (the index-file fuzz target and the damage matrix load thousands of variants so,
/// with no file written or mapped for each). Both go through the same checks.
package enum IndexFileSource: Sendable {
    /// The file at a path.
    case path(String)
    /// A file's bytes, and the name messages give it.
    case bytes([UInt8], name: String)

    /// The path, or the name given to the bytes.
    package var name: String {
        switch self {
        case .path(let path): path
        case .bytes(_, let name): name
        }
    }
}

/// The envelope every SimCore index file shares:
/// `magic (8) | version u32 | reserved u32 | payload length u64 | payload | XXH3-64 u64`,
/// little-endian, the checksum covering every byte before it.
enum _IndexFile {
    static let headerSize = 24

    /// Writes `payload` in the envelope to `path` atomically: a temporary file in the same
    /// directory, flushed to disk, renamed over `path`, and the directory flushed
    /// (``AtomicFile``).
    static func write(payload: [UInt8], magic: [UInt8], version: UInt32, to path: String) throws(IndexFileError) {
        try write(to: path, magic: magic, version: version) { writer in payload.withUnsafeBytes { writer.append(bytes: $0) } }
    }

    /// Writes the payload that `payload` produces in the envelope to `path` atomically, as
    /// ``_IndexFileWriter`` does (`payload` runs twice, and must write the same bytes both times).
    static func write(
        to path: String, magic: [UInt8], version: UInt32, payload: (inout _BinaryWriter) -> Void
    ) throws(IndexFileError) {
        let file = try _IndexFileWriter(path: path, magic: magic, version: version)
        file.write(payload: payload)
        try file.commit()
    }

    /// Maps `path`, checks the envelope, and calls `body` with the payload's bytes.
    static func read<R>(
        from path: String, magic: [UInt8], version: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        try read(from: .path(path), magic: magic, versions: version...version) { payload, _ in try body(payload) }
    }

    /// Maps the file of `source` (or takes its bytes), checks the envelope, and calls `body`
    /// with the payload's bytes and the file's format version, one of `versions` (a newer reader
    /// that still reads older files).
    ///
    /// - Parameter verifyingChecksum: Whether the checksum is checked (reading every byte of
    ///   the file); a reader of the first fields alone, whose loader checks it later, passes
    ///   `false` and touches only the pages it reads.
    static func read<R>(
        from source: IndexFileSource, magic: [UInt8], versions: ClosedRange<UInt32>, verifyingChecksum: Bool = true,
        _ body: (UnsafeRawBufferPointer, UInt32) throws -> R
    ) throws -> R {
        switch source {
        case .path(let path):
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            } catch {
                throw IndexFileError.io(path: path, reason: describeFileError(error))
            }
            return try data.withUnsafeBytes {
                try read(file: $0, name: path, magic: magic, versions: versions, verifyingChecksum: verifyingChecksum, body)
            }
        case .bytes(let bytes, let name):
            return try bytes.withUnsafeBytes {
                try read(file: $0, name: name, magic: magic, versions: versions, verifyingChecksum: verifyingChecksum, body)
            }
        }
    }

    /// Checks the envelope of `file` (named `name` in messages) and calls `body` with its
    /// payload and format version.
    private static func read<R>(
        file: UnsafeRawBufferPointer, name path: String, magic: [UInt8], versions: ClosedRange<UInt32>, verifyingChecksum: Bool,
        _ body: (UnsafeRawBufferPointer, UInt32) throws -> R
    ) throws -> R {
        guard file.count >= 8, Array(file[0..<8]) == magic else { throw IndexFileError.notAnIndexFile(path: path) }
        guard file.count >= headerSize + 8 else { throw IndexFileError.truncated(expectedBytes: headerSize + 8, actualBytes: file.count) }
        var header = _BinaryReader(bytes: file, offset: 8)
        let found = try header.read(UInt32.self)
        // The version comes first: a newer format may frame its payload differently, and its
        // reader deserves a message that says so rather than "checksum mismatch".
        guard versions.contains(found) else {
            throw IndexFileError.unsupportedVersion(found: found, supported: versions.upperBound)
        }
        _ = try header.read(UInt32.self)
        let payloadLength = try header.read(UInt64.self)
        guard payloadLength <= UInt64(Int.max / 2) else { throw IndexFileError.corrupt("payload length \(payloadLength)") }
        let expected = headerSize + Int(payloadLength) + 8
        guard file.count >= expected else { throw IndexFileError.truncated(expectedBytes: expected, actualBytes: file.count) }
        guard file.count == expected else { throw IndexFileError.corrupt("\(file.count - expected) bytes after the checksum") }
        let stored = file.loadUnaligned(fromByteOffset: expected - 8, as: UInt64.self).littleEndian
        guard !verifyingChecksum || XXH3.hash64(UnsafeRawBufferPointer(rebasing: file[0..<expected - 8]), seed: 0) == stored else {
            throw IndexFileError.checksumMismatch
        }
        return try body(UnsafeRawBufferPointer(rebasing: file[headerSize..<expected - 8]), found)
    }
}

/// An index file (``_IndexFile``'s envelope) written as its payload is produced, so that a
/// state of a gigabyte is never held in memory: the payload is produced twice, first only
/// counted (the header holds its length, and the checksum covers the header), then written
/// through a mebibyte buffer to a temporary file beside `path` while its XXH3-64 is computed.
/// ``commit()`` appends nothing more: it checks the writes, flushes the file to disk and
/// renames it into place (``AtomicFile/Pending``).
///
/// ```swift
/// let file = try _IndexFileWriter(path: path, magic: magic, version: 4)
/// lock.withLock { file.write { writer in writer.write(UInt64(count)) } }   // state held still
/// try file.commit()                                                        // fsync, rename
/// ```
final class _IndexFileWriter {
    /// The temporary file.
    private let pending: AtomicFile.Pending
    private let magic: [UInt8]
    private let version: UInt32
    /// The first write's failure, reported by ``commit()``.
    private var failure: String?
    /// Whether ``write(payload:)`` ran.
    private var written = false

    /// Creates the temporary file for `path`.
    ///
    /// - Throws: ``IndexFileError/io(path:reason:)`` when it cannot be created.
    init(path: String, magic: [UInt8], version: UInt32) throws(IndexFileError) {
        precondition(magic.count == 8)
        do {
            pending = try AtomicFile.Pending(finalPath: path)
        } catch {
            throw IndexFileError.io(path: path, reason: error.reason)
        }
        self.magic = magic
        self.version = version
    }

    /// Writes the envelope around the payload `payload` produces: called once to count the
    /// payload's bytes and once to write them, it must write the same bytes both times (hold
    /// still whatever it reads). A write that fails is reported by ``commit()``.
    ///
    /// - Parameters:
    ///   - progress: Receives (bytes written, file size): (0, size) first, then as each piece
    ///     is written, (size, size) last.
    ///   - payload: Writes the payload.
    func write(progress: ((Int, Int) -> Void)? = nil, payload: (inout _BinaryWriter) -> Void) {
        precondition(!written, "a file's payload is written once")
        written = true
        var counter = _BinaryWriter.counting
        payload(&counter)
        let size = _IndexFile.headerSize + counter.byteCount + 8
        progress?(0, size)
        let checksum = _XXH3Stream()
        var bytesDone = 0
        var writer = _BinaryWriter.draining { [self] piece in
            // After a failed write the rest is produced (under the caller's locks) but not hashed.
            guard failure == nil else { return }
            checksum.update(piece)
            put(piece)
            bytesDone += piece.count
            progress?(bytesDone, size)
        }
        magic.withUnsafeBytes { writer.append(bytes: $0) }
        writer.write(version)
        writer.write(UInt32(0))
        writer.write(UInt64(counter.byteCount))
        payload(&writer)
        precondition(writer.byteCount == _IndexFile.headerSize + counter.byteCount, "the payload written as it was counted")
        writer.flush()
        // The checksum covers every byte before it.
        withUnsafeBytes(of: checksum.digest.littleEndian) { put($0) }
        if failure == nil { progress?(size, size) }
    }

    /// Writes `piece` to the temporary file, unless a write failed before (kept for ``commit()``).
    private func put(_ piece: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        do {
            _ = try pending.descriptor.writeAll(piece)
        } catch {
            failure = "\(error)"
        }
    }

    /// Puts the file in place: flushed to disk, renamed over the path, the directory flushed.
    ///
    /// - Throws: ``IndexFileError/io(path:reason:)`` for a write that failed (the path keeps its
    ///   old contents, and the temporary file is removed).
    func commit() throws(IndexFileError) {
        precondition(written, "a file is committed after its payload is written")
        if let failure {
            pending.discard()
            throw IndexFileError.io(path: pending.path, reason: failure)
        }
        do {
            try pending.commit()
        } catch {
            throw IndexFileError.io(path: pending.path, reason: error.reason)
        }
    }
}
