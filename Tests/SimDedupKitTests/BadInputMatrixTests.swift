import Foundation
import SimCore
import SimCoreFixtures
import Testing

/// The bad-input matrix of `simdedup` (README, "Bad input"): every case names its place (file:line
/// or the option), ends with its documented exit status, and with `--skip-invalid` counts every
/// document: documents in = documents out + rejects.
@Suite("simdedup bad-input matrix")
struct BadInputMatrixTests {
    /// A line between two good records; `message` is what the error says after `FILE:2: `.
    struct BadLine: CustomTestStringConvertible, Sendable {
        let name: String
        let line: [UInt8]
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ line: String, _ message: String) {
            self.init(name, Array(line.utf8), message)
        }

        init(_ name: String, _ line: [UInt8], _ message: String) {
            self.name = name
            self.line = line
            self.message = message
        }
    }

    static let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa"

    /// Standard error without the progress lines (`simdedup: reading …`, `loading the state …`,
    /// `saving the state …`, drawn even when it is not a terminal): the messages the matrix is
    /// about.
    static func messages(_ result: CLI.Result) -> String {
        let progress = ["simdedup: reading ", "simdedup: loading the state ", "simdedup: saving the state "]
        return result.errors.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !progress.contains { line.hasPrefix($0) } }.joined(separator: "\n")
    }

    static let badLines: [BadLine] = [
        BadLine("binary garbage", [0x00, 0xFF, 0x13, 0x9C, 0x7B, 0xC0, 0x22], "invalid UTF-8 at byte 1"),
        BadLine("invalid UTF-8 inside a JSON string", [UInt8](#"{"id":"b","text":"bad "#.utf8) + [0xFF] + Array(#" byte"}"#.utf8), "invalid UTF-8 at byte 22"),
        BadLine("a lone surrogate escape in an id", #"{"id":"\ud800","text":"x"}"#, #"invalid id: lone surrogate \ud800 at column 8"#),
        BadLine("truncated JSON", #"{"id":"b","text":"alpha be"#, "malformed JSON: expected closing '\"' at column 27, found end of line"),
        BadLine("a line that is not an object", "[1,2,3]", "malformed JSON: expected '{' at column 1, found '['"),
        BadLine("a trailing comma", #"{"id":"b","text":"x",}"#, "malformed JSON: expected a key after ',' (JSON has no trailing commas) at column 22, found '}'"),
        BadLine("an object where text is expected", #"{"id":"b","text":{"body":"x"}}"#, #"field "text" must be a string"#),
        BadLine("null text", #"{"id":"b","text":null}"#, #"field "text" must be a string"#),
        BadLine("a missing id", #"{"text":"x"}"#, #"missing field "id" (fields present: "text")"#),
        BadLine("a missing text", #"{"id":"b"}"#, #"missing field "text" (fields present: "id")"#),
        BadLine("an id of the wrong type", #"{"id":true,"text":"x"}"#, #"field "id" must be a string or a number"#),
        BadLine("an id that is an array", #"{"id":[1],"text":"x"}"#, #"field "id" must be a string or a number"#),
        BadLine("a number id with a leading zero", #"{"id":007,"text":"x"}"#, "malformed JSON: expected no leading zero in a number at column 8, found '0'"),
        BadLine("a field given twice", #"{"id":"b","text":"x","text":"y"}"#, #"field "text" appears twice"#),
        BadLine("empty text", #"{"id":"b","text":""}"#, "empty text"),
    ]

    /// `good 1`, the bad line, `good 3`.
    static func file(with bad: [UInt8]) -> String {
        let head = Array((CLI.record("good-1", text) + "\n").utf8)
        let tail = Array(("\n" + CLI.record("good-3", text + " lambda") + "\n").utf8)
        return CLI.file("input.jsonl", head + bad + tail)
    }

    @Test("a bad line stops both commands with status 1, naming FILE:2 and what is wrong", arguments: badLines)
    func badLineFails(bad: BadLine) {
        let path = Self.file(with: bad.line)
        for command in ["dedupe", "bands"] {
            let result = CLI.run([command, path])
            #expect(result.status == 1, "\(command), \(bad.name): \(result.errors)")
            // A missing field's message goes on to name the flag that reads another field.
            #expect(Self.messages(result).hasPrefix("simdedup: \(path):2: \(bad.message)"), "\(command), \(bad.name): \(result.errors)")
            if command == "dedupe" { #expect(result.output.isEmpty, "dedupe writes nothing when it stops") }
        }
    }

    @Test("with --skip-invalid a bad line is reported and counted: 3 in = 2 out + 1 rejected", arguments: badLines)
    func badLineSkipped(bad: BadLine) {
        let path = Self.file(with: bad.line)
        let dedupe = CLI.run(["dedupe", "--skip-invalid", path])
        #expect(dedupe.status == 0, "\(bad.name): \(dedupe.errors)")
        #expect(dedupe.records.map { $0["id"] as? String } == ["good-1", "good-3"])
        #expect(dedupe.errors.contains("simdedup: skipped \(path):2: \(bad.message)\n"), "\(dedupe.errors)")
        #expect(dedupe.errors.contains("3 documents in, 1 rejected"), "\(dedupe.errors)")
        let bands = CLI.run(["bands", "--skip-invalid", path])
        #expect(bands.status == 0)
        #expect(bands.records.map { $0["id"] as? String } == ["good-1", "good-3"])
        #expect(bands.errors.contains("simdedup: skipped \(path):2: \(bad.message)\n"))
        #expect(bands.errors.contains("simdedup bands: 2 documents, 1 rejected"), "\(bands.errors)")
    }

    @Test("defect 5: a repeated id stops dedupe naming both places; with --skip-invalid it is a counted reject")
    func duplicateIDs() {
        let path = CLI.file("dup.jsonl", [CLI.record("d", Self.text), CLI.record("e", "other words entirely here"),
                                          CLI.record("d", "zeta eta theta iota kappa lambda")].joined(separator: "\n") + "\n")
        let second = CLI.file("more.jsonl", CLI.record("e", "yet another text") + "\n")
        let stopped = CLI.run(["dedupe", path])
        #expect(stopped.status == 1)
        #expect(Self.messages(stopped) == "simdedup: \(path):3: duplicate id \"d\" (first at \(path):1)\n", "\(stopped.errors)")
        #expect(stopped.output.isEmpty)
        let skipped = CLI.run(["dedupe", "--skip-invalid", path, second])
        #expect(skipped.status == 0)
        #expect(skipped.records.map { $0["id"] as? String } == ["d", "e"])
        #expect(skipped.errors.contains("simdedup: skipped \(path):3: duplicate id \"d\" (first at \(path):1)\n"))
        #expect(skipped.errors.contains("simdedup: skipped \(second):1: duplicate id \"e\" (first at \(path):2)\n"))
        #expect(skipped.errors.contains("4 documents in, 2 rejected"), "\(skipped.errors)")
        // Across batches of the engine (4,096 documents each): the first copy is inside the engine.
        let many = (0..<4_100).map { CLI.record("n\($0)", "text number \($0) of many") } + [CLI.record("n7", "again")]
        let big = CLI.file("many.jsonl", many.joined(separator: "\n") + "\n")
        let late = CLI.run(["dedupe", big])
        #expect(late.status == 1)
        #expect(Self.messages(late) == "simdedup: \(big):4101: duplicate id \"n7\" (first at \(big):8)\n", "\(late.errors)")
        // A number id and a string id of the same text are one id to dedupe.
        let kinds = CLI.file("kinds.jsonl", #"{"id":1,"text":"a b c"}"# + "\n" + #"{"id":"1","text":"d e f"}"# + "\n")
        let kindsRun = CLI.run(["dedupe", kinds])
        #expect(kindsRun.status == 1 && kindsRun.errors.contains(#"duplicate id "1" (first at"#), "\(kindsRun.errors)")
        // With --state, an id of an earlier run is a repeat too.
        let state = (big as NSString).deletingLastPathComponent + "/seen.state"
        #expect(CLI.run(["dedupe", "--state", state, path, "--skip-invalid"]).status == 0)
        let again = CLI.run(["dedupe", "--state", state, second])
        #expect(again.status == 1)
        #expect(again.errors.contains("simdedup: \(second):1: duplicate id \"e\" (first at an earlier run (the state file))\n"), "\(again.errors)")
    }

    @Test("accepted as they are: surrogate pairs, lone surrogates in text, number ids of every shape, CRLF, a BOM")
    func accepted() throws {
        let lines = [
            #"{"id":"\ud83d\ude00","text":"a pair \ud83d\ude00 decodes to one character"}"#,
            #"{"id":"lone","text":"a lone \ud800 surrogate in text becomes U+FFFD"}"#,
            #"{"id":12345678901234567890,"text":"a huge number id"}"#,
            #"{"id":-5,"text":"a negative number id"}"#,
            #"{"id":1.5,"text":"a fractional number id"}"#,
            #"{"id":1e400,"text":"an exponent beyond Double"}"#,
            #"{"id":-0,"text":"negative zero"}"#,
            #"{"id":1.0,"text":"one point zero"}"#,
            #"{"id":1,"text":"one, another id than 1.0"}"#,
        ]
        let path = CLI.file("ok.jsonl", [0xEF, 0xBB, 0xBF] + Array(lines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A])
        let expectedIDs = [#""😀""#, #""lone""#, "12345678901234567890", "-5", "1.5", "1e400", "-0", "1.0", "1"]
        for command in ["dedupe", "bands"] {
            let result = CLI.run([command, path])
            #expect(result.status == 0, "\(command): \(result.errors)")
            let ids = result.output.split(separator: "\n").map { line in
                String(line.dropFirst(#"{"id":"#.count).prefix { $0 != "," })
            }
            #expect(ids == expectedIDs, "\(command)")
        }
        // bands → cluster keeps every id as written (defect 4).
        let bands = CLI.run(["bands", path])
        let clusters = CLI.run(["cluster", CLI.file("bands.jsonl", bands.output)])
        #expect(clusters.status == 0, "\(clusters.errors)")
        #expect(clusters.output.split(separator: "\n").map { String($0.dropFirst(#"{"id":"#.count).prefix { $0 != "," }) } == expectedIDs)
    }

    @Test("empty and blank inputs: status 1, no documents in FILE (a run over nothing is never a silent success)")
    func emptyInputs() {
        for content in ["", "\n  \n\t\n\r\n"] {
            let path = CLI.file("empty.jsonl", content)
            for command in ["dedupe", "bands"] {
                let result = CLI.run([command, path])
                #expect(result.status == 1 && result.output.isEmpty, "\(command): \(result.errors)")
                #expect(Self.messages(result) == "simdedup: no documents in \(path)\n", "\(command): \(result.errors)")
            }
        }
    }

    @Test("inputs that cannot be read: a missing path, a directory without input files, another kind of file, a directory given to cluster")
    func unreadable() throws {
        let missing = NSTemporaryDirectory() + "simdedup-missing-\(UUID().uuidString).jsonl"
        let directory = (CLI.file("notes.md", "not a corpus") as NSString).deletingLastPathComponent
        let csv = CLI.file("table.csv", "id,text\n")
        let noInputs = "no .jsonl, .ndjson, .jsonl.gz, .ndjson.gz or .txt files in this directory (subdirectories are not read)"
        let notInput = "not a directory, a JSON Lines file (.jsonl, .ndjson, .json, or .gz of one), a .txt file, or - (standard input)"
        let cases: [([String], String)] = [
            (["dedupe", missing], "simdedup: \(missing): cannot read: No such file or directory\n"),
            (["bands", missing], "simdedup: \(missing): cannot read: No such file or directory\n"),
            (["dedupe", directory], "simdedup: \(directory): \(noInputs)\n"),
            (["bands", directory], "simdedup: \(directory): \(noInputs)\n"),
            (["dedupe", "--skip-invalid", directory], "simdedup: \(directory): \(noInputs)\n"),
            (["dedupe", csv], "simdedup: \(csv): \(notInput)\n"),
            (["cluster", directory], "simdedup: \(directory):1: cannot read: Is a directory\n"),
            (["cluster", missing], "simdedup: \(missing): cannot read: No such file or directory\n"),
        ]
        for (arguments, message) in cases {
            let result = CLI.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(Self.messages(result) == message, "\(arguments): \(result.errors)")
        }
    }

    @Test("invalid UTF-8 in a .txt file: status 1 naming the file; with --skip-invalid a counted reject")
    func invalidText() throws {
        let bad = CLI.file("b.txt", [0x68, 0x65, 0x6C, 0x6C, 0x6F, 0xFF, 0xFE, 0x20, 0x77])
        let directory = (bad as NSString).deletingLastPathComponent
        try Data(Self.text.utf8).write(to: URL(fileURLWithPath: directory + "/a.txt"))
        let stopped = CLI.run(["dedupe", directory])
        #expect(stopped.status == 1)
        #expect(Self.messages(stopped) == "simdedup: \(directory)/b.txt: invalid UTF-8 at byte 5\n", "\(stopped.errors)")
        let skipped = CLI.run(["dedupe", "--skip-invalid", directory])
        #expect(skipped.status == 0)
        #expect(skipped.records.map { $0["id"] as? String } == ["a"])
        #expect(skipped.errors.contains("2 documents in, 1 rejected"))
    }

    /// Usage errors: status 2, a message that names the option and the value; `both` cases apply
    /// to `bands` too (which has no --threads and no --measure).
    static let absurdOptions: [(both: Bool, options: [String], message: String)] = [
        (false, ["--threads", "0"], "--threads must be in 1...1024, not 0"),
        (false, ["--threads", "100000"], "--threads must be in 1...1024, not 100000"),
        (false, ["--threads", "-1"], "--threads must be in 1...1024, not -1"),
        (true, ["-k", "0"], "--signature-length (-k) must be in 1...4096, not 0"),
        (true, ["-k", "100000"], "--signature-length (-k) must be in 1...4096, not 100000"),
        (true, ["--signature-length", "65536"], "--signature-length (-k) must be in 1...4096, not 65536"),
        (true, ["--threshold", "0"], "--threshold must be in (0, 1] (1: exact duplicates), not 0.0"),
        (true, ["--threshold", "1.5"], "--threshold must be in (0, 1] (1: exact duplicates), not 1.5"),
        (true, ["--threshold", "nan"], "--threshold must be in (0, 1] (1: exact duplicates), not nan"),
        (true, ["--threshold", "-0.5"], "--threshold must be in (0, 1] (1: exact duplicates), not -0.5"),
        (true, ["--shingle", "words:0"], "The value 'words:0' is invalid for '--shingle <shingle>'"),
        (true, ["--shingle", "words:1000000"], "The value 'words:1000000' is invalid for '--shingle <shingle>'"),
        (true, ["--seed", "-1"], "The value '-1' is invalid for '--seed <seed>'"),
        (true, ["--bands", "20", "--rows", "10"], "--bands × --rows must be in 1...k (128), not 20 × 10"),
        (true, ["--bands", "4611686018427387904", "--rows", "4"], "--bands × --rows must be in 1...k (128), not 4611686018427387904 × 4"),
        (true, ["--bands", "3037000500", "--rows", "3037000500"], "--bands × --rows must be in 1...k (128), not 3037000500 × 3037000500"),
        (true, ["--bands", "4"], "give --bands and --rows together"),
        (true, ["--id-field", "text", "--text-field", "text"], #"--id-field and --text-field must name different fields (both are "text")"#),
        (true, ["--id-field", ""], "--id-field and --text-field must not be empty"),
        (true, ["--scheme", "simhash"], "The value 'simhash' is invalid for '--scheme <scheme>'"),
        (false, ["--measure", "containment"], "The value 'containment' is invalid for '--measure <measure>'"),
        (false, ["--measure", "overlap", "--bands", "4", "--rows", "4"], "--bands and --rows apply to --measure jaccard"),
        (false, ["--verification-bits", "3"], "--verification-bits must be 64, 16, 8 or 4, not 3"),
        (false, ["--verification-bits", "0"], "--verification-bits must be 64, 16, 8 or 4, not 0"),
        (false, ["--verification-bits", "32"], "--verification-bits must be 64, 16, 8 or 4, not 32"),
    ]

    @Test("absurd option values are usage errors naming the option (status 2), before any input is read")
    func absurdOptionValues() {
        let path = CLI.file("c.jsonl", CLI.record("a", Self.text) + "\n")
        for (both, options, message) in Self.absurdOptions {
            // dedupe takes --bands/--rows with --measure jaccard only.
            let dedupeOptions = options.contains("--bands") && !options.contains("--measure") ? ["--measure", "jaccard"] + options : options
            for arguments in [["dedupe"] + dedupeOptions + [path]] + (both ? [["bands"] + options + [path]] : []) {
                let result = CLI.run(arguments)
                #expect(result.status == 2, "\(arguments): \(result.errors)")
                #expect(result.errors.contains(message), "\(arguments): \(result.errors)")
                #expect(result.output.isEmpty)
            }
        }
        // The smallest values that make sense work.
        #expect(CLI.run(["dedupe", "-k", "1", "--threads", "1", path]).status == 0)
        #expect(CLI.run(["bands", "-k", "1", "--bands", "1", "--rows", "1", path]).status == 0)
    }

    @Test("one 100 MB document: read, shingled and banded in one piece")
    func hugeDocument() throws {
        // Pseudo-random lower-case words (no JSON escapes needed), written as one line by hand.
        var line = Array(#"{"id":"huge","text":""#.utf8)
        line.reserveCapacity(100_000_100)
        var generator = SplitMix64(seed: 3)
        while line.count < 100_000_000 {
            let bits = generator.next()
            for index in 0..<(2 + Int(bits % 8)) { line.append(0x61 + UInt8((bits >> (8 + 5 * UInt64(index))) % 26)) }
            line.append(0x20)
        }
        line += Array(("\"}\n" + CLI.record("small", Self.text) + "\n").utf8)
        let path = CLI.file("huge.jsonl", line)
        line = []
        let bands = CLI.run(["bands", path])
        #expect(bands.status == 0, "\(bands.errors)")
        #expect(bands.records.map { $0["id"] as? String } == ["huge", "small"])
        let dedupe = CLI.run(["dedupe", "--threads", "2", path])
        #expect(dedupe.status == 0, "\(dedupe.errors)")
        #expect(dedupe.errors.contains("2 documents in, 0 rejected, 2 clusters"), "\(dedupe.errors)")
        try? FileManager.default.removeItem(atPath: path)
    }
}
