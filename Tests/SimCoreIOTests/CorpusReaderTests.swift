import Foundation
import Testing
import SimCore
@testable import SimCoreIO
import SimCoreFixtures

@Suite("Corpus input")
struct CorpusReaderTests {
    /// A fresh temporary directory for one test, removed when the test process exits.
    private func temporaryDirectory() throws -> String { try ScratchDirectories.make("simcore") }

    private func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private func jsonl(_ lines: [String]) throws -> String {
        let path = try temporaryDirectory() + "/input.jsonl"
        try write(Array(lines.joined(separator: "\n").utf8), to: path)
        return path
    }

    @Test("a directory of .txt files: sorted by name, id without .txt, other files ignored")
    func directory() throws {
        let directory = try temporaryDirectory()
        try write(Array("second".utf8), to: directory + "/b.txt")
        try write(Array("first".utf8), to: directory + "/a.txt")
        try write(Array("not a document".utf8), to: directory + "/labels.tsv")
        let corpus = try CorpusReader.readAll(paths: [directory])
        #expect(corpus.documents.map(\.id) == ["a", "b"])
        #expect(corpus.documents.map(\.text) == ["first", "second"])
    }

    @Test("JSON Lines: ids as strings or numbers, escapes, surrogate pairs, blank lines, CRLF")
    func jsonLines() throws {
        let path = try jsonl([
            #"{"id": "a", "text": "plain"}"#,
            "",
            #"{"text": "tab\there \"quoted\" caf\u00e9 \ud83d\ude00", "id": 42, "extra": [1, {"x": null}, true]}"#,
            "{\"id\":-7,\"text\":\"crlf\"}\r",
            #"{"id": "lone", "text": "a\udc00b"}"#,
        ])
        let corpus = try CorpusReader.readAll(paths: [path])
        #expect(corpus.documents.map(\.id) == ["a", "42", "-7", "lone"])
        #expect(corpus.documents[1].text == "tab\there \"quoted\" café 😀")
        #expect(corpus.documents[2].text == "crlf")
        #expect(corpus.documents[3].text == "a\u{FFFD}b")
        let reader = CorpusReader(paths: [path])
        var records: [CorpusRecord] = []
        while let record = try reader.nextRecord() { records.append(record) }
        #expect(records.map(\.line) == [1, 3, 4, 5])
        #expect(records.allSatisfy { $0.path == path })
        #expect(records.map(\.id) == [
            DocumentID(text: "a"), DocumentID(text: "42", isNumber: true), DocumentID(text: "-7", isNumber: true),
            DocumentID(text: "lone"),
        ])
    }

    @Test("string ids: plain or escaped, short or longer than the 64-byte scan, as the line spells them")
    func stringIDs() throws {
        let long = String(repeating: "x", count: 70)
        let path = try jsonl([
            #"{"id": "caf\u00e9 \"q\"", "text": "one"}"#,
            #"{"id": ""# + long + #"", "text": "two"}"#,
            #"{"id": ""# + long + #"\t", "text": "three"}"#,
            #"{"id": "", "text": "four"}"#,
            #"{"text": "five", "id": "after the text"}"#,
        ])
        let corpus = try CorpusReader.readAll(paths: [path])
        #expect(corpus.documents.map(\.id) == ["café \"q\"", long, long + "\t", "", "after the text"])
        #expect(corpus.documents.map(\.text) == ["one", "two", "three", "four", "five"])
    }

    /// String literals valid and not: plain, every simple escape, `\u` escapes (a pair, lone
    /// surrogates, short and bad hex digits), bad escapes, raw control characters, a backslash or
    /// the line ending inside.
    static let stringLiterals: [String] = [
        #""plain""#, #""""#, #""esc \n \" \\ \/ \b \f \r \t end""#, #""\u00e9 \ud83d\ude00""#, #""\udc00 lone""#,
        #""\ud800x""#, #""\ud800\u0041""#, #""bad \q""#, #""\u12""#, #""\u12G4""#, #""unterminated"#, #""ends in \"#,
        "\"ctl \u{01} here\"", "\"after \\n\u{1F}\"", #""\"#, "\"" + String(repeating: "long ", count: 20) + "\\q\"",
        "\"" + String(repeating: "long ", count: 20) + "\u{7}\"",
    ]

    @Test("a string skipped (another field's value) is refused exactly as a decoded one (the text), or accepted as it is",
          arguments: stringLiterals)
    func skippedStrings(literal: String) {
        let parser = JSONRecordParser(idField: "id", textField: "text")
        // "skip" and "text" are as long: the literal starts at the same column in both lines. It
        // is followed by the rest of the line, or ends it (a string the line ending cuts).
        for rest in [#", "id": "a"}"#, ""] {
            let decoded = Result { () throws(JSONRecordParser.Failure) in try parser.parse(#"{"text": "# + literal + rest) }
            let skipped = Result { () throws(JSONRecordParser.Failure) in
                try parser.parse(#"{"skip": "# + literal + (rest.isEmpty ? "" : #", "id": "a", "text": "x"}"#))
            }
            switch (decoded, skipped) {
            case (.success, .success(let record)): #expect(record.text == Array("x".utf8))
            case (.failure(let expected), .failure(let found)): #expect(found == expected, "\(literal)\(rest)")
            default: Issue.record("decoded \(decoded), skipped \(skipped)")
            }
        }
        let decoded = Result { () throws(JSONRecordParser.Failure) in try parser.parse(#"{"text": "# + literal + #", "id": "a"}"#) }
        // Inside an array and as a key, the same outcome.
        let nested = Result { () throws(JSONRecordParser.Failure) in
            try parser.parse(#"{"skip": [{"# + literal + #": 1}], "id": "a", "text": "x"}"#)
        }
        switch (decoded, nested) {
        case (.success, .success), (.failure, .failure): break
        default: Issue.record("decoded \(decoded), as a key \(nested)")
        }
    }

    @Test("custom field names")
    func customFields() throws {
        let path = try jsonl([#"{"doc_id": "x", "content": "hello", "text": 5}"#])
        let corpus = try CorpusReader.readAll(paths: [path], options: CorpusOptions(idField: "doc_id", textField: "content"))
        #expect(corpus.documents == [Document(id: "x", text: "hello")])
    }

    struct BadLine: Sendable, CustomStringConvertible {
        let line: String
        let reason: CorpusError.Reason
        var description: String { line }
    }

    static let badLines: [BadLine] = [
        BadLine(line: #"{"id": "a", "text": "unterminated}"#, reason: .malformedJSON("expected closing '\"' at column 35, found end of line")),
        BadLine(line: #"{"id": "a" "text": "x"}"#, reason: .malformedJSON("expected '}' at column 12, found '\"'")),
        BadLine(line: #"["id", "text"]"#, reason: .malformedJSON("expected '{' at column 1, found '['")),
        BadLine(line: #"{"id": "a", "text": "x"} trailing"#, reason: .malformedJSON("expected end of line after the object at column 26, found 't'")),
        BadLine(line: #"{"id": "a", "text": "bad \q escape"}"#, reason: .malformedJSON(#"expected a valid escape (\" \\ \/ \b \f \n \r \t \uXXXX) at column 27, found 'q'"#)),
        BadLine(line: #"{"text": "no id"}"#, reason: .missingField("id")),
        BadLine(line: #"{"id": "no text"}"#, reason: .missingField("text")),
        BadLine(line: #"{"id": "a", "text": null}"#, reason: .wrongType(field: "text", expected: "a string")),
        BadLine(line: #"{"id": true, "text": "x"}"#, reason: .wrongType(field: "id", expected: "a string or a number")),
        BadLine(line: #"{"id": "a", "text": ""}"#, reason: .emptyText),
        BadLine(line: #"{"id": "abc"#, reason: .malformedJSON("expected closing '\"' at column 12, found end of line")),
        BadLine(line: "{\"id\": \"a\u{01}b\", \"text\": \"x\"}", reason: .malformedJSON("expected no raw control character inside a string at column 10, found byte 1")),
        BadLine(line: #"{"id": "\udc00", "text": "x"}"#, reason: .invalidID(#"lone surrogate \udc00 at column 9"#)),
    ]

    @Test("bad lines are refused with file, line and reason", arguments: badLines)
    func badLine(bad: BadLine) throws {
        let path = try jsonl([#"{"id": "ok", "text": "fine"}"#, bad.line])
        #expect(throws: CorpusError(path: path, line: 2, reason: bad.reason)) {
            try CorpusReader.readAll(paths: [path])
        }
    }

    @Test("invalid UTF-8 is refused by default, skipped and counted, or replaced on request")
    func invalidUTF8() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/mixed.jsonl"
        var bytes = Array(#"{"id": "1", "text": "good"}"#.utf8) + [0x0A]
        bytes += Array(#"{"id": "2", "text": "bad "#.utf8) + [0xFF] + Array(#""}"#.utf8) + [0x0A]
        bytes += Array(#"{"id": "3", "text": "good too"}"#.utf8) + [0x0A]
        try write(bytes, to: path)
        #expect(throws: CorpusError(path: path, line: 2, reason: .invalidUTF8(offset: 25))) {
            try CorpusReader.readAll(paths: [path])
        }
        let skipped = try CorpusReader.readAll(paths: [path], options: CorpusOptions(invalidInput: .skip))
        #expect(skipped.documents.map(\.id) == ["1", "3"])
        #expect(skipped.rejected == [CorpusError(path: path, line: 2, reason: .invalidUTF8(offset: 25))])
        #expect(skipped.inputCount == 3)
        let replaced = try CorpusReader.readAll(paths: [path], options: CorpusOptions(replaceInvalidUTF8: true))
        #expect(replaced.documents.map(\.id) == ["1", "2", "3"])
        #expect(TextNormalizer().normalize(utf8: replaced.documents[1].utf8) == Array("bad".utf8))
    }

    @Test("every document is either read or rejected: counts in = counts out + rejects")
    func accounting() throws {
        let path = try jsonl([
            #"{"id": "1", "text": "a"}"#, "not json", #"{"id": "3"}"#, #"{"id": "4", "text": "b"}"#,
            #"{"id": "5", "text": ""}"#, #"{"id": "6", "text": "c"}"#,
        ])
        let corpus = try CorpusReader.readAll(paths: [path], options: CorpusOptions(invalidInput: .skip))
        #expect(corpus.documents.map(\.id) == ["1", "4", "6"])
        #expect(corpus.rejected.map(\.line) == [2, 3, 5])
        #expect(corpus.inputCount == 6)
    }

    @Test("unreadable paths, empty files and unsupported inputs are clear errors")
    func paths() throws {
        let directory = try temporaryDirectory()
        #expect(throws: CorpusError(path: directory + "/missing.jsonl", line: nil, reason: .unreadable("No such file or directory"))) {
            try CorpusReader.readAll(paths: [directory + "/missing.jsonl"])
        }
        try write(Array("x".utf8), to: directory + "/notes.csv")
        #expect(throws: CorpusError(path: directory + "/notes.csv", line: nil, reason: .unsupportedInput)) {
            try CorpusReader.readAll(paths: [directory + "/notes.csv"])
        }
        let texts = try temporaryDirectory()
        try write([], to: texts + "/empty.txt")
        #expect(throws: CorpusError(path: texts + "/empty.txt", line: nil, reason: .emptyText)) {
            try CorpusReader.readAll(paths: [texts])
        }
    }

    @Test("lines longer than the read buffer are read whole")
    func longLines() throws {
        let long = String(repeating: "word ", count: 500_000)
        let path = try jsonl([#"{"id": "long", "text": "\#(long)"}"#, #"{"id": "short", "text": "s"}"#])
        let corpus = try CorpusReader.readAll(paths: [path])
        #expect(corpus.documents.map(\.utf8.count) == [long.utf8.count, 1])
    }

    @Test("a directory without input files is an error under both policies, not an input of no documents")
    func emptyDirectory() throws {
        let directory = try temporaryDirectory()
        try write(Array("not a document".utf8), to: directory + "/notes.md")
        for policy in CorpusOptions.InvalidInputPolicy.allCases {
            #expect(throws: CorpusError(path: directory, line: nil, reason: .noInputFiles)) {
                _ = try CorpusReader.readAll(paths: [directory], options: CorpusOptions(invalidInput: policy))
            }
        }
    }

    @Test("small files get a buffer of their size, and lines still come out whole at every length around it")
    func smallFileBuffers() throws {
        for size in [0, 1, 4_095, 4_096, 4_097, 8_193, 70_000] {
            // Lines of 1 to 300 bytes; every 13th empty; the file cut at `size`.
            var bytes: [UInt8] = []
            var number = 0
            while bytes.count < size {
                number += 1
                let length = number % 13 == 0 ? 0 : (number * 37) % 300 + 1
                bytes += [UInt8](repeating: UInt8(ascii: "a") + UInt8(number % 26), count: length) + [0x0A]
            }
            bytes = Array(bytes.prefix(size))
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
            if lines.last?.isEmpty == true { lines.removeLast() }
            let path = try temporaryDirectory() + "/lines.jsonl"
            try write(bytes, to: path)
            let reader = try LineReader(path: path)
            var read: [[UInt8]] = []
            while let line = try reader.nextLine({ Array($0) }) { read.append(line) }
            #expect(read == lines, "size \(size)")
        }
    }
}
