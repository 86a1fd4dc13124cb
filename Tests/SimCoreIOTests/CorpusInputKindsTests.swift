import Foundation
import Testing
import SimCore
@testable import SimCoreIO
import SimCoreFixtures

@Suite("Corpus input: directories of shards, gzip, .txt files, kept lines, progress")
struct CorpusInputKindsTests {
    /// A fresh temporary directory for one test, removed when the test process exits.
    private func temporaryDirectory() throws -> String { try ScratchDirectories.make("simcore-kinds") }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// `bytes` compressed by the system's `gzip -c -n`.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread { try? input.fileHandleForWriting.write(contentsOf: Data(bytes)); try? input.fileHandleForWriting.close() }
        writer.start()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(compressed)
    }

    static func lines(_ ids: ClosedRange<Int>) -> String {
        ids.map { #"{"id":"d\#($0)","text":"text of document \#($0)"}"# + "\n" }.joined()
    }

    @Test("a directory: shards in byte order of their names, then .txt files; subdirectories and other files passed over")
    func directoryOfShards() throws {
        let directory = try temporaryDirectory()
        try write(Self.lines(3...4), to: directory + "/b.ndjson")
        try write(Self.lines(1...2), to: directory + "/a.jsonl")
        try Data(try Self.gzip(Array(Self.lines(5...5).utf8))).write(to: URL(fileURLWithPath: directory + "/c.jsonl.gz"))
        try write("plain text", to: directory + "/A.txt")
        try write("ignored", to: directory + "/notes.json")
        try write("ignored", to: directory + "/labels.tsv")
        try FileManager.default.createDirectory(atPath: directory + "/sub.jsonl", withIntermediateDirectories: true)
        try write(Self.lines(9...9), to: directory + "/sub.jsonl/x.jsonl")
        let corpus = try CorpusReader.readAll(paths: [directory])
        #expect(corpus.documents.map(\.id) == ["d1", "d2", "d3", "d4", "d5", "A"])
    }

    @Test("a directory without shards or .txt files is an error naming it")
    func emptyDirectory() throws {
        let directory = try temporaryDirectory()
        try write("x", to: directory + "/notes.csv")
        #expect(throws: CorpusError(path: directory, line: nil, reason: .noInputFiles)) {
            try CorpusReader.readAll(paths: [directory])
        }
    }

    @Test("every path is checked before the first document: a later missing path fails at once")
    func plannedFirst() throws {
        let directory = try temporaryDirectory()
        try write(Self.lines(1...2), to: directory + "/a.jsonl")
        let reader = CorpusReader(paths: [directory + "/a.jsonl", directory + "/missing.jsonl"])
        #expect(throws: CorpusError.self) { try reader.nextRecord() }
        #expect(reader.documentsRead == 0)
    }

    @Test("a single .txt file is one document")
    func textFile() throws {
        let directory = try temporaryDirectory()
        try write("one document", to: directory + "/story.TXT")
        let corpus = try CorpusReader.readAll(paths: [directory + "/story.TXT"])
        #expect(corpus.documents == [Document(id: "story", text: "one document")])
    }

    @Test("gzip JSON Lines read like plain ones: one member, several members, any name")
    func gzip() throws {
        let directory = try temporaryDirectory()
        let plain = Array(Self.lines(1...3).utf8)
        try Data(try Self.gzip(plain)).write(to: URL(fileURLWithPath: directory + "/one.jsonl.gz"))
        let members = try Self.gzip(Array(Self.lines(1...2).utf8)) + Self.gzip(Array(Self.lines(3...3).utf8))
        try Data(members).write(to: URL(fileURLWithPath: directory + "/members.ndjson.gz"))
        try Data(try Self.gzip(plain)).write(to: URL(fileURLWithPath: directory + "/misnamed.jsonl"))
        for name in ["one.jsonl.gz", "members.ndjson.gz", "misnamed.jsonl"] {
            let corpus = try CorpusReader.readAll(paths: [directory + "/" + name])
            #expect(corpus.documents.map(\.id) == ["d1", "d2", "d3"], "\(name)")
            #expect(corpus.documents[2].text == "text of document 3")
        }
    }

    @Test("corrupt and truncated gzip data are errors, never a short corpus")
    func damagedGzip() throws {
        let directory = try temporaryDirectory()
        let compressed = try Self.gzip(Array(Self.lines(1...200).utf8))
        try Data(compressed.prefix(compressed.count - 12)).write(to: URL(fileURLWithPath: directory + "/cut.jsonl.gz"))
        let cut = #expect(throws: CorpusError.self) { try CorpusReader.readAll(paths: [directory + "/cut.jsonl.gz"]) }
        #expect(cut?.description.contains("truncated gzip data") == true, "\(String(describing: cut))")
        var flipped = compressed
        flipped[compressed.count / 2] ^= 0xFF
        try Data(flipped).write(to: URL(fileURLWithPath: directory + "/flipped.jsonl.gz"))
        let corrupt = #expect(throws: CorpusError.self) { try CorpusReader.readAll(paths: [directory + "/flipped.jsonl.gz"]) }
        #expect(corrupt?.description.contains("gzip") == true, "\(String(describing: corrupt))")
    }

    @Test("a read error while blocks are read ahead: the records before it, then the same error on every later call, never the next file", arguments: [1, 2])
    func readErrorAhead(threads: Int) throws {
        let directory = try temporaryDirectory()
        let compressed = try Self.gzip(Array(Self.lines(1...3_000).utf8))
        try Data(compressed.prefix(compressed.count - 12)).write(to: URL(fileURLWithPath: directory + "/a-cut.jsonl.gz"))
        try write(Self.lines(5_001...5_010), to: directory + "/b-good.jsonl")
        let reader = CorpusReader(
            paths: [directory + "/a-cut.jsonl.gz", directory + "/b-good.jsonl"], options: CorpusOptions(threads: threads), blockBytes: 97)
        var records = 0
        let first = #expect(throws: CorpusError.self) {
            while try reader.nextRecord() != nil { records += 1 }
        }
        #expect(first?.description.contains("truncated gzip data") == true, "\(String(describing: first))")
        #expect(records > 100 && records < 3_000, "\(records) records before the error")
        let again = #expect(throws: CorpusError.self) { _ = try reader.nextRecord() }
        #expect(again == first)
        #expect(reader.inputBytesRead <= compressed.count)
    }

    /// Everything a reader hands out, comparable: records (id, kind, text, line) and rejects, or
    /// the error that ended reading.
    static func outcome(of reader: CorpusReader) -> String {
        var seen: [String] = []
        do {
            while let record = try reader.nextRecord() {
                seen.append("\(record.line ?? 0) \(record.id.description) \(record.document.utf8)")
            }
        } catch {
            seen.append("error \(error)")
        }
        return (seen + reader.rejected.map { "reject \($0)" }).joined(separator: "\n")
    }

    @Test("JSON Lines in memory read exactly as the same bytes in a file: records, rejects, errors, lines", arguments: [
        CorpusOptions.InvalidInputPolicy.skip, .fail,
    ])
    func inMemory(policy: CorpusOptions.InvalidInputPolicy) throws {
        let directory = try temporaryDirectory()
        let good = Array(Self.lines(1...3).utf8)
        let inputs: [[UInt8]] = [
            [], Array("\n \n\t\n".utf8), good, [0xEF, 0xBB, 0xBF] + Array(Self.lines(1...2).replacingOccurrences(of: "\n", with: "\r\n").utf8),
            Array(#"{"id":1,"text":"a"}"#.utf8) + [0x0A, 0xFF, 0x0A] + Array(#"{"id":"x","text":"b"#.utf8),
            Array(#"[1]"#.utf8) + [0x0A] + Array(#"{"id":2,"text":""}"#.utf8) + [0x0A] + good,
            try Self.gzip(good), try Self.gzip(good) + Self.gzip(Array(Self.lines(4...4).utf8)), Array(try Self.gzip(good).dropLast(9)),
            [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02],
        ]
        for (number, bytes) in inputs.enumerated() {
            let path = directory + "/input-\(number).jsonl"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for threads in [1, 2] {
                let options = CorpusOptions(invalidInput: policy, threads: threads)
                let fromFile = Self.outcome(of: CorpusReader(paths: [path], options: options))
                let fromMemory = Self.outcome(of: CorpusReader(jsonLines: bytes, path: path, options: options))
                #expect(fromMemory == fromFile, "input \(number), \(policy), \(threads) threads")
                #expect(!fromFile.isEmpty || bytes.allSatisfy { [0x0A, 0x20, 0x09].contains($0) }, "input \(number) reads as nothing")
            }
            // Line by line too: the same lines, numbered alike.
            let file = try LineReader(path: path), memory = LineReader(bytes: bytes, path: path)
            func lines(_ reader: LineReader) -> [String] {
                var found: [String] = []
                do {
                    while let line = try reader.nextLine({ Array($0) }) { found.append("\(reader.lineNumber) \(line)") }
                } catch {
                    found.append("error \(error)")
                }
                return found
            }
            #expect(lines(memory) == lines(file), "input \(number)")
        }
    }

    @Test("a missing field lists the fields the record has")
    func missingFieldListsFields() throws {
        let directory = try temporaryDirectory()
        try write(#"{"url":"u","body":"some text","meta":{"text":1}}"# + "\n", to: directory + "/in.jsonl")
        let error = #expect(throws: CorpusError.self) { try CorpusReader.readAll(paths: [directory + "/in.jsonl"]) }
        #expect(error?.reason == .missingField("id"))
        #expect(error?.fieldsPresent == ["url", "body", "meta"])
        #expect(error?.description == directory + #"/in.jsonl:1: missing field "id" (fields present: "url", "body", "meta")"#)
    }

    @Test("source lines are kept byte for byte only when asked")
    func sourceLines() throws {
        let directory = try temporaryDirectory()
        let line = #"{"text": "x y z", "id": 7, "extra": [1, {"a": null}], "caf\u00e9": "\u00e9"}"#
        try write(line + "\r\n", to: directory + "/in.jsonl")
        var options = CorpusOptions()
        #expect(try CorpusReader(paths: [directory + "/in.jsonl"], options: options).nextRecord()?.sourceLine == nil)
        options.keepsSourceLines = true
        #expect(try CorpusReader(paths: [directory + "/in.jsonl"], options: options).nextRecord()?.sourceLine == Array(line.utf8))
    }

    @Test("input bytes: the total of the files' sizes, read up to it; unknown for standard input")
    func progressBytes() throws {
        let directory = try temporaryDirectory()
        try write(Self.lines(1...50), to: directory + "/a.jsonl")
        try write("a text document", to: directory + "/b.txt")
        let compressed = try Self.gzip(Array(Self.lines(1...50).utf8))
        try Data(compressed).write(to: URL(fileURLWithPath: directory + "/c.jsonl.gz"))
        let reader = CorpusReader(paths: [directory + "/a.jsonl", directory + "/b.txt", directory + "/c.jsonl.gz"])
        #expect(reader.inputBytes == nil)
        try reader.plan()
        let total = Self.lines(1...50).utf8.count + 15 + compressed.count
        #expect(reader.inputBytes == total)
        var previous = 0
        while try reader.nextRecord() != nil {
            #expect(reader.inputBytesRead >= previous && reader.inputBytesRead <= total)
            previous = reader.inputBytesRead
        }
        #expect(reader.inputBytesRead == total)
        let standardInput = CorpusReader(paths: ["-", directory + "/a.jsonl"])
        try standardInput.plan()
        #expect(standardInput.inputBytes == nil)
    }
}
