import Foundation
import SimCoreFixtures
import Testing

/// Defect 1 and its kin, as a user meets them: every command that writes, writing to a full
/// device, a closed standard output, a reader that went away, a file system that fills up, or
/// killed mid-write. Each fails with exit status 3 and a message naming what could not be
/// written, and no partial file ever stands under a final name.
@Suite("write failures of both tools")
struct WriteFailureTests {
    /// A directory with a generated corpus (`corpus.jsonl`) and its band keys (`bands.jsonl`): a
    /// copy of ones made once per test run. The large one (4,000 short documents, about 1.5 MB of
    /// band keys and 0.4 MB of verdicts) is far more than a pipe holds, for the tests of a reader
    /// that goes away; the small one (200 documents) still writes more than a full device or a
    /// full file system takes, at a twentieth of the cost in a debug build.
    static func workspace(large: Bool = false) throws -> String {
        let template = try sharedWorkspace.get()
        let directory = try ToolProcess.directory()
        for name in ["corpus.jsonl", "bands.jsonl"] {
            try FileManager.default.copyItem(
                atPath: template + "/" + (large ? "" : "small-") + name, toPath: directory + "/" + name)
        }
        return directory
    }

    /// The one generated workspace the others copy.
    static let sharedWorkspace: Result<String, any Error> = Result(catching: {
        let directory = try ToolProcess.directory()
        let setup = try ToolProcess.run("""
            "$SIMBENCH" generate --documents 4000 --output corpus.jsonl > /dev/null &&
            "$SIMDEDUP" bands corpus.jsonl > bands.jsonl &&
            head -n 200 corpus.jsonl > small-corpus.jsonl &&
            "$SIMDEDUP" bands small-corpus.jsonl > small-bands.jsonl
            """, in: directory)
        guard setup.status == 0 else { throw ToolProcess.Failure("setup: \(setup.errors)") }
        return directory
    })

    /// Every command that writes results to standard output, with arguments that work.
    static let commands: [String] = [
        #""$SIMDEDUP" bands corpus.jsonl"#,
        #""$SIMDEDUP" dedupe corpus.jsonl"#,
        #""$SIMDEDUP" cluster bands.jsonl"#,
        #""$SIMDEDUP" reuse corpus.jsonl"#,
        #""$SIMBENCH" run --samples 1 --sample-seconds 0 --matrix-limit 3 corpus.jsonl"#,
        #""$SIMBENCH" generate --documents 20 --output small.jsonl"#,
    ]

    @Test("standard output on a full device (/dev/full): status 3, No space left on device", arguments: commands)
    func fullDevice(command: String) throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try ToolProcess.run("\(command) > /dev/full", in: directory)
        #expect(outcome.status == 3, "\(command): \(outcome.errors)")
        #expect(outcome.errors.contains("cannot write standard output: No space left on device"), "\(command): \(outcome.errors)")
    }

    @Test("a closed standard output (>&-): status 3, Bad file descriptor, nothing written into another file", arguments: commands)
    func closedOutput(command: String) throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = try Data(contentsOf: URL(fileURLWithPath: directory + "/corpus.jsonl"))
        let outcome = try ToolProcess.run("\(command) >&-", in: directory)
        #expect(outcome.status == 3, "\(command): \(outcome.errors)")
        #expect(outcome.errors.contains("cannot write standard output: Bad file descriptor"), "\(command): \(outcome.errors)")
        // Descriptor 1 was free: the first file opened would have taken it.
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/corpus.jsonl")) == before)
    }

    @Test("a reader that went away, SIGPIPE ignored: status 3, Broken pipe", arguments: Array(commands.prefix(3)))
    func brokenPipe(command: String) throws {
        let directory = try Self.workspace(large: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try ToolProcess.run("trap '' PIPE; \(command) | head -c 100 > /dev/null; exit ${PIPESTATUS[0]}", in: directory)
        #expect(outcome.status == 3, "\(command): \(outcome.errors)")
        #expect(outcome.errors.contains("cannot write standard output: Broken pipe"), "\(command): \(outcome.errors)")
    }

    @Test("a reader that went away, SIGPIPE as usual: the tool ends by the signal, as `head` expects")
    func signalledPipe() throws {
        let directory = try Self.workspace(large: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try ToolProcess.run(#""$SIMDEDUP" bands corpus.jsonl | head -c 100 > /dev/null; exit ${PIPESTATUS[0]}"#, in: directory)
        #expect(outcome.status == 128 + 13)
    }

    @Test("simbench bench --output in a missing directory fails at once, before the run")
    func benchOutputFirst() throws {
        let directory = try ToolProcess.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try ToolProcess.run(#""$SIMBENCH" bench --generate 200 --output /nonexistent/x.json"#, in: directory)
        #expect(outcome.status == 3)
        #expect(outcome.errors.contains("cannot write /nonexistent/x.json: No such file or directory"), "\(outcome.errors)")
        #expect(outcome.output.isEmpty, "the run started: \(outcome.output)")
    }

    @Test("simbench generate into a path that cannot be a directory: status 3")
    func generateIntoDevice() throws {
        let directory = try ToolProcess.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try ToolProcess.run(#""$SIMBENCH" generate --documents 20 --output /dev/full/x.jsonl"#, in: directory)
        #expect(outcome.status == 3)
        #expect(outcome.errors.contains("cannot write /dev/full"), "\(outcome.errors)")
    }

    @Test("a file system that fills up: status 3, no file under a final name, no temporary file left",
          .enabled(if: SmallFileSystem.isAvailable, "mounting a small tmpfs needs root"))
    func fullFileSystem() throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let small = try #require(SmallFileSystem(kilobytes: 64))
        defer { small.unmount() }
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: small.path + "/c.jsonl"))
        let generate = try ToolProcess.run(#""$SIMBENCH" generate --documents 2000 --output "\#(small.path)/c.jsonl""#, in: directory)
        #expect(generate.status == 3, "\(generate.errors)")
        #expect(generate.errors.contains("No space left on device"), "\(generate.errors)")
        #expect(try String(contentsOfFile: small.path + "/c.jsonl", encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: small.path) == ["c.jsonl"])

        let report = try ToolProcess.run("""
            "$SIMBENCH" bench --generate 50 --workload normalize --samples 1 --sample-seconds 0 --threads 1 --output result.json > /dev/null &&
            head -c 60000 /dev/zero > "\(small.path)/filler" ;
            "$SIMBENCH" report result.json --output "\(small.path)/report.html"
            """, in: directory)
        #expect(report.status == 3, "\(report.errors)")
        #expect(!FileManager.default.fileExists(atPath: small.path + "/report.html"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: small.path).sorted() == ["c.jsonl", "filler"])
    }

    @Test("files that fill a file system: --keep, --state, simbench --output and report: status 3, no file under a final name",
          .enabled(if: SmallFileSystem.isAvailable, "mounting a small tmpfs needs root"))
    func fullFileSystemFiles() throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let small = try #require(SmallFileSystem(kilobytes: 64))
        defer { small.unmount() }
        let cases: [(script: String, name: String)] = [
            (#""$SIMDEDUP" dedupe --keep "\#(small.path)/kept.jsonl" corpus.jsonl > /dev/null"#, "kept.jsonl"),
            (#""$SIMDEDUP" dedupe --state "\#(small.path)/seen.state" corpus.jsonl > /dev/null"#, "seen.state"),
            (#""$SIMBENCH" run --samples 1 --sample-seconds 0 --matrix-limit 3 --output "\#(small.path)/run.json" corpus.jsonl > /dev/null"#, "run.json"),
            (#""$SIMDEDUP" bands corpus.jsonl > "\#(small.path)/bands.jsonl""#, "bands.jsonl"),
        ]
        for (script, name) in cases {
            // The file system is full before the command starts, but for a little room.
            let outcome = try ToolProcess.run(#"head -c 1000000 /dev/zero > "\#(small.path)/filler" 2>/dev/null; "# + script, in: directory)
            #expect(outcome.status == 3, "\(script): \(outcome.status) \(outcome.errors)")
            #expect(outcome.errors.contains("No space left on device"), "\(script): \(outcome.errors)")
            let names = try FileManager.default.contentsOfDirectory(atPath: small.path)
            // A shell redirection makes its file before the tool runs; every file the tools name
            // themselves appears complete or not at all, and no temporary file is left.
            if name != "bands.jsonl" { #expect(!names.contains(name), "\(script): \(names)") }
            #expect(!names.contains { $0.contains(".tmp-") }, "\(script): \(names)")
            try? FileManager.default.removeItem(atPath: small.path + "/" + name)
            try FileManager.default.removeItem(atPath: small.path + "/filler")
        }
    }

    @Test("a writer killed mid-write leaves the old file under the final name, the partial one beside it")
    func killedWriter() throws {
        let directory = try ToolProcess.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try ToolProcess.run("""
            printf 'old\\n' > c.jsonl
            "$SIMBENCH" generate --documents 400000 --threads 1 --output c.jsonl > /dev/null 2>&1 &
            writer=$!
            size=0
            for _ in $(seq 1 3000); do
                size=$(stat -c %s c.jsonl.tmp-* 2>/dev/null | head -n 1)
                [ "${size:-0}" -gt 1000000 ] && break
                sleep 0.02
            done
            kill -9 "$writer"
            wait "$writer"
            echo "killed after ${size:-0} bytes"
            """, in: directory)
        let written = Int(outcome.output.split(separator: " ").dropFirst(2).first ?? "") ?? 0
        #expect(written > 1_000_000, "the writer was not caught mid-write: \(outcome.output)")
        #expect(try String(contentsOfFile: directory + "/c.jsonl", encoding: .utf8) == "old\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }
        #expect(names.contains("c.jsonl") && !names.contains("c.truth.jsonl") && !names.contains("c.pairs.tsv"), "\(names)")
        #expect(names.contains { $0.hasPrefix("c.jsonl.tmp-") }, "\(names)")
    }
}
