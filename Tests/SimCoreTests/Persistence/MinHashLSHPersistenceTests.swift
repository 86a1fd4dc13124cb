import Foundation
import Testing
@testable import SimCore

@Suite("MinHashLSH persistence")
struct MinHashLSHPersistenceTests {
    /// An index of 200 random documents (every third a near copy), with two removed.
    static func sample() -> (MinHashLSH, [[UInt64]]) {
        let scheme = TestMinHash(signatureLength: 32, seed: 9)
        var generator = SplitMix64(seed: 99)
        var signatures: [[UInt64]] = []
        var index = MinHashLSH(signatureLength: 32, banding: BandingParameters(bandCount: 8, rowsPerBand: 4))
        var previous: [UInt64] = []
        for i in 0..<200 {
            let set = i % 3 == 1 ? Array(previous.dropFirst()) + [generator.next()] : (0..<30).map { _ in generator.next() }
            previous = set
            signatures.append(scheme.signature(of: set))
            index.insert(signatures.last!)
        }
        index.remove(4)
        index.remove(150)
        return (index, signatures)
    }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "simcore-\(name)-\(ProcessInfo.processInfo.processIdentifier).lsh"
    }

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }

    static func write(_ bytes: [UInt8], _ path: String) { _ = FileManager.default.createFile(atPath: path, contents: Data(bytes)) }

    @Test("save and load round-trip: same parameters, counts and candidates; no temporary file left")
    func roundTrip() throws {
        let (index, signatures) = Self.sample()
        let path = Self.temporaryPath("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try index.save(to: path)
        let loaded = try MinHashLSH(contentsOf: path, expectedSignatureLength: 32, expectedBanding: index.banding)
        #expect(loaded.banding == index.banding && loaded.count == 200 && loaded.removedCount == 2)
        #expect(!loaded.contains(4) && loaded.contains(5))
        for signature in signatures { #expect(loaded.candidates(for: signature) == index.candidates(for: signature)) }
        #expect(loaded.candidates(for: signatures[1]).contains(0))
        let directory = (path as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix((path as NSString).lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
        // Saving again replaces the file in place.
        var grown = loaded
        grown.insert(signatures[0])
        try grown.save(to: path)
        #expect(try MinHashLSH(contentsOf: path).count == 201)
    }

    @Test("truncated files are refused, at every cut")
    func truncated() throws {
        let path = Self.temporaryPath("truncated")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.sample().0.save(to: path)
        let bytes = Self.bytes(path)
        for cut in [0, 7, 8, 23, 24, 100, bytes.count / 2, bytes.count - 9, bytes.count - 1] {
            Self.write(Array(bytes[0..<cut]), path)
            #expect(throws: IndexFileError.self, "cut at \(cut)") { try MinHashLSH(contentsOf: path) }
        }
        Self.write(Array(bytes[0..<(bytes.count - 1)]), path)
        #expect(throws: IndexFileError.truncated(expectedBytes: bytes.count, actualBytes: bytes.count - 1)) {
            try MinHashLSH(contentsOf: path)
        }
    }

    @Test("bit flips anywhere after the magic are caught by the checksum")
    func bitFlips() throws {
        let path = Self.temporaryPath("flips")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.sample().0.save(to: path)
        let bytes = Self.bytes(path)
        var generator = SplitMix64(seed: 5)
        for _ in 0..<40 {
            var damaged = bytes
            let position = 24 + Int(generator.next() % UInt64(bytes.count - 24))
            damaged[position] ^= 1 << UInt8(generator.next() % 8)
            Self.write(damaged, path)
            #expect(throws: IndexFileError.checksumMismatch, "flip at \(position)") { try MinHashLSH(contentsOf: path) }
        }
        var magic = bytes
        magic[0] ^= 0x20
        Self.write(magic, path)
        #expect(throws: IndexFileError.notAnIndexFile(path: path)) { try MinHashLSH(contentsOf: path) }
    }

    @Test("wrong version, mismatched parameters and missing files give clear errors")
    func refusals() throws {
        let path = Self.temporaryPath("refusals")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.sample().0.save(to: path)
        var bytes = Self.bytes(path)
        bytes[8] = 3
        let checksum = XXH3.hash64(Array(bytes[0..<(bytes.count - 8)]), seed: 0)
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange((bytes.count - 8)..., with: $0) }
        Self.write(bytes, path)
        #expect(throws: IndexFileError.unsupportedVersion(found: 3, supported: 2)) { try MinHashLSH(contentsOf: path) }

        try Self.sample().0.save(to: path)
        #expect(throws: IndexFileError.parameterMismatch("signature length 32, expected 64")) {
            try MinHashLSH(contentsOf: path, expectedSignatureLength: 64)
        }
        #expect(throws: IndexFileError.parameterMismatch("b=8 r=4, expected b=4 r=8")) {
            try MinHashLSH(contentsOf: path, expectedBanding: BandingParameters(bandCount: 4, rowsPerBand: 8))
        }
        let error = #expect(throws: IndexFileError.self) { try MinHashLSH(contentsOf: path + ".missing") }
        #expect(error?.description.contains("cannot access index file") == true)
    }
}
