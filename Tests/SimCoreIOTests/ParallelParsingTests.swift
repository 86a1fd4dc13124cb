import Foundation
import Testing
import SimCore
@testable import SimCoreIO
import SimCoreFixtures
import SimCoreInternals

/// Block reading and parallel JSON Lines parsing: whatever the thread count and block size, the
/// records, rejects and errors are those of parsing each line on its own, in input order.
@Suite("Parallel JSON Lines parsing")
struct ParallelParsingTests {
    private func write(_ bytes: [UInt8]) throws -> String {
        let path = try ScratchDirectories.make("simcore") + "/input.jsonl"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A file of every kind of line: good records with escapes and numbers, blank lines, CRLF,
    /// bad JSON, missing fields, empty text, invalid UTF-8, one line longer than the blocks.
    private func mixedCorpus(lines count: Int, seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        var lines: [[UInt8]] = []
        for index in 0..<count {
            let kind = random.next() % 12
            var line: [UInt8]
            switch kind {
            case 0: line = []
            case 1: line = Array(#"{"id": "\#(index)", "text": "broken"#.utf8)
            case 2: line = Array(#"{"id": \#(index)}"#.utf8)
            case 3: line = Array(#"{"id": "\#(index)", "text": ""}"#.utf8)
            case 4: line = Array(#"{"id": "\#(index)", "text": "bad "#.utf8) + [0xC3] + Array(#""}"#.utf8)
            case 5: line = Array(#"{"id": "\#(index)", "text": "\#(String(repeating: "long \"q\" ", count: 300))"}"#.utf8)
            case 6: line = Array("{\"id\": \(index), \"text\": \"crlf \\u00e9\"}\r".utf8)
            default:
                let words = (0..<(1 + random.next() % 40)).map { _ in "w\(random.next() % 1000)" }
                line = Array(#"{"id": "d\#(index)", "extra": [1, {"k": "v"}], "text": "\#(words.joined(separator: " "))\n\t\""}"#.utf8)
            }
            lines.append(line)
        }
        return lines
    }

    /// The oracle: each line parsed on its own, numbered from 1, blank lines passed over.
    private func expected(_ lines: [[UInt8]], path: String) -> [Result<CorpusRecord, CorpusError>] {
        let parser = JSONRecordParser(idField: "id", textField: "text")
        var outcomes: [Result<CorpusRecord, CorpusError>] = []
        for (index, var line) in lines.enumerated() {
            if line.last == 0x0D { line.removeLast() }
            if line.isEmpty { continue }
            let number = index + 1
            if let offset = line.withUnsafeBytes({ UTF8Scalars.firstInvalidOffset($0) }) {
                outcomes.append(.failure(CorpusError(path: path, line: number, reason: .invalidUTF8(offset: offset))))
                continue
            }
            do {
                let record = try line.withUnsafeBytes { raw in try parser.parse(raw) }
                guard let id = record.id else {
                    outcomes.append(.failure(CorpusError(path: path, line: number, reason: .missingField("id"))))
                    continue
                }
                guard let text = record.text else {
                    outcomes.append(.failure(CorpusError(path: path, line: number, reason: .missingField("text"))))
                    continue
                }
                if text.isEmpty {
                    outcomes.append(.failure(CorpusError(path: path, line: number, reason: .emptyText)))
                    continue
                }
                outcomes.append(.success(CorpusRecord(document: Document(id: id.text, utf8: text), id: id, path: path, line: number)))
            } catch let error as JSONRecordParser.Failure {
                outcomes.append(.failure(CorpusError(path: path, line: number, reason: error.corpusReason)))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        return outcomes
    }

    static let shapes: [(threads: Int, blockBytes: Int)] = [(1, 1), (1, 4 << 20), (2, 1), (2, 97), (3, 1_000), (8, 4_096), (2, 4 << 20)]

    @Test("records and rejects equal line-by-line parsing for every thread count and block size", arguments: 0..<shapes.count)
    func skipPolicy(shape: Int) throws {
        let (threads, blockBytes) = Self.shapes[shape]
        let lines = mixedCorpus(lines: 600, seed: 14)
        // A byte-order mark first; the last line has no newline.
        let bytes = [0xEF, 0xBB, 0xBF] + Array(lines.joined(separator: [0x0A]))
        let path = try write(bytes)
        let oracle = expected(lines, path: path)
        let reader = CorpusReader(
            paths: [path], options: CorpusOptions(invalidInput: .skip, threads: threads), blockBytes: blockBytes)
        var records: [CorpusRecord] = []
        while let record = try reader.nextRecord() { records.append(record) }
        let wanted = oracle.compactMap { try? $0.get() }
        let wantedRejects = oracle.compactMap { outcome -> CorpusError? in
            if case .failure(let error) = outcome { return error }
            return nil
        }
        #expect(records.count == wanted.count, "threads \(threads), block \(blockBytes)")
        #expect(records == wanted, "threads \(threads), block \(blockBytes)")
        #expect(reader.rejected == wantedRejects, "threads \(threads), block \(blockBytes)")
        #expect(reader.documentsRead + reader.rejected.count == lines.filter { !$0.isEmpty }.count)
    }

    @Test("upcoming id hashes name the outcomes still to come (a rejected line's is 0), for every thread count and block size",
          arguments: 0..<shapes.count)
    func upcomingIDHashes(shape: Int) throws {
        let (threads, blockBytes) = Self.shapes[shape]
        let lines = mixedCorpus(lines: 600, seed: 16)
        let path = try write(Array(lines.joined(separator: [0x0A])))
        let oracle = expected(lines, path: path)
        func hash(_ outcome: Result<CorpusRecord, CorpusError>) -> UInt64 {
            guard case .success(let record) = outcome else { return 0 }
            return Array(record.id.text.utf8).withUnsafeBytes { XXH3.hash64($0) }
        }
        let reader = CorpusReader(
            paths: [path], options: CorpusOptions(invalidInput: .skip, threads: threads), blockBytes: blockBytes)
        var last = -1
        var compared = 0
        while let record = try reader.nextRecord() {
            // The outcome just handed out: the next success after the previous one.
            last = try #require(oracle[(last + 1)...].firstIndex { (try? $0.get()) != nil })
            #expect(record == (try oracle[last].get()))
            for distance in 0..<20 {
                guard let upcoming = reader.upcomingIDHash(distance) else { continue }
                let place = last + 1 + distance
                #expect(place < oracle.count && upcoming == hash(oracle[place]), "record \(last), distance \(distance)")
                compared += 1
            }
        }
        #expect(reader.upcomingIDHash(0) == nil)
        // Small blocks hold few records ahead; a block of every line most.
        #expect(blockBytes < 1 << 20 || compared > 5_000, "threads \(threads), block \(blockBytes): \(compared)")
    }

    @Test("the first bad line stops reading, after exactly the records before it", arguments: 0..<shapes.count)
    func failPolicy(shape: Int) throws {
        let (threads, blockBytes) = Self.shapes[shape]
        let lines = mixedCorpus(lines: 300, seed: 15)
        let path = try write(Array(lines.joined(separator: [0x0A])) + [0x0A])
        let oracle = expected(lines, path: path)
        let firstBad = try #require(oracle.firstIndex { if case .failure = $0 { true } else { false } })
        let reader = CorpusReader(paths: [path], options: CorpusOptions(threads: threads), blockBytes: blockBytes)
        let failure = try #require(oracle[firstBad].failureValue)
        var records: [CorpusRecord] = []
        #expect(throws: failure) {
            while let record = try reader.nextRecord() { records.append(record) }
        }
        #expect(records == oracle[..<firstBad].map { try! $0.get() })
    }

    @Test("several files read ahead block after block: every record of each file, in order, and a reader dropped mid-file",
          arguments: [1, 97, 4_096], [2, 8])
    func severalFiles(blockBytes: Int, threads: Int) throws {
        var paths: [String] = []
        var wanted: [CorpusRecord] = []
        var wantedRejects: [CorpusError] = []
        for file in 0..<3 {
            let lines = mixedCorpus(lines: 200 + 50 * file, seed: 20 + UInt64(file))
            let path = try write(Array(lines.joined(separator: [0x0A])))
            paths.append(path)
            for outcome in expected(lines, path: path) {
                switch outcome {
                case .success(let record): wanted.append(record)
                case .failure(let error): wantedRejects.append(error)
                }
            }
        }
        let reader = CorpusReader(paths: paths, options: CorpusOptions(invalidInput: .skip, threads: threads), blockBytes: blockBytes)
        var records: [CorpusRecord] = []
        while let record = try reader.nextRecord() { records.append(record) }
        let firstDifference = (0..<Swift.min(records.count, wanted.count)).first { records[$0] != wanted[$0] } ?? Swift.min(records.count, wanted.count)
        #expect(records.count == wanted.count && firstDifference == wanted.count,
                "block \(blockBytes): \(records.count) records of \(wanted.count), the first difference at \(firstDifference)")
        #expect(reader.rejected == wantedRejects, "block \(blockBytes)")
        #expect(reader.inputBytesRead == paths.reduce(0) { $0 + (Platform.fileSize(atPath: $1) ?? 0) })
        // Blocks still being read ahead finish on their own after their reader is gone: this
        // part checks only that nothing crashes or hangs.
        var partial: CorpusReader? = CorpusReader(
            paths: paths, options: CorpusOptions(invalidInput: .skip, threads: threads), blockBytes: blockBytes)
        for _ in 0..<10 { _ = try partial?.nextRecord() }
        partial = nil
    }

    @Test("blocks read ahead: half as many as threads, at least two")
    func readAheadDepth() {
        #expect([1, 2, 3, 5, 6, 8, 16, 64].map { CorpusReader.readAhead(threads: $0) } == [2, 2, 2, 2, 3, 4, 8, 32])
    }

    @Test("nextLines: whole lines, CRLF and BOM dropped, the last line without a newline, consecutive numbers")
    func blocks() throws {
        let text = "\u{FEFF}one\r\n\ntwo three\nfour\r\n" + String(repeating: "x", count: 3_000) + "\nlast"
        let path = try write(Array(text.utf8))
        for maximumBytes in [1, 5, 64, 10_000] {
            let reader = try LineReader(path: path)
            var lines: [String] = []
            var numbers: [Int] = []
            while let block = try reader.nextLines(maximumBytes: maximumBytes, { block, ranges, first in
                (ranges.map { String(decoding: UnsafeRawBufferPointer(rebasing: block[$0]), as: UTF8.self) }, first)
            }) {
                #expect(block.1 == lines.count + 1)
                numbers.append(block.1)
                lines += block.0
                if maximumBytes == 1 { #expect(block.0.count == 1) }
            }
            #expect(lines == ["one", "", "two three", "four", String(repeating: "x", count: 3_000), "last"], "maximumBytes \(maximumBytes)")
            #expect(reader.lineNumber == 6)
        }
    }

    @Test("a pipe writer that waits for each line to be read is not kept waiting for a whole block")
    func lineAtATimePipe() throws {
        let pipe = Pipe()
        let firstBlockRead = DispatchSemaphore(value: 0)
        let writer = pipe.fileHandleForWriting
        let waited = LockedBox(false)
        let thread = Thread {
            writer.write(Data(#"{"id":"1","text":"first"}"#.utf8 + [0x0A]))
            // Waits for the reader to hand out the first line before writing the second.
            if firstBlockRead.wait(timeout: .now() + 20) == .timedOut { waited.value = true }
            writer.write(Data(#"{"id":"2","text":"second"}"#.utf8 + [0x0A]))
            try? writer.close()
        }
        thread.start()
        let lines = try LineReader(path: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)")
        var seen: [Int] = []
        while let count = try lines.nextLines(maximumBytes: 4 << 20, { _, ranges, _ in ranges.count }) {
            seen.append(count)
            if seen.count == 1 { firstBlockRead.signal() }
        }
        #expect(seen == [1, 1])
        #expect(!waited.value, "the reader waited for a whole block before handing out the first line")
    }

    @Test("JSON strings: escapes and controls at every offset decode as Foundation decodes them")
    func stringScan() throws {
        let parser = JSONRecordParser(idField: "id", textField: "text")
        let specials = [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, #"\ud83d\ude00"#, "é", #"\/"#]
        for length in 0..<20 {
            for special in specials {
                for offset in 0...length {
                    var body = String(repeating: "a", count: length)
                    body.insert(contentsOf: special, at: body.index(body.startIndex, offsetBy: offset))
                    let line = #"{"id":"x","text":"\#(body)"}"#
                    let ours = try parser.parse(line).text
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    let theirs = (object?["text"] as? String).map { Array($0.utf8) }
                    #expect(ours == theirs, "\(line)")
                }
                var raw = Array(#"{"id":"x","text":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: length)
                raw += [0x01] + Array(#""}"#.utf8)
                let column = 19 + length
                #expect(throws: JSONRecordParser.Failure.syntax(
                    "expected no raw control character inside a string at column \(column), found byte 1")) {
                    try raw.withUnsafeBytes { try parser.parse($0) }
                }
            }
        }
        // Long strings take the vector kernel: a special byte at every offset of a 200-byte run.
        for special in specials {
            for offset in stride(from: 0, through: 200, by: 7) {
                var body = String(repeating: "b", count: 200)
                body.insert(contentsOf: special, at: body.index(body.startIndex, offsetBy: offset))
                let line = #"{"id":"x","text":"\#(body)"}"#
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(try parser.parse(line).text == (object?["text"] as? String).map { Array($0.utf8) }, "\(line)")
            }
        }
        // A key with an escape still names its field.
        #expect(try parser.parse(#"{"\u0069d":"y","t\u0065xt":"z"}"#).text == Array("z".utf8))
    }

    @Test("the JSON string kernel of every variant finds the first quote, backslash or control byte")
    func jsonKernel() {
        var random = SplitMix64(seed: 99)
        let variants = _TextKernels.supportedVariants
        for _ in 0..<3_000 {
            let count = Int(random.next() % 300)
            let bytes: [UInt8] = (0..<count).map { _ in
                switch random.next() % 300 {
                case 0: 0x22
                case 1: 0x5C
                case 2: UInt8(random.next() % 0x20)
                default: UInt8(0x20 + random.next() % 224)
                }
            }
            let expected = bytes.firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } ?? count
            for isa in variants {
                let found = bytes.withUnsafeBufferPointer { _TextKernels.jsonSpecialByte($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: count, isa: isa) }
                #expect(found == expected, "\(isa), \(count) bytes")
            }
        }
    }

    @Test("the JSON unescape kernel of every variant copies runs, decodes simple and \\u escapes (surrogate pairs as one scalar), and stops where the parser takes over")
    func jsonUnescapeKernel() {
        var random = SplitMix64(seed: 41)
        let variants = _TextKernels.supportedVariants
        let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
        // \u escapes: scalars of 1 to 3 UTF-8 bytes in either case, a pair, and what the parser
        // must judge: lone surrogates, a high one before a non-low escape, bad hex digits.
        let unicode = [#"\u00e9"#, #"\u20AC"#, #"\u0041"#, #"\u0000"#, #"\u0022"#, #"\uFFFF"#, #"\u07Ff"#, #"\uD83D\uDE00"#,
                       #"\udbff\udfff"#, #"\uD83D"#, #"\uDE00"#, #"\uD83D\u0041"#, #"\uD83D\uD83D"#, #"\u12G4"#, #"\u00"#].map { Array($0.utf8) }
        for round in 0..<3_000 {
            // Every second input is sparse (a special byte every 2,000 on average), so that whole
            // 64-byte blocks without one, and inputs ending on a block's edge, come up.
            let sparse = round % 2 == 1
            let count = sparse ? [0, 1, 63, 64, 65, 127, 128, 129, 200, 256, 399][round / 2 % 11] : Int(random.next() % 400)
            var bytes: [UInt8] = []
            while bytes.count < count {
                switch random.next() % (sparse ? 2_000 : 40) {
                case 0: bytes.append(0x22)
                case 1...6: bytes.append(0x5C)
                case 7...10: bytes.append([0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74, 0x75, 0x71][Int(random.next() % 10)])
                case 11: bytes.append(UInt8(random.next() % 0x20))
                case 12...16: bytes += unicode[Int(random.next() % UInt64(unicode.count))]
                default: bytes.append(UInt8(0x20 + random.next() % 224))
                }
            }
            // Cut to `count`, so that escapes cut off by the end come up too.
            bytes.removeLast(bytes.count - count)
            // The reference: byte by byte, escape by escape.
            var expected: [UInt8] = []
            var stop = 0
            func hex4(_ at: Int) -> UInt32? {
                guard at + 4 <= count else { return nil }
                var value: UInt32 = 0
                for byte in bytes[at..<at + 4] {
                    guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
                    value = value << 4 | UInt32(digit)
                }
                return value
            }
            while stop < count {
                let byte = bytes[stop]
                if byte == 0x22 || byte < 0x20 { break }
                if byte == 0x5C {
                    guard stop + 1 < count else { break }
                    if let decoded = simple[bytes[stop + 1]] {
                        expected.append(decoded)
                        stop += 2
                        continue
                    }
                    guard bytes[stop + 1] == 0x75, var value = hex4(stop + 2), !(0xDC00...0xDFFF).contains(value) else { break }
                    var used = 6
                    if (0xD800...0xDBFF).contains(value) {
                        guard stop + 12 <= count, bytes[stop + 6] == 0x5C, bytes[stop + 7] == 0x75, let low = hex4(stop + 8),
                              (0xDC00...0xDFFF).contains(low) else { break }
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        used = 12
                    }
                    expected += Array(String(Unicode.Scalar(value)!).utf8)
                    stop += used
                } else {
                    expected.append(byte)
                    stop += 1
                }
            }
            for isa in variants {
                var output = [UInt8](repeating: 0xAA, count: count + 1)
                let result = bytes.withUnsafeBufferPointer { source in
                    output.withUnsafeMutableBufferPointer { room in
                        _TextKernels.jsonUnescape(
                            source.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: count, into: room.baseAddress!, isa: isa)
                    }
                }
                #expect(result?.consumed == stop && result?.written == expected.count, "\(isa), \(count) bytes")
                #expect(Array(output[..<expected.count]) == expected, "\(isa)")
                #expect(output[count] == 0xAA, "\(isa): wrote past its room")
                // Only the AVX-512 variant stores whole blocks while it scans.
                if isa != .avx512 { #expect(output[expected.count] == 0xAA, "\(isa): wrote past what it reported") }
            }
        }
    }

    @Test("JSON strings mixing runs of every length with escapes of every kind decode as Foundation decodes them")
    func escapeMixtures() throws {
        let parser = JSONRecordParser(idField: "id", textField: "text")
        var random = SplitMix64(seed: 5)
        let pieces = [#"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#, #"\u00e9"#, #"\u20AC"#, #"\ud83d\ude00"#, "é", "€"]
        for _ in 0..<500 {
            var body = "s"
            for _ in 0..<Int(random.next() % 12) {
                body += String(repeating: "w", count: Int(random.next() % 90))
                for _ in 0..<Int(1 + random.next() % 4) { body += pieces[Int(random.next() % UInt64(pieces.count))] }
            }
            let line = #"{"id":"x","text":"\#(body)"}"#
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(try parser.parse(line).text == (object?["text"] as? String).map { Array($0.utf8) }, "\(line)")
        }
        // Errors after decoded escapes keep their columns: a bad escape, a control byte, a
        // backslash at the end of the line.
        let prefix = #"{"id":"x","text":"ab\n\t"#
        #expect(throws: JSONRecordParser.Failure.syntax(#"expected a valid escape (\" \\ \/ \b \f \n \r \t \uXXXX) at column 26, found 'q'"#)) {
            try parser.parse(prefix + #"\q"}"#)
        }
        #expect(throws: JSONRecordParser.Failure.syntax("expected no raw control character inside a string at column 25, found byte 1")) {
            try Array((prefix + "\u{01}\"}").utf8).withUnsafeBytes { try parser.parse($0) }
        }
        #expect(throws: JSONRecordParser.Failure.syntax("expected an escape at column 26, found end of line")) {
            try parser.parse(prefix + #"\"#)
        }
    }

    @Test("the UTF-8 check of every variant agrees with the scalar validator, at every offset of an invalid or multi-byte sequence")
    func utf8Kernel() {
        var random = SplitMix64(seed: 17)
        let variants = _TextKernels.supportedVariants
        // Mostly ASCII with a few valid scalars (2-, 3-, 4-byte) and, now and then, a byte that
        // breaks a sequence: lone continuations, overlong leads, surrogates, truncated tails.
        let pieces: [[UInt8]] = [
            Array("é".utf8), Array("€".utf8), Array("𝄞".utf8), [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF5, 0x80],
        ]
        for round in 0..<2_000 {
            let count = Int(random.next() % 300)
            var bytes: [UInt8] = []
            while bytes.count < count {
                if random.next() % 40 == 0 {
                    let piece = pieces[Int(random.next() % UInt64(round % 3 == 0 ? pieces.count : 3))]
                    bytes += piece
                } else {
                    bytes.append(UInt8(random.next() % 0x80))
                }
            }
            let expected = UTF8Scalars.firstInvalidOffset(bytes)
            #expect(bytes.withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0) } == expected, "seed 17, round \(round)")
            for isa in variants {
                #expect(bytes.withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0, isa: isa) } == expected, "seed 17, round \(round), \(isa)")
            }
        }
        // Text in a non-Latin script (a scalar of 2, 3 or 4 bytes almost everywhere, a space now
        // and then), where every 32-byte block goes through the vector check; now and then a bad
        // byte anywhere, found at its exact offset.
        let scalars: [[UInt8]] = [Array("Ж".utf8), Array("я".utf8), Array("語".utf8), Array("𝄞".utf8), Array(" ".utf8), Array("ٌ".utf8)]
        let bad: [[UInt8]] = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF5, 0x80], [0xF0, 0x8F, 0x80], [0xFF], [0xC3]]
        for round in 0..<2_000 {
            let count = Int(random.next() % 400)
            var bytes: [UInt8] = []
            while bytes.count < count {
                bytes += random.next() % 97 == 0 ? bad[Int(random.next() % UInt64(bad.count))] : scalars[Int(random.next() % UInt64(scalars.count))]
            }
            let expected = UTF8Scalars.firstInvalidOffset(bytes)
            for isa in variants {
                #expect(bytes.withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0, isa: isa) } == expected, "non-Latin, round \(round), \(isa)")
            }
        }
        // Exact values: the first byte of the bad sequence; a sequence cut by the end of the input.
        #expect([UInt8](repeating: 0x61, count: 100).withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0) } == nil)
        #expect(([UInt8](repeating: 0x61, count: 70) + [0xC3, 0x28]).withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0) } == 70)
        #expect(([UInt8](repeating: 0x61, count: 64) + Array("é".utf8) + [0xE2, 0x82]).withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0) } == 66)
        for isa in variants {
            var bytes = [UInt8](repeating: 0x20, count: 200)
            for offset in 0..<200 {
                bytes[offset] = 0xFF
                #expect(bytes.withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0, isa: isa) } == offset, "\(isa)")
                bytes[offset] = 0x20
            }
        }
    }
}

extension ParallelParsingTests {
    @Test("the UTF-8 check of every variant agrees with the scalar validator for every lead byte and every second byte, whole, cut short or followed by a bad byte, at the end of the input or inside it")
    func utf8KernelEveryLead() {
        let variants = _TextKernels.supportedVariants
        for lead in 0x80...0xFF {
            for second in 0...0xFF {
                // 70 ASCII bytes first, so that the vector scan reaches the sequence mid-block.
                let head = [UInt8](repeating: 0x61, count: 70) + [UInt8(lead), UInt8(second)]
                for tail in [[0x80, 0x80, 0x61], [0xBF, 0xBF], [0x80], [0x41, 0x80], [0x80, 0xC0], [], [0xE9, 0x80, 0x80]] as [[UInt8]] {
                    // As the input's end, and followed by 60 ASCII bytes (so that a whole block
                    // round the sequence goes through the vector check).
                    for padding in [0, 60] {
                        let bytes = head + tail + [UInt8](repeating: 0x61, count: padding)
                        let expected = UTF8Scalars.firstInvalidOffset(bytes)
                        for isa in variants {
                            #expect(bytes.withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0, isa: isa) } == expected,
                                    "lead \(lead), second \(second), tail \(tail), padding \(padding), \(isa)")
                        }
                    }
                }
            }
        }
        // Exact values at the boundaries of the second byte's ranges.
        for (bytes, expected) in [
            ([0xE0, 0x9F, 0x80], 0), ([0xE0, 0xA0, 0x80], nil), ([0xED, 0x9F, 0xBF], nil), ([0xED, 0xA0, 0x80], 0),
            ([0xF0, 0x8F, 0x80, 0x80], 0), ([0xF0, 0x90, 0x80, 0x80], nil), ([0xF4, 0x8F, 0xBF, 0xBF], nil), ([0xF4, 0x90, 0x80, 0x80], 0),
            ([0xC1, 0xBF], 0), ([0xC2, 0x80], nil), ([0xF5, 0x80, 0x80, 0x80], 0), ([0x61, 0xEF, 0xBF, 0xBD], nil),
        ] as [([UInt8], Int?)] {
            #expect(bytes.withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0) } == expected, "\(bytes)")
        }
    }
}

extension Result {
    fileprivate var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// A value shared between a test and the thread it starts.
final class LockedBox<Value>: @unchecked Sendable {
    // SAFETY: `value` is read and written only under `lock`.
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
