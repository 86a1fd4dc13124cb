#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SystemPackage

/// The reason a file operation failed, as a person reads it: the C library's message for the
/// underlying error number ("No such file or directory") when there is one, else the error's
/// own description. Foundation's `localizedDescription` is not used, so that SimCore's libraries
/// need only FoundationEssentials.
///
/// - Parameter error: An error thrown by `FileManager`, `Data(contentsOf:)` or a system call.
/// - Returns: One line without a trailing period.
package func describeFileError(_ error: any Error) -> String {
    if let errno = error as? Errno { return errno.description }
    if let posix = error as? POSIXError { return Errno(rawValue: posix.code.rawValue).description }
    if let cocoa = error as? CocoaError, let posix = cocoa.userInfo["NSUnderlyingError"] as? POSIXError {
        return Errno(rawValue: posix.code.rawValue).description
    }
    return "\(error)"
}
