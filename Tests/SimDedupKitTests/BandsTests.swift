import Foundation
import SimCore
import SimDedupKit
import Testing

@Suite("simdedup bands")
struct BandsTests {
    @Test("one line per record, in order, ids echoed as given, bandCount signed keys")
    func format() throws {
        let path = CLI.file("in.jsonl", """
            {"id":"b","text":"one two three four five six seven"}
            {"id":42,"text":"one two three four five six seven eight"}
            {"text":"alpha beta gamma delta epsilon zeta","id":"a\\"q"}

            """)
        let result = CLI.run(["bands", "--bands", "16", "--rows", "8", path])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        #expect(lines[0].hasPrefix(#"{"id":"b","bands":["#))
        #expect(lines[1].hasPrefix(#"{"id":42,"bands":["#))
        #expect(lines[2].hasPrefix(#"{"id":"a\"q","bands":["#))
        for record in result.records {
            let bands = try #require(record["bands"] as? [NSNumber])
            #expect(bands.count == 16)
        }
        #expect(!result.output.contains(" "))
    }

    @Test("keys equal BandKey over the scheme's signature of the shingles", arguments: SignatureSchemeKind.allCases.filter(\.isBandable))
    func agreesWithLibrary(scheme: SignatureSchemeKind) throws {
        let corpus = CLI.corpus(documents: 12, seed: 11)
        let documents = corpus.documents
        let path = CLI.corpusFile(corpus)
        let result = CLI.run(["bands", "--scheme", scheme.rawValue, "-k", "64", "--seed", "9", "--threshold", "0.7", path])
        #expect(result.status == 0)
        let signatureScheme = scheme.make(signatureLength: 64, seed: 9)
        let banding = BandingParameters.optimal(threshold: 0.7, signatureLength: 64, falsePositiveWeight: 0.1, falseNegativeWeight: 0.9)
        let shingler = Shingler(options: ShinglingOptions(unit: .words(5), seed: 9))
        let records = result.records
        try #require(records.count == documents.count)
        for (record, document) in zip(records, documents) {
            let hashes = shingler.shingles(ofUTF8: document.utf8).hashes
            var signature = [UInt64](repeating: 0, count: 64)
            hashes.withUnsafeBufferPointer { input in
                signature.withUnsafeMutableBufferPointer { signatureScheme.sign(input, into: $0) }
            }
            let expected = BandKey.keys(of: signature, banding: banding).map { Int64(bitPattern: $0) }
            let actual = try #require(record["bands"] as? [NSNumber]).map(\.int64Value)
            #expect(record["id"] as? String == document.id)
            #expect(actual == expected, "scheme \(scheme), document \(document.id)")
        }
    }

    @Test("the seed alone fixes the keys: same seed same output, another seed other keys")
    func determinism() {
        let path = CLI.corpusFile(CLI.corpus(documents: 8, seed: 5))
        let first = CLI.run(["bands", "--seed", "3", path])
        let second = CLI.run(["bands", "--seed", "3", path])
        let other = CLI.run(["bands", "--seed", "4", path])
        #expect(first.status == 0 && first.output == second.output)
        let firstKeys = Set(first.records.flatMap { ($0["bands"] as? [NSNumber] ?? []).map(\.int64Value) })
        let otherKeys = Set(other.records.flatMap { ($0["bands"] as? [NSNumber] ?? []).map(\.int64Value) })
        #expect(!firstKeys.isEmpty && firstKeys.isDisjoint(with: otherKeys))
    }

    @Test("a text without shingles gets no keys")
    func noShingles() {
        let path = CLI.file("in.jsonl", #"{"id":"p","text":"!!! ... ???"}"# + "\n")
        let result = CLI.run(["bands", path])
        #expect(result.status == 0)
        #expect(result.output == #"{"id":"p","bands":[]}"# + "\n")
    }

    @Test("bad records fail with file:line, or are skipped and counted with --skip-invalid")
    func badInput() {
        let path = CLI.file("bad.jsonl", CLI.record("a", "one two three four five") + "\n{\"id\":\"b\"}\n" + CLI.record("c", "six seven eight nine ten") + "\n")
        let failed = CLI.run(["bands", path])
        #expect(failed.status == 1)
        #expect(failed.errors.contains("bad.jsonl:2: missing field \"text\""))
        let skipped = CLI.run(["bands", "--skip-invalid", path])
        #expect(skipped.status == 0)
        #expect(skipped.records.map { $0["id"] as? String } == ["a", "c"])
        #expect(skipped.errors.contains("skipped") && skipped.errors.contains("1 rejected"))
    }

    @Test("usage errors exit with status 2", arguments: [
        ["bands", "-k", "0"], ["bands", "--threshold", "1.5"], ["bands", "--threshold", "-0.5"], ["bands", "--bands", "4"],
        ["bands", "--bands", "20", "--rows", "8"], ["bands", "--shingle", "lines:3"], ["bands", "--scheme", "nope"],
        ["bands", "--no-such-option"], ["frobnicate"],
    ])
    func usage(arguments: [String]) {
        let result = CLI.run(arguments)
        #expect(result.status == 2, "\(arguments)")
        #expect(!result.errors.isEmpty)
        #expect(result.output.isEmpty)
    }

    @Test("--help exits 0 and documents the format")
    func help() {
        let result = CLI.run(["bands", "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("--seed"))
    }
}
