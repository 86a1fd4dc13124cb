import Foundation
import SimCore
import SimCoreFixtures
import SimCoreIO
import Testing

/// libsimcore from C: `CProgram/simcore_check.c` is compiled with the system C compiler against
/// `simcore.h` and linked to the `libsimcore` this build made, as a C user would. It checks the
/// contract on its own (error codes, messages, thread-local errors) and prints what the library
/// computes for the sample stories; these tests compute the same lines with SimCore's Swift API
/// and compare them byte for byte.
@Suite("C interface (libsimcore through simcore.h)")
struct CInterfaceTests {
    /// The repository root (this file is Tests/SimCoreCTests/CInterfaceTests.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The build products directory: the one holding this test executable (`swift test` builds
    /// every product there, `libsimcore` included).
    static let productsDirectory: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent()

    /// The library's file name on this platform.
    static var libraryName: String {
        #if os(macOS)
        "libsimcore.dylib"
        #else
        "libsimcore.so"
        #endif
    }

    /// The sample stories, in file-name order.
    static let stories: [URL] = {
        let directory = repositoryRoot.appendingPathComponent("Data/wire-stories")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { directory.appendingPathComponent($0) }
    }()

    /// Runs `executable arguments…`; returns the exit status, standard output and standard error.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { Thread.sleep(forTimeInterval: 0.01) }
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData.value, as: UTF8.self))
    }

    /// Compiles the C program into `directory` and returns its path.
    static func compileCheckProgram(into directory: URL) throws -> String {
        let library = productsDirectory.appendingPathComponent(libraryName)
        try #require(
            FileManager.default.fileExists(atPath: library.path),
            "\(library.path) is missing: build the product first (swift build --product simcore)")
        let executable = directory.appendingPathComponent("simcore_check").path
        let compiler = try #require(cCompiler(), "no C compiler: set CC, or put cc, clang or gcc on PATH")
        let source = repositoryRoot.appendingPathComponent("Tests/SimCoreCTests/CProgram/simcore_check.c").path
        let include = repositoryRoot.appendingPathComponent("Sources/CSimCore/include").path
        let result = try run(compiler, [
            "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", include, source, "-o", executable,
            "-L", productsDirectory.path, "-lsimcore", "-Wl,-rpath," + productsDirectory.path, "-lpthread",
        ])
        try #require(result.status == 0, "\(compiler) failed:\n\(result.errors)")
        return executable
    }

    /// `$CC`, or the first of cc, clang and gcc on `PATH` (the Swift toolchain brings clang).
    static func cCompiler() -> String? {
        let environment = ProcessInfo.processInfo.environment
        var names = ["cc", "clang", "gcc"]
        if let compiler = environment["CC"], !compiler.isEmpty {
            if compiler.contains("/") { return compiler }
            names = [compiler]
        }
        let directories = (environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        for name in names {
            for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
                return directory + "/" + name
            }
        }
        return nil
    }

    /// A double as the C program prints it: its bit pattern, 16 hex digits.
    static func bits(_ value: Double) -> String { hex16(value.bitPattern) }

    /// 16 hex digits.
    static func hex16(_ value: UInt64) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The lines the C program must print, computed with SimCore's Swift API.
    static func expectedLines(documents: [Document]) throws -> [String] {
        var lines: [String] = []
        let texts = documents.map(\.utf8)
        for kind in [SignatureSchemeKind.oph, .minhash, .superminhash, .minhashB1] {
            let matrix = SignatureMatrix(
                signingUTF8: texts, options: ShinglingOptions(unit: .words(5), seed: 7),
                scheme: kind.make(signatureLength: 16, seed: 7), threads: 2)
            for row in 0..<matrix.count {
                lines.append("signature \(kind.rawValue) \(row) " + matrix[row].map { String($0, radix: 16) }.joined(separator: " "))
            }
        }
        let shingler = Shingler()
        let sets = texts.map { shingler.shingles(ofUTF8: $0) }
        for (index, set) in sets.enumerated() {
            let first = hex16(set.hashes.first ?? 0)
            lines.append("shingles \(index) \(set.count) \(first)")
        }
        for measure in [SimilarityMeasure.jaccard, .containment, .overlap] {
            for i in sets.indices {
                for j in sets.indices {
                    lines.append("similarity \(measure.rawValue) \(i) \(j) \(bits(measure.value(sets[i], sets[j])))")
                }
            }
        }
        func verdict(_ verdict: DuplicateVerdict) -> String {
            switch verdict {
            case .new: "-1 \(bits(0))"
            case .duplicate(let original, let similarity): "\(original) \(bits(similarity))"
            }
        }
        func assignmentLines(_ deduplicator: Deduplicator<OnePermutationMinHash>, prefix: String) -> [String] {
            deduplicator.assignments().map {
                "\(prefix)assignment \($0.document) \($0.cluster) \($0.isRepresentative ? 1 : 0) \(verdict($0.verdict))"
            }
        }
        let deduplicator = Deduplicator()
        for result in deduplicator.insert(contentsOf: documents) {
            lines.append("verdict \(result.document) \(verdict(result.verdict))")
        }
        lines += assignmentLines(deduplicator, prefix: "")
        lines.append((["kept"] + deduplicator.keptDocuments().map(String.init)).joined(separator: " "))
        for cluster in deduplicator.clusters(includingSingletons: true) {
            lines.append("cluster \(cluster.representative):" + cluster.members.map { " \($0)" }.joined())
        }
        for document in 0..<deduplicator.count { lines.append("id \(document) \(deduplicator.id(of: document))") }
        let reloaded = try saveAndLoad(deduplicator)
        lines += assignmentLines(reloaded, prefix: "reloaded ")
        return lines
    }

    /// A round trip through the Swift API's own file format.
    static func saveAndLoad(_ deduplicator: Deduplicator<OnePermutationMinHash>) throws -> Deduplicator<OnePermutationMinHash> {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("simcore-c-\(UUID().uuidString).simcore").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try deduplicator.save(to: path)
        return try Deduplicator(contentsOf: path)
    }

    @Test("a C program linked to libsimcore checks the contract and computes what the Swift API computes")
    func cProgramAgreesWithSwift() throws {
        try #require(Self.stories.count == 5, "Data/wire-stories should hold five stories")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simcore-c-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let executable = try Self.compileCheckProgram(into: directory)
        let planted = Self.plantedCorpus()
        let plantedPath = directory.appendingPathComponent("planted.bin")
        try Self.lengthPrefixed(planted).write(to: plantedPath)

        let result = try Self.run(executable, [directory.path, plantedPath.path] + Self.stories.map(\.path))
        #expect(result.status == 0, "simcore_check failed:\n\(result.errors)")
        let documents = try Self.stories.map { url in
            Document(id: url.deletingPathExtension().lastPathComponent, utf8: Array(try Data(contentsOf: url)))
        }
        let expected = try Self.expectedLines(documents: documents) + Self.alignmentLines(stories: documents, planted: planted)
        let actual = result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(actual.count == expected.count)
        for (line, (got, want)) in zip(actual, expected).enumerated() where got != want {
            Issue.record("line \(line + 1): C printed\n  \(got)\nSwift computes\n  \(want)")
        }
        // The sample's one reprint: 001 inside 000, found through C as through Swift.
        #expect(expected.contains("kept 0 2 3 4"))
        // The planted corpus has reuse to find, in the batch and in the stream.
        #expect(expected.filter { $0.hasPrefix("pair planted ") }.count > 100)
        #expect(expected.contains { $0.hasPrefix("pair stream ") })
    }
}

/// A `Data` value written by one thread and read by another.
final class LockedData: @unchecked Sendable {
    // SAFETY: every access holds `lock`.
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
