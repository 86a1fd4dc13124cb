import Foundation
import SimCore
import SimCoreFixtures
import SimCoreIO
import SystemPackage
import Testing

/// Every write of the one checked writer is checked: a full device, a closed descriptor and a
/// full file system are errors naming the destination, and a file sink puts nothing under its
/// final name unless the whole file was written and flushed.
@Suite("OutputSink")
struct OutputSinkTests {
    /// A fresh directory, removed when the test process exits.
    static func directory() throws -> String { try ScratchDirectories.make("simcore-sink") }

    @Test("a full device (/dev/full): the flush throws No space left on device, and so does every later write")
    func fullDevice() throws {
        let device = try FileDescriptor.open("/dev/full", .writeOnly)
        defer { try? device.close() }
        let sink = OutputSink(fileDescriptor: device.rawValue, name: "the full device")
        try sink.write("a line\n")
        let error = #expect(throws: OutputError.self) { try sink.flush() }
        #expect(error?.description == "cannot write the full device: No space left on device")
        #expect(throws: OutputError.self) { try sink.write(bytes: [1, 2, 3]); try sink.flush() }
    }

    @Test("a closed descriptor: Bad file descriptor")
    func closedDescriptor() throws {
        // A number no descriptor can have (Linux caps a process at 2^20): closing a real one
        // and writing to its number raced with the other tests, which reuse freed numbers (under
        // AddressSanitizer the "x" once landed in another test's temporary file).
        let closed: Int32 = 1 << 30
        let sink = OutputSink(fileDescriptor: closed, name: "closed")
        try sink.write("x")
        let error = #expect(throws: OutputError.self) { try sink.flush() }
        #expect(error?.reason == "Bad file descriptor")
    }

    @Test("large writes go out in blocks as they come, not all at the end")
    func blocks() throws {
        let path = try Self.directory() + "/out"
        let sink = try OutputSink.file(atomicallyAt: path)
        try sink.write(String(repeating: "x", count: 200_000))
        #expect(sink.text.utf8.count < 1 << 16, "at most one block is buffered")
        try sink.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 200_000)
    }

    @Test("a file sink replaces the old file only on close; dropped unclosed, it leaves nothing")
    func atomicFile() throws {
        let directory = try Self.directory()
        let path = directory + "/result.json"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        do {
            let sink = try OutputSink.file(atomicallyAt: path)
            try sink.write("new, but never closed")
            try sink.flush()
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["result.json"])
        let sink = try OutputSink.file(atomicallyAt: path)
        try sink.write("new")
        try sink.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["result.json"])
        let missing = #expect(throws: OutputError.self) { _ = try OutputSink.file(atomicallyAt: directory + "/no/such/dir/x") }
        #expect(missing?.description == "cannot write \(directory)/no/such/dir/x: No such file or directory")
    }

    @Test("a file sink refuses a path that is not a regular file instead of renaming over it: a device, a directory")
    func atomicFileRefusesNonRegularFiles() throws {
        for path in ["/dev/null", try Self.directory()] {
            let refused = #expect(throws: OutputError.self) { _ = try OutputSink.file(atomicallyAt: path) }
            #expect(refused?.description.hasPrefix("cannot write \(path): not a regular file") == true)
        }
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }

    @Test("a file system that fills up: the sink, AtomicFile and index saves all fail cleanly, leaving old files as they were",
          .enabled(if: SmallFileSystem.isAvailable, "mounting a small tmpfs needs root"))
    func fullFileSystem() throws {
        let small = try #require(SmallFileSystem(kilobytes: 64))
        defer { small.unmount() }
        let path = small.path + "/out.jsonl"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let sink = try OutputSink.file(atomicallyAt: path)
        let error = #expect(throws: OutputError.self) {
            for _ in 0..<100 { try sink.write(String(repeating: "y", count: 10_000)) }
            try sink.close()
        }
        #expect(error?.reason == "No space left on device")
        #expect(throws: OutputError.self) { try sink.close() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: small.path) == ["out.jsonl"])

        // An index file: the same atomic writer underneath, refused with IndexFileError.io.
        var index = MinHashLSH(signatureLength: 64, banding: BandingParameters(bandCount: 16, rowsPerBand: 4))
        var generator = SplitMix64(seed: 1)
        for _ in 0..<5_000 { index.insert((0..<64).map { _ in generator.next() }) }
        /// `save` to `name` fails with IndexFileError.io naming it, and leaves nothing behind.
        func expectFull(_ name: String, _ save: (String) throws -> Void) throws {
            let error = #expect(throws: IndexFileError.self) { try save(small.path + "/" + name) }
            if case .io(let failedPath, let reason) = error {
                #expect(failedPath == small.path + "/" + name && reason == "No space left on device")
            } else {
                Issue.record("expected an I/O error, got \(String(describing: error))")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: small.path) == ["out.jsonl"])
        }
        try expectFull("index.lsh") { try index.save(to: $0) }
        // A deduplicator's state, streamed to the file as it is produced: the same.
        let engine = Deduplicator()
        engine.insert(contentsOf: (0..<300).map { document in
            Document(id: "\(document)", text: (0..<60).map { _ in "w\(generator.next() % 5_000)" }.joined(separator: " "))
        })
        try expectFull("seen.state") { try engine.save(to: $0) }
    }
}
