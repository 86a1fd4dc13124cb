#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file (or standard input, `-`) one line at a time, with line numbers.
///
/// Lines may be of any length; the trailing `\n` (and a `\r` before it) is removed. Memory is
/// bounded by the longest line.
///
/// ```swift
/// let input = try LineInput(path: "bands.jsonl")
/// while let line = input.nextLine() { print(input.lineNumber, line.count) }
/// ```
public final class LineInput {
    /// The path as given (`-` for standard input).
    public let path: String
    /// The number of the line last returned (1-based; 0 before the first).
    public private(set) var lineNumber = 0
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    private var storage: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    /// Opens `path`.
    ///
    /// - Parameter path: A file, or `-` for standard input.
    /// - Throws: ``SimDedupError`` (exit status 1) when it cannot be opened.
    public init(path: String) throws(SimDedupError) {
        self.path = path
        if path == "-" {
            guard let standardInput = fdopen(STDIN_FILENO, "rb") else {
                throw SimDedupError("-: cannot read standard input: \(String(cString: strerror(errno)))")
            }
            file = standardInput
            ownsFile = false
        } else {
            guard let opened = fopen(path, "rb") else {
                throw SimDedupError("\(path): cannot read: \(String(cString: strerror(errno)))")
            }
            file = opened
            ownsFile = true
        }
    }

    deinit {
        free(storage)
        if ownsFile { fclose(file) }
    }

    /// The next line's bytes, without its line terminator, or nil at the end.
    ///
    /// - Returns: The line.
    /// - Complexity: O(line length).
    public func nextLine() -> [UInt8]? {
        let read = getline(&storage, &capacity, file)
        guard read >= 0, let storage else { return nil }
        lineNumber += 1
        var count = read
        if count > 0 && storage[count - 1] == 0x0A { count -= 1 }
        if count > 0 && storage[count - 1] == 0x0D { count -= 1 }
        return storage.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }
}
