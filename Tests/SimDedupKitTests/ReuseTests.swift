import Foundation
import SimCore
import SimCoreFixtures
import Testing

@Suite("simdedup reuse and align")
struct ReuseTests {
    static let wire = RepositoryPaths.wireStories

    @Test("wire stories: three pairs in input order, the exact line format, a summary on stderr")
    func wireStories() throws {
        let result = CLI.run(["reuse", Self.wire])
        #expect(result.status == 0, "\(result.errors)")
        let records = result.records
        #expect(records.map { "\($0["a"]!) \($0["b"]!)" } == [
            "000_ddd89a90af6d95d2 001_a40650a566da0f61", "000_ddd89a90af6d95d2 002_8c3dc0f376b91e61",
            "001_a40650a566da0f61 002_8c3dc0f376b91e61",
        ])
        #expect(try #require(records.first?["coverage_b"] as? Double) >= 0.9)
        let first = try #require(result.output.split(separator: "\n").first)
        #expect(first.hasPrefix(#"{"a":"000_ddd89a90af6d95d2","b":"001_a40650a566da0f61","coverage_a":"#))
        #expect(first.contains(#""passages":[{"a":["#) && first.contains(#","words_a":"#) && first.contains(#","similarity":"#))
        let passages = try #require(records.first?["passages"] as? [[String: Any]])
        let text = try Data(contentsOf: URL(fileURLWithPath: Self.wire + "/001_a40650a566da0f61.txt"))
        for passage in passages {
            let span = try #require(passage["b"] as? [Int])
            #expect(span[0] < span[1] && span[1] <= text.count)
        }
        #expect(result.errors.contains("simdedup: 5 documents in, 0 rejected, 3 pairs share"))
        #expect(CLI.run(["reuse", "--threads", "1", Self.wire]).output == result.output)
    }

    @Test("--passages: groups of documents carrying the same passage")
    func groups() throws {
        let result = CLI.run(["reuse", "--passages", Self.wire])
        #expect(result.status == 0)
        let groups = result.records
        #expect(groups.count >= 2)
        #expect(groups.first?["passage"] as? Int == 1)
        let members = try #require(groups.first?["members"] as? [[String: Any]])
        #expect(members.count == groups.first?["documents"] as? Int)
        #expect(members.allSatisfy { ($0["span"] as? [Int])?.count == 2 && $0["words"] is Int })
        #expect(groups.contains { $0["documents"] as? Int == 3 }, "a passage carried by 000, 001 and 002")
    }

    @Test("JSON Lines input: number ids echoed as numbers; boilerplate reported and blanked")
    func jsonLinesAndBoilerplate() throws {
        var generator = SplitMix64(seed: 3)
        func words(_ count: Int) -> String { (0..<count).map { _ in "w\(generator.next() % 100_000)" }.joined(separator: " ") }
        let navigation = "Home | World | Business | Markets | Tech | Opinion | Sport | Culture | Travel | Weather | Video | Podcasts | Newsletters"
        let shared = words(40)
        var lines: [String] = []
        for number in 0..<12 {
            let body = number < 2 ? words(20) + " " + shared + " " + words(20) : words(80)
            lines.append(#"{"id":\#(number),"text":"\#(navigation)\n\#(body)"}"#)
        }
        let corpus = CLI.file("corpus.jsonl", lines.joined(separator: "\n") + "\n")
        let report = CLI.file("placeholder", "").replacingOccurrences(of: "placeholder", with: "boilerplate.jsonl")
        let result = CLI.run(["reuse", "--boilerplate-report", report, corpus])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.hasPrefix(#"{"a":0,"b":1,"#))
        #expect(result.records.count == 1)
        #expect(result.errors.contains("boilerplate: 1 lines in at least 10 documents each; the most frequent in 12 documents"))
        let listed = try String(contentsOfFile: report, encoding: .utf8)
        #expect(listed == #"{"text":"\#(navigation)","documents":12}"# + "\n")
        let off = CLI.run(["reuse", "--boilerplate", "off", corpus])
        #expect(off.records.count == 12 * 11 / 2)
    }

    @Test("a repeated id stops reuse naming both places, as dedupe does; with --skip-invalid it is a counted reject")
    func duplicateIDs() throws {
        var generator = SplitMix64(seed: 13)
        func words(_ count: Int) -> String { (0..<count).map { _ in "w\(generator.next() % 100_000)" }.joined(separator: " ") }
        let shared = words(40)
        let lead = words(10)
        let path = CLI.file("dup.jsonl", [
            CLI.record("d", lead + " " + shared), CLI.record("e", shared + " " + words(10)),
            CLI.record("d", words(5) + " " + shared + " " + words(5)),
        ].joined(separator: "\n") + "\n")
        let second = CLI.file("more.jsonl", CLI.record("e", shared) + "\n" + CLI.record("f", words(20) + " " + shared) + "\n")
        let stopped = CLI.run(["reuse", path])
        #expect(stopped.status == 1)
        #expect(BadInputMatrixTests.messages(stopped) == "simdedup: \(path):3: duplicate id \"d\" (first at \(path):1)\n", "\(stopped.errors)")
        #expect(stopped.output.isEmpty)
        // Skipped and counted, across files: 5 in = 3 documents + 2 rejected; the pairs name
        // each id once.
        let skipped = CLI.run(["reuse", "--skip-invalid", path, second])
        #expect(skipped.status == 0, "\(skipped.errors)")
        #expect(skipped.errors.contains("simdedup: skipped \(path):3: duplicate id \"d\" (first at \(path):1)\n"), "\(skipped.errors)")
        #expect(skipped.errors.contains("simdedup: skipped \(second):1: duplicate id \"e\" (first at \(path):2)\n"), "\(skipped.errors)")
        #expect(skipped.errors.contains("simdedup: 5 documents in, 2 rejected, 3 pairs share"), "\(skipped.errors)")
        #expect(skipped.records.map { "\($0["a"]!) \($0["b"]!)" } == ["d e", "d f", "e f"])
        let passages = try #require(skipped.records.first?["passages"] as? [[String: Any]])
        #expect(passages.map { $0["a"] as? [Int] } == [[lead.utf8.count + 1, lead.utf8.count + 1 + shared.utf8.count]] as [[Int]?],
                "the passage is in d's first text")
        // The number 1 and the string "1" are one id; --passages refuses repeats too.
        let kinds = CLI.file("kinds.jsonl", #"{"id":1,"text":"\#(shared)"}"# + "\n" + #"{"id":"1","text":"\#(shared)"}"# + "\n")
        for arguments in [["reuse", kinds], ["reuse", "--passages", kinds]] {
            let result = CLI.run(arguments)
            #expect(result.status == 1 && BadInputMatrixTests.messages(result) == "simdedup: \(kinds):2: duplicate id \"1\" (first at \(kinds):1)\n", "\(result.errors)")
        }
    }

    @Test("dedupe --boilerplate auto: a shared page frame no longer makes documents duplicates")
    func dedupeBoilerplate() {
        var generator = SplitMix64(seed: 5)
        func words(_ count: Int) -> String { (0..<count).map { _ in "w\(generator.next() % 100_000)" }.joined(separator: " ") }
        let frame = words(200)
        let lines = (0..<12).map { #"{"id":"d\#($0)","text":"\#(frame)\n\#(words(30))"}"# }
        let corpus = CLI.file("framed.jsonl", lines.joined(separator: "\n") + "\n")
        let plain = CLI.run(["dedupe", corpus])
        #expect(plain.records.filter { $0["representative"] as? Bool == true }.count == 1)
        let cleaned = CLI.run(["dedupe", "--boilerplate", "auto", corpus])
        #expect(cleaned.status == 0)
        #expect(cleaned.records.filter { $0["representative"] as? Bool == true }.count == 12)
        #expect(cleaned.errors.contains("boilerplate: 1 lines"))
    }

    @Test("align: one line in the reuse format, and a self-contained HTML picture")
    func align() throws {
        let a = Self.wire + "/001_a40650a566da0f61.txt", b = Self.wire + "/002_8c3dc0f376b91e61.txt"
        let html = CLI.file("placeholder", "").replacingOccurrences(of: "placeholder", with: "page.html")
        let result = CLI.run(["align", a, b, "--html", html])
        #expect(result.status == 0, "\(result.errors)")
        let record = try #require(result.records.first)
        #expect(record["a"] as? String == a && record["b"] as? String == b)
        let passages = try #require(record["passages"] as? [[String: Any]])
        #expect(passages.count >= 5)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("<script") && !page.contains("http://") && !page.contains("https://") && !page.contains("src="))
        for number in 1...passages.count {
            #expect(page.contains("id=\"a\(number)\"") && page.contains("id=\"b\(number)\"") && page.contains("href=\"#b\(number)\""))
        }
        // 49.6%: the "Putin" that begins a sentence of 002 at byte 2805 ends one passage and
        // began the next; it is the first passage's alone, so 001's "Putin" at 1647 is outside.
        #expect(page.contains("49.6%"), "coverage of 001")
        #expect(page.contains("&quot;") || page.contains("“"))
    }

    @Test("align bad input: empty, invalid UTF-8, nothing shared; a clear answer")
    func alignBadInput() throws {
        let empty = CLI.file("empty.txt", "")
        let story = Self.wire + "/001_a40650a566da0f61.txt"
        let none = CLI.run(["align", empty, story])
        #expect(none.status == 0)
        #expect(none.output.contains(#""coverage_a":0.0,"coverage_b":0.0,"passages":[]}"#))
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: story)))
        bytes.insert(contentsOf: [0xFF, 0xFE, 0xC3], at: 500)
        let broken = CLI.file("broken.txt", bytes)
        let result = CLI.run(["align", story, broken])
        #expect(result.status == 0)
        let passages = try #require(result.records.first?["passages"] as? [[String: Any]])
        #expect(passages.allSatisfy { (($0["b"] as? [Int])?[1] ?? .max) <= bytes.count })
        #expect(result.records.first?["coverage_a"] as? Double == 1)
    }

    @Test("usage errors exit 2, unreadable input exits 1", arguments: [
        (["reuse"], Int32(2)), (["reuse", "--shingle", "chars:5", wire], 2), (["reuse", "--max-df", "1", wire], 2),
        (["reuse", "--min-passage-words", "0", wire], 2), (["reuse", "--max-gap", "-1", wire], 2),
        (["reuse", "--boilerplate", "off", "--boilerplate-report", "x.jsonl", wire], 2), (["reuse", "--boilerplate", "sometimes", wire], 2),
        (["align", wire + "/001_a40650a566da0f61.txt"], 2), (["align", "/nonexistent/a.txt", wire + "/001_a40650a566da0f61.txt"], 1),
        (["reuse", "/nonexistent/corpus.jsonl"], 1),
    ] as [([String], Int32)])
    func errors(arguments: [String], status: Int32) {
        let result = CLI.run(arguments)
        #expect(result.status == status, "\(arguments): \(result.errors)")
        #expect(!result.errors.isEmpty)
    }
}
