import SimCommandLine
import SimCoreIO
import SimCoreInternals
import SystemPackage

/// `simdedup dedupe --keep PATH`: the kept records, written back as the input had them.
///
/// Which records are kept is known only when every document has been read (a cluster's
/// representative is its longest member), so each record's input line is spooled as it is read
/// to a temporary file beside `PATH` (unlinked at once: nothing is left behind, even after a
/// crash), with 8 bytes of offset per record in memory. At the end the kept lines are copied, in
/// input order, in one sequential pass over the spool into `PATH`, which appears (atomically)
/// only when complete.
///
/// A JSON Lines record is written exactly as it was read (every field, escapes and spacing
/// intact; the line ending becomes `\n`). A `.txt` document becomes `{"id":"NAME","text":"…"}`.
///
/// ```swift
/// let spool = try KeptRecordSpool(besides: "kept.jsonl")
/// try spool.append(record)                      // for every record read
/// try spool.write(kept: [true, false], to: "kept.jsonl")
/// ```
final class KeptRecordSpool {
    private let file: FileDescriptor
    private let path: String
    /// The spool offset where each record starts, and one more: the end.
    private var offsets: [Int] = [0]
    private var buffer: [UInt8] = []
    private var line: [UInt8] = []

    /// Creates an (already unlinked) spool file in the directory of `keepPath`.
    ///
    /// - Parameter keepPath: Where the kept records will go.
    /// - Throws: ``CommandError`` (exit status 3) when the directory cannot take a file.
    init(besides keepPath: String) throws(CommandError) {
        let directory = FilePath(keepPath).removingLastComponent()
        let name = ".simdedup-keep-\(TemporaryNames.next()).spool"
        let spool = directory.isEmpty ? FilePath(name) : directory.appending(name)
        do {
            file = try FileDescriptor.open(spool, .readWrite, options: [.create, .exclusiveCreate], permissions: [.ownerReadWrite])
        } catch {
            throw CommandError("cannot write \(keepPath): cannot create a spool file in its directory: \(error)", status: .outputFailure)
        }
        path = keepPath
        _ = spool.withPlatformString { Platform.unlink($0) }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        try? file.close()
    }

    /// Spools one record's input line (or, for a `.txt` document, its JSON Lines form).
    ///
    /// - Parameter record: A record read with ``CorpusOptions/keepsSourceLines``.
    /// - Throws: ``CommandError`` (exit status 3) when the spool cannot be written.
    func append(_ record: CorpusRecord) throws(CommandError) {
        let before = buffer.count
        if let source = record.sourceLine {
            buffer.append(contentsOf: source)
        } else {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: #"{"id":"#.utf8)
            record.id.appendJSON(to: &line)
            line.append(contentsOf: #","text":""#.utf8)
            JSONText.appendEscaped(utf8: record.document.utf8, to: &line)
            line.append(contentsOf: #""}"#.utf8)
            buffer.append(contentsOf: line)
        }
        buffer.append(0x0A)
        offsets.append(offsets[offsets.count - 1] + buffer.count - before)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Records spooled.
    var count: Int { offsets.count - 1 }

    /// Writes the records whose flag is set to `path`, in spool order, atomically.
    ///
    /// - Parameters:
    ///   - kept: One flag per spooled record.
    ///   - path: The output file.
    /// - Returns: The number of records written.
    /// - Throws: ``CommandError`` (exit status 3) when the spool cannot be read back or the
    ///   output cannot be written.
    @discardableResult
    func write(kept: [Bool], to path: String) throws(CommandError) -> Int {
        precondition(kept.count == count, "one flag per record")
        try flush()
        let sink: OutputSink
        do {
            sink = try OutputSink.file(atomicallyAt: path)
        } catch {
            throw CommandError.output(error)
        }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var blockStart = 0
        var blockEnd = 0
        var written = 0
        do {
            for record in kept.indices where kept[record] {
                let range = offsets[record]..<offsets[record + 1]
                if range.count > block.count { block = [UInt8](repeating: 0, count: range.count) }
                if range.lowerBound < blockStart || range.upperBound > blockEnd {
                    blockStart = range.lowerBound
                    blockEnd = blockStart
                    let want = Swift.min(block.count, offsets[count] - blockStart)
                    while blockEnd - blockStart < want {
                        let read = try block.withUnsafeMutableBytes { raw in
                            try file.read(
                                fromAbsoluteOffset: Int64(blockEnd),
                                into: UnsafeMutableRawBufferPointer(rebasing: raw[(blockEnd - blockStart)..<want]),
                                retryOnInterrupt: true)
                        }
                        guard read > 0 else { throw Errno.ioError }
                        blockEnd += read
                    }
                }
                try sink.write(bytes: block[(range.lowerBound - blockStart)..<(range.upperBound - blockStart)])
                written += 1
            }
            try sink.close()
        } catch let error as OutputError {
            throw CommandError.output(error)
        } catch {
            throw CommandError("cannot write \(path): reading the spool back failed: \(error)", status: .outputFailure)
        }
        return written
    }

    private func flush() throws(CommandError) {
        guard !buffer.isEmpty else { return }
        do {
            _ = try buffer.withUnsafeBytes { try file.writeAll($0) }
        } catch {
            throw CommandError("cannot write \(path): the spool file beside it failed: \(error)", status: .outputFailure)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
