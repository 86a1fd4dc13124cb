import Foundation
import SimCore
import SimCoreFixtures
import SimCoreInternals
@testable import SimDedupKit
import Testing

@Suite("simdedup dedupe --state and --keep")
struct DedupeStateTests {
    /// A generated corpus (seed 31) with planted reprints, as JSON Lines lines.
    static let corpus = CLI.corpus(documents: 120, seed: 31)

    static func lines(_ range: Range<Int>, numericIDs: Bool = false) -> String {
        range.map { index -> String in
            let document = corpus.documents[index]
            guard numericIDs else { return CLI.record(document.id, document.text) + "\n" }
            let text = String(decoding: try! JSONSerialization.data(withJSONObject: [document.text], options: []), as: UTF8.self)
            return #"{"id":\#(index + 1),"text":\#(text.dropFirst().dropLast())}"# + "\n"
        }.joined()
    }

    /// A fresh directory, removed when the test process exits.
    static func directory() -> String { try! ScratchDirectories.make("simdedup-state") }

    @Test("two runs with --state give exactly the clusters, verdicts and saved state of one run",
          arguments: [
            ["--measure", "overlap"], ["--measure", "jaccard", "--threshold", "0.7"], ["--verification", "exact"],
            ["--measure", "jaccard", "--verification-bits", "8"],
          ], [false, true])
    func twoRunsEqualOne(flags: [String], numericIDs: Bool) throws {
        let directory = Self.directory()
        let whole = CLI.file("whole.jsonl", Self.lines(0..<120, numericIDs: numericIDs))
        let first = CLI.file("first.jsonl", Self.lines(0..<70, numericIDs: numericIDs))
        let second = CLI.file("second.jsonl", Self.lines(70..<120, numericIDs: numericIDs))
        let one = CLI.run(["dedupe"] + flags + ["--state", directory + "/one.state", whole])
        try #require(one.status == 0, "\(one.errors)")
        let runA = CLI.run(["dedupe"] + flags + ["--state", directory + "/two.state", first])
        let runB = CLI.run(["dedupe"] + flags + ["--state", directory + "/two.state", second])
        try #require(runA.status == 0 && runB.status == 0, "\(runA.errors) \(runB.errors)")
        let oneLines = one.output.split(separator: "\n")
        // The second run's lines are the one run's lines for the same documents, cluster labels
        // and matches in earlier runs' documents included.
        #expect(runB.output.split(separator: "\n") == Array(oneLines[70...]))
        #expect(runB.errors.contains("state: 70 documents before, 120 after"))
        // The saved engines hold the same clusters, pairs and ids.
        let saved = try SavedDeduplicatorSettings(contentsOf: directory + "/two.state")
        func load(_ path: String) throws -> Deduplicator<OnePermutationMinHash> {
            try Deduplicator(contentsOf: path, scheme: OnePermutationMinHash(signatureLength: 128, seed: 0), options: saved.options)
        }
        let a = try load(directory + "/one.state")
        let b = try load(directory + "/two.state")
        #expect(a.assignments() == b.assignments())
        #expect(a.verifiedPairs() == b.verifiedPairs())
        #expect((0..<a.count).map(a.id(of:)) == (0..<b.count).map(b.id(of:)))
        #expect(a.clusters().count > 10, "seed 31: the corpus needs clusters")
        if numericIDs { #expect(runB.output.contains(#""cluster":1"#) || runB.output.contains(#""match":"#), "numbers stay numbers") }
        #expect(!runB.output.contains(#""cluster":"1"#), "a number id from an earlier run is echoed as a number")
    }

    @Test("the state's settings apply; a flag that disagrees is refused with both values (exit 2)")
    func conflictingFlags() throws {
        let directory = Self.directory()
        let input = CLI.file("in.jsonl", Self.lines(0..<10))
        let state = directory + "/s.state"
        #expect(CLI.run(["dedupe", "--threshold", "0.7", "--measure", "jaccard", "-k", "64", "--state", state, input]).status == 0)
        // Each later run brings new ids: an id the state holds already is refused (unique ids).
        let reused = CLI.run(["dedupe", "--state", state, CLI.file("more.jsonl", Self.lines(10..<12))])
        #expect(reused.status == 0)
        #expect(reused.errors.contains("jaccard ≥ 0.7") && reused.errors.contains("k=64"), "\(reused.errors)")
        let same = CLI.run(["dedupe", "--threshold", "0.7", "--state", state, CLI.file("yet-more.jsonl", Self.lines(12..<14))])
        #expect(same.status == 0, "a flag equal to the state's value is fine")
        let refused = CLI.run(["dedupe", "--threshold", "0.9", "--scheme", "minhash", "--state", state, input])
        #expect(refused.status == 2)
        #expect(refused.errors.contains("--threshold 0.9 (the state file has 0.7)"), "\(refused.errors)")
        #expect(refused.errors.contains("--scheme minhash (the state file has oph)"), "\(refused.errors)")
        #expect(refused.output.isEmpty)
        let bits = CLI.run(["dedupe", "--verification-bits", "8", "--state", state, input])
        #expect(bits.status == 2)
        #expect(bits.errors.contains("--verification-bits 8 (the state file has 64)"), "\(bits.errors)")
    }

    @Test("a damaged or foreign state file exits 1 and is left alone")
    func damagedState() throws {
        let input = CLI.file("in.jsonl", Self.lines(0..<5))
        let state = CLI.file("bad.state", "not a state file")
        let result = CLI.run(["dedupe", "--state", state, input])
        #expect(result.status == 1)
        #expect(result.errors.contains("bad.state"))
        #expect(try String(contentsOfFile: state, encoding: .utf8) == "not a state file")
    }

    @Test("a failed run leaves the state as it was")
    func failedRunKeepsState() throws {
        let directory = Self.directory()
        let state = directory + "/s.state"
        #expect(CLI.run(["dedupe", "--state", state, CLI.file("a.jsonl", Self.lines(0..<5))]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: state))
        let bad = CLI.file("b.jsonl", Self.lines(5..<8) + "not json\n")
        #expect(CLI.run(["dedupe", "--state", state, bad]).status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before)
    }

    @Test("--keep writes each cluster's representative, the input line byte for byte, in input order")
    func keep() throws {
        let directory = Self.directory()
        let lines = [
            #"{"id":"a","text":"the quick brown fox jumps over the lazy dog near the river bank today","lang":"en","tags":["x"]}"#,
            #"{ "text" : "the quick brown fox jumps over the lazy dog near the river bank today and more" , "id" : "b", "n": 1.50 }"#,
            #"{"id":7,"text":"an entirely different story about markets and interest rates in \u00e9t\u00e9"}"#,
        ]
        let input = CLI.file("in.jsonl", lines.joined(separator: "\r\n") + "\r\n")
        let result = CLI.run(["dedupe", "--keep", directory + "/kept.jsonl", input])
        try #require(result.status == 0, "\(result.errors)")
        let kept = try String(contentsOfFile: directory + "/kept.jsonl", encoding: .utf8)
        #expect(kept == lines[1] + "\n" + lines[2] + "\n", "b is the longer of a and b")
        #expect(result.errors.contains("2 kept"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["kept.jsonl"], "no spool left behind")
    }

    @Test("--keep of .txt documents writes {id, text} lines")
    func keepText() throws {
        let directory = Self.directory()
        let result = CLI.run(["dedupe", "--keep", directory + "/kept.jsonl", RepositoryPaths.wireStories])
        try #require(result.status == 0)
        let kept = try String(contentsOfFile: directory + "/kept.jsonl", encoding: .utf8).split(separator: "\n")
        let ids = kept.map { (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: String])["id"]! }
        #expect(ids.count == 4 && !ids.contains("001_a40650a566da0f61"))
        let first = try JSONSerialization.jsonObject(with: Data(kept[0].utf8)) as! [String: String]
        #expect(first["text"] == (try String(contentsOfFile: RepositoryPaths.wireStories + "/000_ddd89a90af6d95d2.txt", encoding: .utf8)))
    }

    @Test("with --state, --keep writes only clusters new in this run: the union of the kept files never holds a reprint of an earlier run's document")
    func keepAcrossRuns() throws {
        let directory = Self.directory()
        let story = "the quick brown fox jumps over the lazy dog near the river bank"
        let runA = CLI.file("a.jsonl", CLI.record("a1", story) + "\n" + CLI.record("a2", "completely unrelated text about weather and rain clouds") + "\n")
        let runB = CLI.file("b.jsonl", CLI.record("b1", story + " and a longer ending here") + "\n" + CLI.record("b2", "yet another story on football results this weekend") + "\n")
        #expect(CLI.run(["dedupe", "--state", directory + "/s.state", "--keep", directory + "/a.kept", runA]).status == 0)
        let second = CLI.run(["dedupe", "--state", directory + "/s.state", "--keep", directory + "/b.kept", runB])
        #expect(second.status == 0)
        let keptB = try String(contentsOfFile: directory + "/b.kept", encoding: .utf8)
        #expect(keptB.contains(#""b2""#) && !keptB.contains(#""b1""#), "\(keptB)")
        #expect(second.output.contains(#"{"id":"b1","cluster":"a1","representative":true,"match":"a1""#), "\(second.output)")
    }

    @Test("--keep to an unwritable place exits 3")
    func keepFails() {
        let result = CLI.run(["dedupe", "--keep", "/nonexistent-dir/kept.jsonl", RepositoryPaths.wireStories])
        #expect(result.status == 3)
        #expect(result.errors.contains("/nonexistent-dir/kept.jsonl"))
    }
}

@Suite("simdedup: no documents is an error, in every command")
struct NoDocumentsTests {
    static let empty = CLI.file("empty.jsonl", "")
    static let blank = CLI.file("blank.jsonl", "\n  \n")

    @Test("an empty or blank file, an empty directory, all records skipped: exit 1 with a message",
          arguments: ["dedupe", "bands"])
    func emptyInputs(command: String) throws {
        let directory = try ScratchDirectories.make("simdedup-empty")
        let allBad = CLI.file("bad.jsonl", "not json\n{}\n")
        var cases: [([String], String)] = [
            ([Self.empty], "no documents in"), ([Self.blank], "no documents in"),
            ([directory], "no .jsonl, .ndjson, .jsonl.gz, .ndjson.gz or .txt files"),
            (["--skip-invalid", allBad], "(2 records skipped as invalid)"),
        ]
        if command == "dedupe" { cases.append(([Self.empty, Self.blank], "no documents in")) }
        for (arguments, message) in cases {
            let result = CLI.run([command] + arguments)
            #expect(result.status == 1, "\(command) \(arguments)")
            #expect(result.errors.contains(message), "\(command) \(arguments): \(result.errors)")
            #expect(result.output.isEmpty)
        }
    }

    @Test("cluster: an empty bands file exits 1")
    func cluster() {
        let result = CLI.run(["cluster", Self.empty])
        #expect(result.status == 1)
        #expect(result.errors.contains("no documents in"))
    }
}

@Suite("simdedup: messages, progress, threshold 1")
struct DedupeMessagesTests {
    @Test("the summary names measure, threshold, scheme, k and shingles")
    func summary() {
        let result = CLI.run(["dedupe", RepositoryPaths.wireStories])
        #expect(result.errors.contains("simdedup: overlap ≥ 0.8, oph k=128, words:5: 5 documents in"), "\(result.errors)")
        #expect(result.records.filter { $0["representative"] as? Bool == false }.count == 1, "the default finds the reprint")
        let other = CLI.run(["dedupe", "--measure", "jaccard", "--threshold", "0.6", "--scheme", "minhash", "-k", "64", "--shingle", "chars:5", RepositoryPaths.wireStories])
        #expect(other.errors.contains("simdedup: jaccard ≥ 0.6, minhash k=64, chars:5:"), "\(other.errors)")
        #expect(CLI.run(["dedupe", "--quiet", RepositoryPaths.wireStories]).errors.isEmpty)
    }

    @Test("threshold 1 finds exact duplicates only (same shingle set), and says so")
    func exactDuplicates() {
        let text = "one two three four five six seven eight nine ten"
        let path = CLI.file("in.jsonl", [
            CLI.record("a", text), CLI.record("b", text.uppercased() + "!"), CLI.record("c", text + " eleven"),
        ].joined(separator: "\n") + "\n")
        let result = CLI.run(["dedupe", "--threshold", "1", path])
        #expect(result.status == 0)
        #expect(result.records.map { $0["cluster"] as? String } == ["a", "a", "c"])
        #expect(result.errors.contains("exact duplicates (identical shingle sets)"))
    }

    @Test("a bad threshold is echoed, a negative one too", arguments: ["-0.5", "1.5", "0", "nan"])
    func badThreshold(value: String) {
        let result = CLI.run(["dedupe", "--threshold", value, RepositoryPaths.wireStories])
        #expect(result.status == 2)
        #expect(result.errors.contains(value == "nan" ? "nan" : value), "\(result.errors)")
    }

    @Test("a missing field names the fields present and the flag that renames it")
    func missingField() {
        let path = CLI.file("in.jsonl", #"{"id":"a","body":"some text here"}"# + "\n")
        let result = CLI.run(["dedupe", path])
        #expect(result.status == 1)
        #expect(result.errors.contains(#"in.jsonl:1: missing field "text" (fields present: "id", "body"); --text-field NAME reads it from another field"#), "\(result.errors)")
    }

    @Test("progress: a redrawn line with percent on a terminal, sparse lines otherwise, none with --quiet")
    func progress() throws {
        let path = CLI.corpusFile(CLI.corpus(documents: 200, seed: 2))
        let terminal = CLI.run(["dedupe", path], terminal: true)
        #expect(terminal.errors.contains("\r\u{1B}[Ksimdedup: reading "), "\(terminal.errors)")
        #expect(terminal.errors.contains("%") && terminal.errors.contains("MB/s"))
        let log = CLI.run(["dedupe", path])
        let progressLines = log.errors.split(separator: "\n").filter { $0.hasPrefix("simdedup: reading ") }
        #expect(!log.errors.contains("\r"))
        #expect((1...10).contains(progressLines.count), "\(log.errors)")
        #expect(progressLines.last?.contains("100%") == true, "\(progressLines)")
        let quiet = CLI.run(["dedupe", "--quiet", path], terminal: true)
        #expect(quiet.errors.isEmpty)
    }

    @Test("with a state, the summary gives loading and saving times, and rates over the rest")
    func summaryTimes() {
        var summary = DedupeRun.Summary()
        summary.settings = "jaccard ≥ 0.8"
        summary.documents = 400
        summary.bytes = 4_000_000
        summary.seconds = 10
        summary.loadSeconds = 4
        summary.saveSeconds = 2
        summary.documentsBefore = 100
        #expect(summary.description.contains("; 10.00 s (loading the state 4.00 s, saving the state 2.00 s), 100 docs/s, 1.0 MB/s; "), "\(summary.description)")
        // A state file that did not exist yet is saved, not loaded.
        summary.loadSeconds = nil
        #expect(summary.description.contains("; 10.00 s (saving the state 2.00 s), 50 docs/s, 0.5 MB/s; "), "\(summary.description)")
        summary.documentsBefore = nil
        summary.saveSeconds = 0
        #expect(summary.description.contains("; 10.00 s, 40 docs/s, 0.4 MB/s; "), "\(summary.description)")
    }

    @Test("the summaries group the digits of their counts, as the progress line does")
    func summaryGroupsDigits() {
        var summary = DedupeRun.Summary()
        summary.settings = "jaccard ≥ 0.8"
        summary.documents = 9_998_765
        summary.rejected = 1_235
        summary.clusters = 9_583_966
        summary.duplicates = 414_799
        summary.kept = 9_583_966
        summary.documentsBefore = 10_000_000
        summary.bytes = 10_000_000_000
        summary.seconds = 100
        summary.saveSeconds = 0
        summary.loadSeconds = 0
        summary.stateBytes = 3_999_753_000
        #expect(summary.description == "simdedup: jaccard ≥ 0.8: 10,000,000 documents in, 1,235 rejected, 9,583,966 clusters, "
            + "414,799 duplicates, 9,583,966 kept; state: 10,000,000 documents before, 19,998,765 after; "
            + "100.00 s (loading the state 0.00 s, saving the state 0.00 s), 99,988 docs/s, 100.0 MB/s; "
            + "engine state 3999.8 MB (200 bytes/doc)")
        var reuse = ReuseRun.Summary()
        reuse.documents = 20_000
        reuse.pairs = 17_862
        reuse.passages = 1_234_567
        reuse.groups = 11_349
        reuse.bytes = 1_000_000
        reuse.seconds = 2
        #expect(reuse.description == "simdedup: 20,000 documents in, 0 rejected, 17,862 pairs share 1,234,567 passages in 11,349 groups; "
            + "2.00 s, 10,000 docs/s, 0.5 MB/s")
        #expect(grouped(0) == "0" && grouped(999) == "999" && grouped(1_000) == "1,000" && grouped(-1_234_567) == "-1,234,567")
        #expect(grouped(Int.min) == "-9,223,372,036,854,775,808")
        // Rates no Int holds are written, never trapped on.
        #expect(groupedRate(99_987.65) == "99,988" && groupedRate(.infinity) == "inf" && groupedRate(1e20) == "1e+20")
        summary.seconds = 1e-300
        summary.loadSeconds = nil
        summary.documentsBefore = nil
        // 10¹⁰ bytes in 10⁻³⁰⁰ s: both rates past 2⁶³ (this trapped when the rate became an Int).
        #expect(summary.description.contains("e+306 docs/s, ") && summary.description.contains("e+30"))
    }

    @Test("progress while a state file loads (documents) and saves (bytes), none with --quiet")
    func stateProgress() throws {
        let state = DedupeStateTests.directory() + "/seen.state"
        let first = CLI.run(["dedupe", "--state", state, CLI.file("first.jsonl", DedupeStateTests.lines(0..<70))])
        try #require(first.status == 0, "\(first.errors)")
        let lines = first.errors.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("simdedup: loading the state") }, "a new state is not loaded")
        let saving = lines.filter { $0.hasPrefix("simdedup: saving the state ") }
        let size = try #require(FileManager.default.attributesOfItem(atPath: state)[.size] as? Int)
        #expect((1...10).contains(saving.count), "\(saving)")
        #expect(saving.last?.hasPrefix("simdedup: saving the state 100% (") == true, "\(first.errors)")
        #expect(size > 1_000)
        let second = CLI.run(["dedupe", "--state", state, CLI.file("second.jsonl", DedupeStateTests.lines(70..<100))])
        #expect(second.errors.contains("simdedup: loading the state 100% (70 of 70 documents)"), "\(second.errors)")
        #expect(second.errors.contains("simdedup: saving the state 100% ("), "\(second.errors)")
        // The summary gives the state's share of the time; the rates are over the rest.
        #expect(second.errors.contains(" s (loading the state "), "\(second.errors)")
        #expect(second.errors.contains(" s, saving the state "), "\(second.errors)")
        #expect(first.errors.contains(" s (saving the state ") && !first.errors.contains("(loading the state"), "\(first.errors)")
        let quiet = CLI.run(["dedupe", "--quiet", "--state", state, CLI.file("third.jsonl", DedupeStateTests.lines(100..<110))], terminal: true)
        #expect(quiet.status == 0 && quiet.errors.isEmpty, "\(quiet.errors)")
    }
}
