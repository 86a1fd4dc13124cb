import CSimCore

/// A failed C call: the status it returns and the message `simcore_last_error()` gives.
///
/// Every exported function runs its body through ``withStatus(_:)``, so a Swift error becomes a
/// status code and a thread-local message, never a trap that would take the caller's process down.
struct CError: Error {
    /// The status the call returns.
    let status: simcore_status
    /// The message for people.
    let message: String

    /// An invalid argument (a NULL pointer, an option out of range).
    static func invalidArgument(_ message: String) -> CError {
        CError(status: SIMCORE_E_INVALID_ARGUMENT, message: message)
    }

    /// Stores the message as the calling thread's last error.
    func record() {
        var message = message
        message.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _simcore_set_last_error($0.baseAddress, $0.count) }
        }
    }
}

/// Runs `body` and turns its outcome into a status: `SIMCORE_OK`, or the error's status with its
/// message recorded for `simcore_last_error()`.
///
/// - Parameter body: The call's work; it validates every argument before using it.
/// - Returns: The status to hand back to C.
@inline(__always)
func withStatus(_ body: () throws(CError) -> Void) -> simcore_status {
    do {
        try body()
        return SIMCORE_OK
    } catch {
        error.record()
        return error.status
    }
}

/// `pointer`, or an ``CError/invalidArgument(_:)`` naming the argument.
///
/// - Parameters:
///   - pointer: A pointer the caller must pass.
///   - name: The argument's name in `simcore.h`.
/// - Returns: The pointer, unwrapped.
/// - Throws: ``CError`` when it is NULL.
@inline(__always)
func required<P>(_ pointer: P?, _ name: String) throws(CError) -> P {
    guard let pointer else { throw .invalidArgument("\(name) must not be NULL") }
    return pointer
}
