import Foundation
import SimCoreFixtures

/// What every fuzz target's `LLVMFuzzerTestOneInput` does: run one ``FuzzCheck`` on the input
/// and abort, with the broken property on standard error, if it fails (libFuzzer then saves
/// the input as a crash reproducer).
public enum FuzzDriver {
    /// A directory of this process's own for the checks' files, in `/dev/shm` when it exists,
    /// removed when the process exits (``FuzzCheck/makeScratchDirectory(_:)``).
    private static let scratch: String = {
        do {
            return try FuzzCheck.makeScratchDirectory("simcore-fuzz")
        } catch {
            FileHandle.standardError.write(Data("cannot make a scratch directory: \(error)\n".utf8))
            abort()
        }
    }()

    /// Runs `target`'s check on `size` bytes at `data`.
    ///
    /// - Parameters:
    ///   - target: The check.
    ///   - data: The input.
    ///   - size: Its length.
    /// - Returns: 0, as libFuzzer expects.
    public static func run(_ target: FuzzCheck.Target, _ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
        do {
            try FuzzCheck.run(target, Array(UnsafeBufferPointer(start: data, count: size)), scratch: scratch)
        } catch {
            FileHandle.standardError.write(Data("\(target.rawValue): \(error)\n".utf8))
            // abort() runs no exit handler: the scratch directory would stay in /dev/shm.
            FuzzCheck.removeScratchDirectories()
            abort()
        }
        return 0
    }
}
