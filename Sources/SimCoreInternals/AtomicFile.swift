import SystemPackage

/// Writes a whole file so that readers see the old contents or the new, never a part: the bytes
/// go to a temporary file in the same directory, which is flushed to disk (`fsync`), renamed over
/// the final name, and the directory flushed too, so the rename itself survives a crash.
///
/// Every system call is checked; on any failure the temporary file is removed and the final
/// name keeps its old contents (or stays absent). A process killed mid-write leaves at most a
/// `NAME.tmp-PID-N` file beside the final name, never a partial file under it.
///
/// ``Pending`` is the one implementation: ``write(_:to:)`` fills one in a single call, and
/// `OutputSink.file(atomicallyAt:)` (SimCoreIO) streams into one.
package enum AtomicFile {
    /// A failed write: the path and the system's message.
    package struct WriteError: Error, Sendable, CustomStringConvertible {
        /// The file that could not be written.
        package let path: String
        /// The system's reason, e.g. "No space left on device".
        package let reason: String

        /// Creates an error.
        package init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }

        /// `cannot write PATH: REASON`.
        package var description: String { "cannot write \(path): \(reason)" }
    }

    /// A temporary file beside its final path, open for writing: ``commit()`` puts it in place;
    /// dropping it uncommitted (after an error) closes and removes it.
    package final class Pending {
        /// The open temporary file; valid until ``commit()`` or deinitialization.
        package let descriptor: FileDescriptor
        /// The final path, as given.
        package let path: String
        private let temporary: FilePath
        private var isOpen = true

        /// Creates `PATH.tmp-PID-N` exclusively (mode 0644 before the umask).
        ///
        /// - Parameter path: The final path.
        /// - Throws: ``WriteError`` when `path` exists and is not a regular file, or when the
        ///   temporary file cannot be created (a missing directory, no permission, a full disk).
        package init(finalPath path: String) throws(WriteError) {
            // A rename would replace a device or a pipe (`/dev/null`, `/dev/full`, a FIFO) with
            // a regular file, and lose the output besides.
            guard !Platform.isNonRegularFile(path) else {
                throw WriteError(path: path, reason: "not a regular file (files are written to a temporary file and renamed into place)")
            }
            self.path = path
            temporary = FilePath(path + ".tmp-\(TemporaryNames.next())")
            do {
                descriptor = try FileDescriptor.open(
                    temporary, .writeOnly, options: [.create, .exclusiveCreate, .truncate],
                    permissions: [.ownerReadWrite, .groupRead, .otherRead])
            } catch {
                throw WriteError(path: path, reason: "\(error)")
            }
        }

        deinit {
            if isOpen { discard() }
        }

        /// Flushes the file to disk (`fsync`), closes it, renames it over the final path and
        /// flushes the directory. On failure the temporary file is removed.
        ///
        /// - Throws: ``WriteError``; the final path keeps its old contents.
        package func commit() throws(WriteError) {
            precondition(isOpen, "a pending file is committed once")
            guard Platform.synchronize(descriptor.rawValue) == 0 else {
                let reason = "\(Errno(rawValue: Platform.errno))"
                discard()
                throw WriteError(path: path, reason: reason)
            }
            isOpen = false
            do {
                try descriptor.close()
                try AtomicFile.rename(temporary, to: FilePath(path))
            } catch {
                _ = try? FileDescriptor.remove(temporary)
                throw WriteError(path: path, reason: "\(error)")
            }
            AtomicFile.syncDirectory(of: FilePath(path))
        }

        /// Closes and removes the temporary file; the final path is left as it was.
        package func discard() {
            guard isOpen else { return }
            isOpen = false
            try? descriptor.close()
            _ = try? FileDescriptor.remove(temporary)
        }
    }

    /// Writes `bytes` to `path` atomically.
    ///
    /// - Parameters:
    ///   - bytes: The whole contents.
    ///   - path: The file to create or replace.
    /// - Throws: ``WriteError`` naming the path and the system's reason.
    package static func write(_ bytes: some Collection<UInt8>, to path: String) throws(WriteError) {
        let pending = try Pending(finalPath: path)
        do {
            _ = try pending.descriptor.writeAll(bytes)
        } catch {
            pending.discard()
            throw WriteError(path: path, reason: "\(error)")
        }
        try pending.commit()
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
