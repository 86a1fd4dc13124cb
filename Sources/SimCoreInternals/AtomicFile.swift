import SystemPackage

/// Writes a whole file so that readers see the old contents or the new, never a part: the bytes
/// go to a temporary file in the same directory, which is flushed to disk (`fsync`), renamed over
/// the final name, and the directory flushed too, so the rename itself survives a crash.
///
/// Every system call is checked; on any failure the temporary file is removed and the final
/// name keeps its old contents (or stays absent).
package enum AtomicFile {
    /// A failed write: the path and the system's message.
    package struct WriteError: Error, Sendable, CustomStringConvertible {
        /// The file that could not be written.
        package let path: String
        /// The system's reason, e.g. "No space left on device".
        package let reason: String

        /// `cannot write PATH: REASON`.
        package var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `bytes` to `path` atomically.
    ///
    /// - Parameters:
    ///   - bytes: The whole contents.
    ///   - path: The file to create or replace.
    /// - Throws: ``WriteError`` naming the path and the system's reason.
    package static func write(_ bytes: some Collection<UInt8>, to path: String) throws(WriteError) {
        try write(to: path) { (descriptor: FileDescriptor) throws(WriteError) in
            do {
                _ = try descriptor.writeAll(bytes)
            } catch {
                throw WriteError(path: path, reason: "\(error)")
            }
        }
    }

    /// Creates a temporary file beside `path`, lets `fill` write it, then flushes and renames it
    /// over `path`.
    ///
    /// - Parameters:
    ///   - path: The file to create or replace.
    ///   - fill: Writes the contents to the open temporary file.
    /// - Throws: ``WriteError``, or what `fill` throws.
    package static func write(
        to path: String, _ fill: (FileDescriptor) throws(WriteError) -> Void
    ) throws(WriteError) {
        let target = FilePath(path)
        let temporary = FilePath(path + ".tmp-\(TemporaryNames.next())")
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                temporary, .writeOnly, options: [.create, .exclusiveCreate, .truncate],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw WriteError(path: path, reason: "\(error)")
        }
        do throws(WriteError) {
            try fill(descriptor)
            guard Platform.synchronize(descriptor.rawValue) == 0 else {
                throw WriteError(path: path, reason: "\(Errno(rawValue: Platform.errno))")
            }
        } catch {
            try? descriptor.close()
            _ = try? FileDescriptor.remove(temporary)
            throw error
        }
        do {
            try descriptor.close()
            try rename(temporary, to: target)
        } catch {
            _ = try? FileDescriptor.remove(temporary)
            throw WriteError(path: path, reason: "\(error)")
        }
        syncDirectory(of: target)
    }

    /// Flushes the directory holding `path`, so that a rename in it is on disk; best effort
    /// (some file systems refuse to open directories for this).
    private static func syncDirectory(of path: FilePath) {
        var directory = path
        directory.removeLastComponent()
        if directory.isEmpty { directory = "." }
        guard let handle = try? FileDescriptor.open(directory, .readOnly) else { return }
        _ = Platform.synchronize(handle.rawValue)
        try? handle.close()
    }

    private static func rename(_ source: FilePath, to destination: FilePath) throws {
        let status = source.withPlatformString { from in
            destination.withPlatformString { to in Platform.rename(from, to) }
        }
        guard status == 0 else { throw Errno(rawValue: Platform.errno) }
    }
}

extension FileDescriptor {
    /// Deletes the file at `path` (`unlink`).
    package static func remove(_ path: FilePath) throws {
        let status = path.withPlatformString { Platform.unlink($0) }
        guard status == 0 else { throw Errno(rawValue: Platform.errno) }
    }
}

/// Temporary file names only need to differ between concurrent writers: the process id and a
/// locked counter (no random numbers).
package enum TemporaryNames {
    private static let counter = LockedCounter()

    /// `PID-N` with N counting up from 1 in this process.
    package static func next() -> String { "\(Platform.processIdentifier)-\(counter.next())" }
}
