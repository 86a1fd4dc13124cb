import Testing
@testable import SimBenchKit

@Suite("Startup measurement")
struct StartupWorkloadTests {
    @Test("four records of one sample per run each; the verdict record counts one document")
    func records() throws {
        // /bin/echo stands in for simdedup: it prints a line and exits 0 for any arguments.
        let records = try StartupWorkload(simdedupPath: "/bin/echo", runs: 3).run()
        #expect(records.map(\.variant) == [
            "spawn floor (/bin/true)", "simdedup --version", "simdedup dedupe, first verdict", "simdedup dedupe, exit",
        ])
        for record in records {
            #expect(record.workload == "startup" && record.samples.secondsPerRun.count == 3)
            #expect(record.samples.minimum > 0 && record.samples.maximum < 10)
        }
        #expect(records.map(\.units.documents) == [0, 0, 1, 0])
        guard case .string(let command)? = records[2].parameters["command"] else {
            Issue.record("no command parameter")
            return
        }
        #expect(command.hasPrefix("/bin/echo dedupe --threads 1 --quiet /") && command.hasSuffix("/one.jsonl"))
    }

    @Test("a program that fails, is missing, or prints no verdict is an error naming it")
    func failures() {
        #expect(throws: StartupError.self) { try StartupWorkload(simdedupPath: "/bin/false", runs: 1).run() }
        #expect(throws: StartupError.self) { try StartupWorkload(simdedupPath: "/nonexistent/simdedup", runs: 1).run() }
        // `true` exits 0 but prints nothing: no verdict line.
        do {
            _ = try StartupWorkload(simdedupPath: "/bin/true", runs: 1).run()
            Issue.record("no error for a program without output")
        } catch let error as StartupError {
            #expect(error.description == "/bin/true: printed no verdict line")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
