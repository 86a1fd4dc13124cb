import Foundation
import SimCore
import SimCommandLine
import SimCoreFixtures
import SimDedupKit
import Testing

@Suite("simdedup dedupe")
struct DedupeTests {
    @Test("wire stories: 001 is a near-copy of 000 by the overlap coefficient; one representative per cluster")
    func wireStories() throws {
        let result = CLI.run(["dedupe", "--measure", "overlap", "--threshold", "0.5", RepositoryPaths.wireStories])
        #expect(result.status == 0)
        let records = result.records
        try #require(records.count == 5)
        let ids = records.map { $0["id"] as! String }
        #expect(ids == ids.sorted())
        #expect(records[1]["cluster"] as? String == ids[0])
        #expect(records[1]["match"] as? String == ids[0])
        #expect((records[1]["similarity"] as? Double ?? 0) >= 0.5)
        #expect(records[0]["match"] is NSNull && records[0]["similarity"] is NSNull)
        var representatives: [String: Int] = [:]
        for record in records where record["representative"] as? Bool == true {
            representatives[record["cluster"] as! String, default: 0] += 1
        }
        #expect(Set(records.map { $0["cluster"] as! String }) == Set(representatives.keys))
        #expect(representatives.values.allSatisfy { $0 == 1 })
        #expect(result.errors.contains("5 documents in, 0 rejected"))
        #expect(result.errors.contains("1 duplicates"))
    }

    @Test("exact line format, number ids echoed")
    func format() {
        let text = "one two three four five six seven eight nine ten eleven twelve"
        let path = CLI.file("in.jsonl", #"{"id":7,"text":"\#(text)"}"# + "\n" + CLI.record("x", text) + "\n")
        let result = CLI.run(["dedupe", path])
        #expect(result.status == 0)
        #expect(result.output == """
            {"id":7,"cluster":7,"representative":true,"match":null,"similarity":null}
            {"id":"x","cluster":7,"representative":false,"match":7,"similarity":1.0}

            """)
    }

    @Test("generated reprints (seed 21) share their planted cluster's smallest id; threads do not change the output")
    func threadsAgree() throws {
        let corpus = CLI.corpus(documents: 90, seed: 21)
        try #require(CLI.lowestPlantedJaccard(corpus) >= 0.8, "seed 21: planted pairs must stay clear of the 0.7 threshold")
        let path = CLI.corpusFile(corpus)
        let one = CLI.run(["dedupe", "--threshold", "0.7", "--threads", "1", path])
        let two = CLI.run(["dedupe", "--threshold", "0.7", "--threads", "2", path])
        #expect(one.status == 0 && two.status == 0)
        #expect(one.output == two.output)
        let records = one.records
        try #require(records.count == corpus.documents.count)
        for (record, (document, cluster)) in zip(records, zip(corpus.documents, corpus.clusterIDs)) {
            #expect(record["id"] as? String == document.id)
            #expect(record["cluster"] as? String == cluster, "seed 21, \(document.id)")
        }
        #expect(Set(corpus.clusterIDs).count < corpus.documents.count / 2, "seed 21: the test needs clusters")
    }

    @Test("every bad-input case exits 1 with file:line, and is counted with --skip-invalid", arguments: [
        ("{\"id\":\"b\",\"text\":", "malformed JSON"),
        (#"{"text":"some words here and there"}"#, "missing field \"id\""),
        (#"{"id":"b"}"#, "missing field \"text\""),
        (#"{"id":"b","text":5}"#, "field \"text\" must be a string"),
        (#"{"id":"b","text":""}"#, "empty text"),
        ("{\"id\":\"b\",\"text\":\"caf\u{FFFD}\"}", "invalid UTF-8"),
    ])
    func badInput(line: String, reason: String) {
        var bytes = Array((CLI.record("a", "alpha beta gamma delta epsilon") + "\n").utf8)
        var bad = Array(line.utf8)
        if reason == "invalid UTF-8" { bad = Array(#"{"id":"b","text":"caf"#.utf8) + [0xE9] + Array(#""}"#.utf8) }
        bytes += bad + [0x0A] + Array((CLI.record("c", "zeta eta theta iota kappa") + "\n").utf8)
        let path = CLI.file("corpus.jsonl", bytes)
        let failed = CLI.run(["dedupe", path])
        #expect(failed.status == 1)
        #expect(failed.errors.contains("corpus.jsonl:2: ") && failed.errors.contains(reason), "\(failed.errors)")
        #expect(failed.output.isEmpty)
        let skipped = CLI.run(["dedupe", "--skip-invalid", path])
        #expect(skipped.status == 0)
        #expect(skipped.records.map { $0["id"] as? String } == ["a", "c"])
        #expect(skipped.errors.contains("skipped") && skipped.errors.contains("corpus.jsonl:2"))
        #expect(skipped.errors.contains("3 documents in, 1 rejected"))
    }

    @Test("usage errors exit 2", arguments: [
        ["dedupe"], ["dedupe", "--measure", "cosine", "x.jsonl"], ["dedupe", "--measure", "containment", "x.jsonl"],
        ["dedupe", "--threads", "0", "x.jsonl"], ["dedupe", "--threshold", "0", "x.jsonl"],
        ["dedupe", "--bands", "4", "--rows", "4", "x.jsonl"], ["dedupe", "--scheme", "minhash-b1", "x.jsonl"],
    ])
    func usage(arguments: [String]) {
        let result = CLI.run(arguments)
        #expect(result.status == 2, "\(arguments)")
        #expect(!result.errors.isEmpty)
    }

    @Test("a missing input exits 1")
    func missingInput() {
        let result = CLI.run(["dedupe", "/nonexistent/corpus.jsonl"])
        #expect(result.status == 1)
        #expect(result.errors.contains("/nonexistent/corpus.jsonl"))
    }

    @Test("the progress bar is drawn only on a terminal")
    func progress() {
        let path = CLI.corpusFile(CLI.corpus(documents: 6, seed: 2))
        #expect(!CLI.run(["dedupe", path]).errors.contains("\r"))
        #expect(CLI.run(["dedupe", path], terminal: true).errors.contains("\r\u{1B}[K"))
    }

    @Test("--help and no subcommand exit 0")
    func help() {
        #expect(CLI.run(["dedupe", "--help"]).status == 0)
        let root = CLI.run([])
        #expect(root.status == 0 && root.output.contains("dedupe"))
    }

    /// The enums spell out their values (`allValueStrings`) instead of the library's key path.
    @Test("enum options list their values in help and completion, and an unknown value names them")
    func enumValues() {
        let help = CLI.run(["dedupe", "--help"]).output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("(values: oph, minhash, superminhash, minhash-b1)"))
        #expect(help.contains("(values: jaccard, overlap)"))
        #expect(help.contains("(values: estimated, exact)"))
        #expect(help.contains("(values: auto, off)"))
        let completion = CLI.run(["--generate-completion-script", "bash"]).output
        #expect(completion.contains(#"'oph'$'\n''minhash'$'\n''superminhash'$'\n''minhash-b1'"#))
        let unknown = CLI.run(["dedupe", "--measure", "cosine", "/nonexistent/a"])
        #expect(unknown.status == 2 && unknown.errors.contains("'jaccard' and 'overlap'"))
    }

    /// `CommandLineMain` parses the subcommand named first on its own; anything that is not a
    /// runnable command goes back through the root's parser, whose messages name the whole path.
    @Test("help, --version, completion scripts and usage errors after a subcommand are the root parser's",
          arguments: ["dedupe", "bands", "cluster", "reuse", "align"])
    func subcommandParsedAlone(command: String) {
        let help = CLI.run([command, "--help"])
        #expect(help.status == 0 && help.output.contains("USAGE: simdedup \(command)"))
        let version = CLI.run([command, "--version"])
        #expect(version.status == 0 && version.output.contains(SimCoreRelease.version))
        let completion = CLI.run([command, "--generate-completion-script", "bash"])
        #expect(completion.status == 0 && completion.output.contains("_simdedup"))
        // Two operands, so that every command gets as far as the unknown option.
        let unknown = CLI.run([command, "--no-such-option", "/nonexistent/a", "/nonexistent/b"])
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("--no-such-option") && unknown.errors.contains("Usage: simdedup \(command)"))
    }

    @Test("a subcommand parsed on its own is the command the root's parser makes", arguments: [
        ["dedupe", "a.jsonl"], ["dedupe", "--measure", "jaccard", "--threads", "2", "--verification-bits", "4", "a.jsonl", "b"],
        ["bands", "-k", "64", "--threshold", "0.7", "a.jsonl"], ["cluster", "bands.tsv"], ["reuse", "--max-df", "5", "a"],
        ["align", "--shingle", "words:4", "a.txt", "b.txt"],
    ])
    func subcommandFastPath(arguments: [String]) throws {
        let fast = try #require(CommandLineMain.parseNamedSubcommand(SimDedup.self, arguments))
        #expect(String(reflecting: fast) == String(reflecting: try SimDedup.parseAsRoot(arguments)))
        // Anything but a runnable command is left to the root's parser.
        #expect(CommandLineMain.parseNamedSubcommand(SimDedup.self, arguments + ["--help"]) == nil)
        #expect(CommandLineMain.parseNamedSubcommand(SimDedup.self, ["help"] + arguments) == nil)
    }

    @Test("every command's help wraps within 80 columns (an over-long word pulls the next paragraph's first word onto its line)",
          arguments: ["dedupe", "bands", "cluster", "reuse", "align"])
    func helpFitsEightyColumns(command: String) {
        let result = CLI.run(["help", command])
        #expect(result.status == 0)
        let text = result.output + result.errors
        #expect(text.contains("USAGE: simdedup \(command)"))
        for line in text.split(separator: "\n") where !line.hasPrefix("USAGE:") {
            #expect(line.count <= 80, "\(command): \(line)")
        }
        #expect(!text.contains("\\"))
    }
}
