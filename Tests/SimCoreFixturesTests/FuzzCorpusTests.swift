import Foundation
import SimCore
import Testing
@testable import SimCoreFixtures

/// The committed fuzz corpora (`Fuzz/Corpus/<target>/`: seeds, and every crash reproducer a
/// fuzzer ever found, named `regression-*`) replayed through the same checks the libFuzzer
/// targets run, so that they stay regression tests without a fuzzing toolchain.
@Suite("fuzz corpora")
struct FuzzCorpusTests {
    static func scratch() throws -> String { try FuzzCheck.makeScratchDirectory("simcore-fuzz-replay") }

    @Test("every committed input passes its target's check", arguments: FuzzCheck.Target.allCases)
    func replay(target: FuzzCheck.Target) throws {
        let directory = RepositoryPaths.fuzzCorpus + "/" + target.rawValue
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names.count >= 6, "\(target.rawValue): \(names.count) inputs")
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for name in names {
            let input = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            do {
                try FuzzCheck.run(target, input, scratch: scratch)
            } catch {
                Issue.record("\(target.rawValue)/\(name): \(error)")
            }
        }
    }

    /// The index-file corpus seeds: each format's current sample, raw (selector i) and resealed
    /// (selector 0x80 | i). A new format fails this test until its seeds are written, with
    /// `SIMCORE_WRITE_FUZZ_SEEDS=1 swift test --filter "fuzz corpora"`.
    @Test("the index-file corpus holds the current sample of every format")
    func indexSeeds() throws {
        let directory = RepositoryPaths.fuzzCorpus + "/" + FuzzCheck.Target.indexFile.rawValue
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let write = ProcessInfo.processInfo.environment["SIMCORE_WRITE_FUZZ_SEEDS"] == "1"
        for (number, format) in IndexFileFormat.all.enumerated() {
            try format.save(scratch + "/sample")
            let sample = Array(try Data(contentsOf: URL(fileURLWithPath: scratch + "/sample")))
            let slug = format.name.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " }.split(separator: " ").joined(separator: "-")
            for (selector, suffix) in [(UInt8(number), "raw"), (0x80 | UInt8(number), "resealed")] {
                let path = "\(directory)/seed-\(slug)-\(suffix)"
                let seed = [selector] + sample
                if write { try Data(seed).write(to: URL(fileURLWithPath: path)) }
                let committed = FileManager.default.contents(atPath: path).map { Array($0) }
                #expect(committed == seed, "\(path) is missing or stale: rerun with SIMCORE_WRITE_FUZZ_SEEDS=1")
            }
        }
    }

    @Test("hand-made inputs pass; blank lines are counted as the line reader splits them")
    func handMade() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FuzzCheck.indexFile([0x80] + Array("SCMHLSH\u{0}".utf8), scratch: scratch)
        try FuzzCheck.jsonLines(Array("{\"id\":1,\"text\":\"a\"}\r\n\n[]\n".utf8))
        try FuzzCheck.textNormalization([0] + Array("“Don’t” — STOP…".utf8))
        #expect(FuzzCheck.nonBlankLines(Array("\u{FEFF}a\r\n \n\tb\nc".utf8)) == [1, 3, 4])
    }
}
