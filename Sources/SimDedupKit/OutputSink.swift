#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered byte sink: a file descriptor (standard output or error) or memory (for tests).
///
/// Lines are appended to a buffer that is written out once it passes 64 KiB and at ``flush()``,
/// so a command writes in large blocks whatever its line count.
///
/// ```swift
/// let sink = OutputSink.memory()
/// sink.write("hello\n")
/// sink.text   // "hello\n"
/// ```
public final class OutputSink {
    private var buffer: [UInt8] = []
    private let fileDescriptor: Int32?
    private var captured: [UInt8] = []

    /// Creates a sink that writes to `fileDescriptor`.
    ///
    /// - Parameter fileDescriptor: An open descriptor, e.g. `STDOUT_FILENO`.
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        buffer.reserveCapacity(1 << 17)
    }

    private init() {
        fileDescriptor = nil
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
    public func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends raw bytes.
    ///
    /// - Parameter bytes: The bytes to write.
    public func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes out the buffer (descriptor sinks) or moves it to the captured text (memory sinks).
    ///
    /// Complexity: O(buffered bytes).
    public func flush() {
        guard let fileDescriptor else {
            captured.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
