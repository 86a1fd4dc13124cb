import Foundation

/// A memory file system of a few kilobytes (`tmpfs`) mounted on a fresh directory, for tests of
/// what writers do when the disk fills up: every write past its size fails with `ENOSPC`.
///
/// Mounting needs root (or `CAP_SYS_ADMIN`); ``isAvailable`` tells whether this machine allows
/// it, so tests can say why they did not run.
///
/// ```swift
/// if let small = SmallFileSystem(kilobytes: 64) {
///     defer { small.unmount() }
///     // write into small.path until it is full
/// }
/// ```
package final class SmallFileSystem {
    /// Where it is mounted.
    package let path: String
    private var isMounted = true

    /// Mounts a `tmpfs` of `kilobytes` on a fresh directory, or returns `nil` where that is not
    /// allowed (not root, no `mount`, a container without the capability).
    ///
    /// - Parameter kilobytes: Its size.
    package init?(kilobytes: Int) {
        let directory = NSTemporaryDirectory() + "simcore-small-fs-\(UUID().uuidString)"
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil,
              Self.command("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", directory]) else {
            try? FileManager.default.removeItem(atPath: directory)
            return nil
        }
        path = directory
    }

    deinit { unmount() }

    /// Unmounts it and removes the directory (also done when it is released).
    package func unmount() {
        guard isMounted else { return }
        isMounted = false
        _ = Self.command("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Whether this machine lets a test mount one (tried once per process).
    package static let isAvailable: Bool = SmallFileSystem(kilobytes: 16) != nil

    private static func command(_ executable: String, _ arguments: [String]) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: executable) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
