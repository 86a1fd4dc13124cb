#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, its standard output a pipe this process reads and
/// its standard error `/dev/null`: the cheapest way to start one, for measuring how long a
/// program takes to start (Foundation's `Process` waits for the exit in steps of tens of
/// milliseconds on Linux).
///
/// ```swift
/// let child = try ChildProcess(path: "/bin/echo", arguments: ["hi"])
/// var buffer = [UInt8](repeating: 0, count: 64)
/// let count = buffer.withUnsafeMutableBytes { child.readOutput(into: $0) }   // 3: "hi\n"
/// let status = child.waitForExit()                                          // 0
/// ```
package final class ChildProcess {
    /// The child's process id.
    package let processIdentifier: pid_t
    // SAFETY: the read end of the pipe, owned by this object and closed exactly once (in
    // `waitForExit` or `deinit`); -1 once closed.
    private var output: Int32
    private var exited = false

    /// Starts `path` with `arguments` (not including the program name) and this process's
    /// environment.
    ///
    /// - Throws: `ChildProcess.StartError` with the C library's error number when the pipe or
    ///   the process cannot be made (e.g. `ENOENT` for a missing program).
    package init(path: String, arguments: [String]) throws(StartError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw StartError(number: errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        posix_spawn_file_actions_addclose(&actions, ends[1])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // SAFETY: the argument strings are copied with strdup, live until posix_spawn returns
        // (it copies them into the child), and are freed once.
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, nil, argv, environ)
        close(ends[1])
        guard status == 0 else {
            close(ends[0])
            throw StartError(number: status)
        }
        processIdentifier = child
        output = ends[0]
    }

    deinit {
        if !exited { _ = waitForExit() }
    }

    /// Reads what the child has written to its standard output, waiting until there is some.
    ///
    /// - Parameter buffer: Where the bytes go.
    /// - Returns: The number of bytes read; 0 at the end of the output (the child closed it,
    ///   usually by ending) or on a read error.
    package func readOutput(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard output >= 0, let base = buffer.baseAddress else { return 0 }
        while true {
            let count = read(output, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { return 0 }
        }
    }

    /// Waits for the child to end, then closes the output pipe. Read the output to its end
    /// first: a child that fills the pipe waits for a reader.
    ///
    /// - Returns: Its exit status (0 to 255), or `nil` when a signal ended it.
    package func waitForExit() -> Int32? {
        var status: Int32 = 0
        var waited = waitpid(processIdentifier, &status, 0)
        while waited < 0 && errno == EINTR { waited = waitpid(processIdentifier, &status, 0) }
        exited = true
        if output >= 0 {
            close(output)
            output = -1
        }
        guard waited >= 0 else { return nil }
        // WIFEXITED / WEXITSTATUS, which Swift does not import (they are macros).
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }

    /// Why a child process could not be started: an `errno` value.
    package struct StartError: Error, CustomStringConvertible {
        /// The C library's error number.
        package let number: Int32

        /// The C library's message for ``number``.
        package var description: String { String(cString: strerror(number)) }
    }
}
