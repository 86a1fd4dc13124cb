import SimCoreInternals
import SystemPackage

/// A buffered byte sink, the one writer of SimCore's tools: a file descriptor (standard output
/// or error), a new file that appears under its name only when complete, or memory (for tests).
///
/// Bytes collect in a buffer that is written out once it passes 64 KiB and at ``flush()``, so a
/// command writes in large blocks whatever its line count. Every write is checked: a full disk,
/// a closed descriptor or a reader that went away (`EPIPE`) throws ``OutputError``, so no output
/// is lost silently.
///
/// A file sink (``file(atomicallyAt:)``) writes to a temporary file beside the final path;
/// ``close()`` flushes it to disk and renames it into place, and a sink dropped without
/// ``close()`` (after an error) removes the temporary file, so a partial file never stands
/// under the final name.
///
/// ```swift
/// let sink = OutputSink.memory()
/// try sink.write("hello\n")
/// sink.text   // "hello\n"
/// ```
public final class OutputSink {
    private var buffer: [UInt8] = []
    private let descriptor: FileDescriptor?
    private let name: String
    /// For file sinks: the temporary file until ``close()`` puts it in place; `nil` once closed.
    private var pendingFile: AtomicFile.Pending?
    private var captured: [UInt8] = []
    /// The first write error, kept so that later writes fail the same way.
    private var failure: OutputError?

    /// Creates a sink that writes to `fileDescriptor`.
    ///
    /// - Parameters:
    ///   - fileDescriptor: An open descriptor, e.g. 1 for standard output.
    ///   - name: How messages name it (default: `standard output` for 1, `standard error` for 2,
    ///     `descriptor N` otherwise).
    public init(fileDescriptor: Int32, name: String? = nil) {
        descriptor = FileDescriptor(rawValue: fileDescriptor)
        self.name = name ?? (fileDescriptor == 1 ? "standard output" : fileDescriptor == 2 ? "standard error" : "descriptor \(fileDescriptor)")
        buffer.reserveCapacity(1 << 17)
    }

    private init() {
        descriptor = nil
        name = "memory"
    }

    private init(pending: AtomicFile.Pending) {
        descriptor = pending.descriptor
        name = pending.path
        pendingFile = pending
        buffer.reserveCapacity(1 << 17)
    }

    /// A sink that writes a new file at `path`, which appears there (replacing any old one) only
    /// when ``close()`` succeeds: a temporary file beside it is written, flushed to disk, renamed
    /// into place and the directory flushed (`AtomicFile`). A sink dropped without ``close()``
    /// removes its temporary file, so a partial file never stands under the final name.
    ///
    /// - Parameter path: The file to create or replace.
    /// - Returns: The sink.
    /// - Throws: ``OutputError`` when the temporary file cannot be created (a missing directory,
    ///   no permission).
    public static func file(atomicallyAt path: String) throws(OutputError) -> OutputSink {
        do {
            return OutputSink(pending: try AtomicFile.Pending(finalPath: path))
        } catch {
            throw OutputError(destination: path, reason: error.reason)
        }
    }

    /// Finishes a file sink: flushes, syncs to disk and renames the file into place (nothing
    /// more than ``flush()`` for other sinks).
    ///
    /// - Throws: ``OutputError``; the final path then keeps its old contents.
    public func close() throws(OutputError) {
        do {
            try flush()
        } catch {
            pendingFile?.discard()
            pendingFile = nil
            throw error
        }
        guard let pendingFile else { return }
        self.pendingFile = nil
        do {
            try pendingFile.commit()
        } catch {
            throw OutputError(destination: name, reason: error.reason)
        }
    }

    /// A sink that keeps everything in memory; read it back with ``text``.
    ///
    /// - Returns: An empty in-memory sink.
    public static func memory() -> OutputSink { OutputSink() }

    /// Everything written so far (memory sinks), or what is still buffered (descriptor sinks).
    public var text: String { String(decoding: captured + buffer, as: UTF8.self) }

    /// Appends `string`'s UTF-8 bytes.
    ///
    /// - Parameter string: The text to write.
    /// - Throws: ``OutputError`` when a write of the buffer fails.
    public func write(_ string: String) throws(OutputError) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends raw bytes.
    ///
    /// - Parameter bytes: The bytes to write.
    /// - Throws: ``OutputError`` when a write of the buffer fails.
    public func write(bytes: some Sequence<UInt8>) throws(OutputError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes out the buffer (descriptor sinks) or moves it to the captured text (memory sinks).
    ///
    /// - Throws: ``OutputError`` naming the sink and the system's reason.
    /// - Complexity: O(buffered bytes).
    public func flush() throws(OutputError) {
        if let failure { throw failure }
        guard let descriptor else {
            captured.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        guard !buffer.isEmpty else { return }
        do {
            _ = try buffer.withUnsafeBytes { try descriptor.writeAll($0) }
        } catch {
            let failure = OutputError(destination: name, reason: "\(error)")
            self.failure = failure
            buffer.removeAll()
            throw failure
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Output that could not be written: the destination and the system's reason.
public struct OutputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being written, e.g. `standard output` or a file's path.
    public let destination: String
    /// The system's reason, e.g. `No space left on device` or `Broken pipe`.
    public let reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - destination: What was being written.
    ///   - reason: Why it failed.
    public init(destination: String, reason: String) {
        self.destination = destination
        self.reason = reason
    }

    /// `cannot write DESTINATION: REASON`.
    public var description: String { "cannot write \(destination): \(reason)" }
}
