import Foundation
import SimCoreInternals

/// Fresh directories for tests and fuzz targets, all under one root per process that is removed,
/// with everything in it, when the process exits: a test run leaves nothing behind in the
/// temporary directory or in `/dev/shm`, however long its helpers keep a path.
///
/// The roots are named `simcore-scratch-<pid>-<UUID>`: one in the temporary directory
/// (`NSTemporaryDirectory()`, so `TMPDIR` is honoured), and one in `/dev/shm` (a memory file
/// system) for ``make(_:inMemory:)`` with `inMemory` where `/dev/shm` exists and is writable.
/// Each is made on its first use, which registers an `atexit` handler that removes it when the
/// process ends normally: `exit`, or a return from `main`, as XCTest, Swift Testing and libFuzzer
/// end. A process that crashes, aborts or is killed leaves its root behind.
///
/// ```swift
/// let directory = try ScratchDirectories.make("simcore-sink")
/// // "/tmp/simcore-scratch-4242-6F1C…/simcore-sink-9A0B…", removed when the process exits
/// ```
package enum ScratchDirectories {
    /// This process's root in the temporary directory (made by the first ``make(_:inMemory:)``).
    package static let root: String = {
        Platform.atExit { ScratchDirectories.remove(ScratchDirectories.root) }
        return (NSTemporaryDirectory() as NSString).appendingPathComponent(rootName)
    }()

    /// This process's root in `/dev/shm`, or `nil` where `/dev/shm` is missing or read-only
    /// (made by the first ``make(_:inMemory:)`` with `inMemory`).
    package static let memoryRoot: String? = {
        guard Platform.isDirectory(atPath: "/dev/shm") == true, FileManager.default.isWritableFile(atPath: "/dev/shm") else {
            return nil
        }
        Platform.atExit { ScratchDirectories.remove(ScratchDirectories.memoryRoot) }
        return "/dev/shm/" + rootName
    }()

    /// The roots' name: the process id, for a person looking at what a crashed run left, and a
    /// UUID, so that no other process can guess it or own it first.
    private static let rootName = "simcore-scratch-\(Platform.processIdentifier)-\(UUID().uuidString)"

    /// Makes a fresh, empty directory `<root>/<prefix>-<UUID>`.
    ///
    /// Safe to call from any thread. The directory lives until the process exits (or
    /// ``removeAll()``); a caller done with it earlier may remove it itself.
    ///
    /// - Parameters:
    ///   - prefix: The start of the directory's name, e.g. the test's or helper's name.
    ///   - inMemory: Whether to make it in `/dev/shm` where possible (files there cost no disk
    ///     writes, and `fsync` next to nothing), otherwise in the temporary directory.
    /// - Returns: Its absolute path.
    /// - Throws: The file system's error when it cannot be created.
    package static func make(_ prefix: String, inMemory: Bool = false) throws -> String {
        let base = inMemory ? memoryRoot ?? root : root
        let directory = (base as NSString).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Removes both roots and everything in them now, as the exit handler does; for a process
    /// about to end without running exit handlers (`abort`). A later ``make(_:inMemory:)`` makes
    /// its root again.
    package static func removeAll() {
        remove(root)
        remove(memoryRoot)
    }

    /// Removes the tree at `path`, if there is one.
    private static func remove(_ path: String?) {
        guard let path else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
