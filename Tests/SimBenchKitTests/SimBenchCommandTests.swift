import Foundation
import SimCore
import SimCoreFixtures
import Testing
@testable import SimBenchKit

/// The `simbench` executable, run as a user runs it (built next to the test bundle).
enum SimBenchProcess {
    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    static var executable: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("simbench").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return Bundle.main.bundleURL.appendingPathComponent("simbench").path
    }

    static func run(_ arguments: [String], prefix: [String] = [], directory: String = NSTemporaryDirectory()) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: prefix.isEmpty ? executable : "/usr/bin/env")
        process.arguments = prefix.isEmpty ? arguments : prefix + [executable] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        // Standard error goes to a file, so that neither pipe can fill while the other is read.
        let errorPath = NSTemporaryDirectory() + "simbench-stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errors.close()
        let errorData = try Data(contentsOf: URL(fileURLWithPath: errorPath))
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      errors: String(decoding: errorData, as: UTF8.self))
    }

    /// A fresh directory, removed when the test process exits.
    static func temporaryDirectory() -> String { try! ScratchDirectories.make("simbench-cli") }
}

@Suite("simbench commands", .serialized)
struct SimBenchCommandTests {
    static let fast = ["--samples", "1", "--sample-seconds", "0"]

    @Test("every measuring command writes a result that validates against the schema, with its environment",
          arguments: [
            ["run"], ["sign", "--replicate", "2", "--scheme", "oph", "--threads", "2"],
            ["dedupe", "--generate", "60", "--queries", "20"], ["bench", "--generate", "30", "--workload", "normalize", "--workload", "lsh-curve"],
            ["startup", "--runs", "2"], ["lengths", "--words", "20", "--words", "100", "--corpus-words", "4000", "--threads", "2"],
          ])
    func resultFiles(arguments: [String]) throws {
        let directory = SimBenchProcess.temporaryDirectory()
        let path = directory + "/result.json"
        let fast = ["dedupe", "startup"].contains(arguments[0]) ? [] : Self.fast
        let result = try SimBenchProcess.run(arguments + fast + ["--output", path, "--label", "test"], directory: directory)
        #expect(result.status == 0, "\(arguments): \(result.errors)")
        let json = try Data(contentsOf: URL(fileURLWithPath: path))
        let violations = try SchemaValidator.resultSchema().violations(of: json)
        #expect(violations.isEmpty, "\(arguments): \(violations.prefix(5))")
        let decoded = try BenchResult.decode(json)
        #expect(decoded.label == "test" && !decoded.records.isEmpty)
        #expect(decoded.environment?.toolVersion == SimCoreRelease.version)
        #expect(decoded.environment?.loadAverageAfter.count == 3)
        #expect(result.output.contains("run:     simbench \(SimCoreRelease.version)"))
        if arguments[0] == "dedupe" || arguments[0] == "bench" { #expect(!decoded.curves.isEmpty, "the LSH S-curve") }
    }

    @Test("a bare simbench runs the built-in wire stories from any directory")
    func bareRunAnywhere() throws {
        let result = try SimBenchProcess.run(Self.fast, directory: "/")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("corpus: wire-stories (built in), 5 documents"))
        #expect(result.output.contains("001_a40650a566da0f61 inside 000_ddd89a90af6d95d2: containment 0.921"))
    }

    @Test("every command's help is plain wrapped text: no backslash left over from a continued line",
          arguments: ["run", "bench", "generate", "compare", "report", "sign", "dedupe", "lengths", "reuse", "startup", "suite"])
    func helpText(command: String) throws {
        let result = try SimBenchProcess.run(["help", command])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("USAGE: simbench \(command)"))
        #expect(!result.output.contains("\\"), "\(result.output)")
    }

    @Test("suite writes one file holding every suite workload and the S-curve")
    func suite() throws {
        let directory = SimBenchProcess.temporaryDirectory()
        let result = try SimBenchProcess.run(["suite", "--generate", "100", "--label", "m1"] + Self.fast, directory: directory)
        #expect(result.status == 0, "\(result.errors)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        try #require(files.count == 1 && files[0].hasPrefix("simbench-suite-") && files[0].hasSuffix(".json"), "\(files)")
        let json = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + files[0]))
        #expect(try SchemaValidator.resultSchema().violations(of: json).isEmpty)
        let decoded = try BenchResult.decode(json)
        #expect(Set(decoded.records.map(\.workload)).isSuperset(of: ["normalize", "shingle", "all-pairs", "lsh-curve", "sign", "dedupe", "lsh-index"]))
        #expect(decoded.curves.count == 1)
        #expect(decoded.label == "m1")
        let compared = try SimBenchProcess.run(["compare", files[0], files[0]], directory: directory)
        #expect(compared.status == 0)
        #expect(compared.output.contains("[1] m1: ") && compared.output.contains(" cores ("))
        let report = try SimBenchProcess.run(["report", files[0], "--output", "r.html"], directory: directory)
        #expect(report.status == 0)
        #expect(try String(contentsOfFile: directory + "/r.html", encoding: .utf8).contains("LSH S-curve"))
    }

    @Test("a run under taskset -c 0 records one usable core and its affinity")
    func affinity() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset") else { return }
        let directory = SimBenchProcess.temporaryDirectory()
        let result = try SimBenchProcess.run(Self.fast + ["--output", "r.json"], prefix: ["taskset", "-c", "0"], directory: directory)
        #expect(result.status == 0, "\(result.errors)")
        let decoded = try BenchResult.load(from: directory + "/r.json")
        #expect(decoded.environment?.cpuAffinity == "0")
        #expect(decoded.environment?.usableCores == 1)
    }

    @Test("no documents is exit 1 in every command that reads a corpus", arguments: ["run", "sign", "dedupe", "bench"])
    func noDocuments(command: String) throws {
        let directory = SimBenchProcess.temporaryDirectory()
        _ = FileManager.default.createFile(atPath: directory + "/empty.jsonl", contents: Data())
        let result = try SimBenchProcess.run([command, "empty.jsonl"] + (command == "dedupe" ? [] : Self.fast), directory: directory)
        #expect(result.status == 1, "\(command): \(result.errors)")
        #expect(result.errors.contains("no documents in empty.jsonl"), "\(command): \(result.errors)")
    }

    @Test("compare and report name a missing or malformed file without raw decoding errors")
    func badResultFiles() throws {
        let directory = SimBenchProcess.temporaryDirectory()
        _ = FileManager.default.createFile(atPath: directory + "/bad.json", contents: Data(#"{"schemaVersion": 2, "tool": "simbench"}"#.utf8))
        let compared = try SimBenchProcess.run(["compare", "bad.json", "missing.json"], directory: directory)
        #expect(compared.status == 1)
        #expect(compared.errors.contains("bad.json: not a simbench result file: missing field"), "\(compared.errors)")
        #expect(!compared.errors.contains("keyNotFound") && !compared.errors.contains("CodingKeys"))
        let reported = try SimBenchProcess.run(["report", "missing.json"], directory: directory)
        #expect(reported.status == 1 && reported.errors.contains("missing.json"))
    }

    @Test("lengths refuses a length or corpus size out of range, naming the option and the value")
    func badLengths() throws {
        let zero = try SimBenchProcess.run(["lengths", "--words", "0"])
        #expect(zero.status == 2 && zero.errors.contains("--words must be in 1...100000, not 0"), "\(zero.errors)")
        let small = try SimBenchProcess.run(["lengths", "--words", "50", "--corpus-words", "10"])
        #expect(small.status == 2 && small.errors.contains("--corpus-words must be in 50 (the longest --words)...100000000, not 10"), "\(small.errors)")
    }

    @Test("a bad threshold is echoed, a negative one too")
    func badThreshold() throws {
        let result = try SimBenchProcess.run(["run", "--threshold", "-0.5"])
        #expect(result.status == 2)
        #expect(result.errors.contains("-0.5"), "\(result.errors)")
        #expect(try SimBenchProcess.run(["--version"]).output.contains(SimCoreRelease.version))
    }

    @Test("the tools do not link libxxhash: xxHash is compiled in, the shared library only loaded for simbench run's comparison")
    func noXXHashLibrary() throws {
        let libraries = try Self.sharedLibraries(of: SimBenchProcess.executable)
        #expect(libraries.contains("libc.so"), "\(libraries)")
        #expect(!libraries.contains("libxxhash"), "\(libraries)")
    }

    @Test("simdedup loads no Foundation or ICU, only FoundationEssentials: starting it stays cheap (simbench startup)")
    func simdedupWithoutFoundation() throws {
        let simdedup = URL(fileURLWithPath: SimBenchProcess.executable).deletingLastPathComponent().appendingPathComponent("simdedup").path
        let libraries = try Self.sharedLibraries(of: simdedup)
        #expect(libraries.contains("libc.so"), "\(libraries)")
        for library in ["libFoundation.so", "libFoundationInternationalization", "lib_FoundationICU"] {
            #expect(!libraries.contains(library), "\(libraries)")
        }
    }

    /// What `ldd` prints for `executable`: the shared libraries it loads.
    static func sharedLibraries(of executable: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ldd", executable]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let libraries = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "ldd \(executable)")
        return libraries
    }
}
