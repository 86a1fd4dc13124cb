import Foundation
import Testing
@testable import SimCore

@Suite("binary writer and streamed index files")
struct BinaryWriterTests {
    /// Small values, a piece past the drain's mebibyte, and more small values.
    static func writeSample(_ writer: inout _BinaryWriter) {
        for value in 0..<100_000 { writer.write(UInt32(value)) }
        let large = (0..<(3 << 17)).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        writer.write(array: large)
        writer.write(UInt8(7))
        writer.write(array: [Int32](repeating: -1, count: 1_000))
    }

    @Test("a draining writer hands over the same bytes in order as a keeping one holds, and a counting one counts them")
    func drainAndCount() {
        var kept = _BinaryWriter()
        Self.writeSample(&kept)
        var counted = _BinaryWriter.counting
        Self.writeSample(&counted)
        var drained: [UInt8] = []
        var pieces = 0
        var draining = _BinaryWriter.draining { piece in
            drained.append(contentsOf: piece)
            pieces += 1
        }
        Self.writeSample(&draining)
        draining.flush()
        #expect(kept.bytes.count == 400_000 + 8 + 3 * 8 << 17 + 1 + 8 + 4_000)
        #expect(drained == kept.bytes)
        #expect(counted.byteCount == kept.bytes.count && counted.bytes.isEmpty)
        #expect(draining.byteCount == kept.bytes.count && draining.bytes.isEmpty)
        // 400 KB of small values, then the 3 MiB array on its own, then the rest at the flush.
        #expect(pieces == 3)
    }

    @Test("values converted or produced a block at a time are the array's bytes")
    func convertedValues() {
        let values = (0..<10_000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        var converted = _BinaryWriter()
        converted.append(count: values.count) { UInt32(truncatingIfNeeded: values[$0]) }
        var direct = _BinaryWriter()
        values.map { UInt32(truncatingIfNeeded: $0) }.withUnsafeBufferPointer { direct.append(values: $0) }
        #expect(converted.bytes == direct.bytes && converted.bytes.count == 40_000)
        // Values handed over as something is walked, across the 4,096-value blocks.
        var produced = _BinaryWriter()
        produced.append(UInt32.self) { put in values.forEach { put(UInt32(truncatingIfNeeded: $0)) } }
        #expect(produced.bytes == direct.bytes)
        var empty = _BinaryWriter()
        empty.append(count: 0) { _ in UInt8(1) }
        #expect(empty.bytes.isEmpty)
    }

    @Test("a file written but never committed leaves nothing behind")
    func uncommitted() throws {
        let path = MinHashLSHPersistenceTests.temporaryPath("uncommitted")
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        func leftovers() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(name) } }
        do {
            let file = try _IndexFileWriter(path: path, magic: Array("SCTEST\0\0".utf8), version: 1)
            file.write { Self.writeSample(&$0) }
            #expect(try leftovers().count == 1, "the temporary file")
        }
        #expect(try leftovers().isEmpty)
    }

    @Test("a streamed index file is the envelope the one-piece writer makes around the same payload")
    func streamedFile() throws {
        let streamed = MinHashLSHPersistenceTests.temporaryPath("streamed")
        let whole = MinHashLSHPersistenceTests.temporaryPath("whole")
        defer { for path in [streamed, whole] { try? FileManager.default.removeItem(atPath: path) } }
        let magic = Array("SCTEST\0\0".utf8)
        try _IndexFile.write(to: streamed, magic: magic, version: 9) { Self.writeSample(&$0) }
        var payload = _BinaryWriter()
        Self.writeSample(&payload)
        // The one-piece envelope, built here: header, payload, checksum of both.
        var file = magic
        var header = _BinaryWriter()
        header.write(UInt32(9))
        header.write(UInt32(0))
        header.write(UInt64(payload.bytes.count))
        file += header.bytes + payload.bytes
        file += withUnsafeBytes(of: XXH3.hash64(file).littleEndian, Array.init)
        #expect(MinHashLSHPersistenceTests.bytes(streamed) == file)
        try _IndexFile.write(payload: payload.bytes, magic: magic, version: 9, to: whole)
        #expect(MinHashLSHPersistenceTests.bytes(whole) == file)
        // Nothing is left beside the files.
        let directory = (streamed as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") && $0.hasPrefix((streamed as NSString).lastPathComponent) }
        #expect(leftovers.isEmpty)
    }
}
