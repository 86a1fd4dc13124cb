import SimCoreInternals
import Testing

@Suite("Child processes")
struct ChildProcessTests {
    /// Reads a child's whole output.
    func output(of child: ChildProcess) -> [UInt8] {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 3)  // small, so that reads take several steps
        while true {
            let count = buffer.withUnsafeMutableBytes { child.readOutput(into: $0) }
            if count == 0 { return all }
            all += buffer[..<count]
        }
    }

    @Test("standard output comes through the pipe; the exit status comes back")
    func outputAndStatus() throws {
        let echo = try ChildProcess(path: "/bin/echo", arguments: ["hello", "world"])
        #expect(output(of: echo) == Array("hello world\n".utf8))
        #expect(echo.waitForExit() == 0)
        let shell = try ChildProcess(path: "/bin/sh", arguments: ["-c", "echo err >&2; exit 3"])
        #expect(output(of: shell).isEmpty, "standard error goes to /dev/null")
        #expect(shell.waitForExit() == 3)
    }

    @Test("a child ended by a signal has no exit status; a missing program is ENOENT")
    func failures() throws {
        let killed = try ChildProcess(path: "/bin/sh", arguments: ["-c", "kill -9 $$"])
        #expect(output(of: killed).isEmpty)
        #expect(killed.waitForExit() == nil)
        #expect(throws: ChildProcess.StartError.self) { try ChildProcess(path: "/nonexistent/program", arguments: []) }
        do {
            _ = try ChildProcess(path: "/nonexistent/program", arguments: [])
        } catch {
            #expect(error.description == "No such file or directory")
        }
    }
}
