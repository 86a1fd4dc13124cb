import Foundation
import SimCommandLine
import SimCore
import SimCoreFixtures
import SimCoreIO
@testable import SimDedupKit
import Testing

/// `simdedup dedupe`'s repeated-id check: ``RecentIDs`` (the batches the engine may not have
/// filed yet) alone, and the whole check through the command, where an earlier id can be in the
/// batch being read, in either generation of ``RecentIDs``, in the engine, or in a state file.
@Suite("simdedup dedupe repeated ids")
struct RecentIDsTests {
    @Test("RecentIDs keeps the batch being read and the two before it, its tables growing from 16 slots and past the usual batch")
    func generations() {
        let batchSize = 100
        var recent = RecentIDs()
        for batch in 0..<9 {
            recent.startBatch()
            // Three times the usual size in batch 4, as one held batch with --boilerplate auto.
            let size = batch == 4 ? 3 * batchSize : batchSize
            for row in 0..<size { recent.insert(RecentIDs.Key("b\(batch)-\(row)"), document: batch * 1_000 + row) }
            for earlier in Swift.max(0, batch - 2)...batch {
                let rows = earlier == 4 ? 3 * batchSize : batchSize
                for row in stride(from: 0, to: rows, by: 7) {
                    #expect(recent.document(withID: RecentIDs.Key("b\(earlier)-\(row)")) == earlier * 1_000 + row,
                            "batch \(batch), id b\(earlier)-\(row)")
                }
            }
            #expect(recent.document(withID: RecentIDs.Key("b\(batch)-\(size)")) == nil)
            #expect(recent.document(withID: RecentIDs.Key("")) == nil)
        }
        // Memory stays bounded: by batch 8, batches 0 to 5 are gone (the engine has them).
        #expect(recent.document(withID: RecentIDs.Key("b0-0")) == nil)
        #expect(recent.document(withID: RecentIDs.Key("b4-0")) == nil)
    }

    @Test("RecentIDs tells apart ids whose hashes agree wholly, in the top 32 bits that slots keep, or in the low bits that place them")
    func collidingHashes() {
        var recent = RecentIDs()
        recent.startBatch()
        // At 16 slots all start at slot 5: "a" and "b" share the tag (top bits) but not the hash,
        // "c" has another tag, "d" has all of "a"'s hash. "e" and "f" have tag 0 and hash 0
        // (a slot holding only an entry number; "f" takes slot 0); "g" takes the last slot, and
        // "h", which starts there too, wraps past slot 0 to slot 1.
        let hashes: [UInt64] = [
            0x1234_5678_0000_0005, 0x1234_5678_0000_0015, 0x9999_9999_0000_0005, 0x1234_5678_0000_0005,
            0x0000_0000_0000_0005, 0, 0x1234_5678_0000_000F, 0x0000_0001_0000_000F,
        ]
        let texts = ["a", "b", "c", "d", "e", "f", "g", "h"]
        // Enough ids to grow the table past 16 slots while the colliding ones are in it.
        for (number, (text, hash)) in zip(texts, hashes).enumerated() { recent.insert(RecentIDs.Key._withHash(text, hash), document: number) }
        for filler in 0..<40 { recent.insert(RecentIDs.Key("filler \(filler)"), document: 100 + filler) }
        for (number, (text, hash)) in zip(texts, hashes).enumerated() {
            #expect(recent.document(withID: RecentIDs.Key._withHash(text, hash)) == number, "\(text)")
        }
        // The same hash as "a" and "d" with another text, and a hash no id has.
        #expect(recent.document(withID: RecentIDs.Key._withHash("z", hashes[0])) == nil)
        #expect(recent.document(withID: RecentIDs.Key._withHash("a", 0x1234_5678_0000_0006)) == nil)
        // A repeated id keeps its first document.
        recent.insert(RecentIDs.Key._withHash("b", hashes[1]), document: 999)
        #expect(recent.document(withID: RecentIDs.Key._withHash("b", hashes[1])) == 1)
        for filler in 0..<40 { #expect(recent.document(withID: RecentIDs.Key("filler \(filler)")) == 100 + filler) }
        // Two batches on, they are in the older generation; two more, and they are gone. The
        // cleared table takes the same colliding ids again.
        recent.startBatch()
        recent.startBatch()
        recent.startBatch()
        for (number, (text, hash)) in zip(texts, hashes).enumerated() {
            #expect(recent.document(withID: RecentIDs.Key._withHash(text, hash)) == number, "older generation, \(text)")
        }
        recent.startBatch()
        recent.startBatch()
        for (text, hash) in zip(texts, hashes) { #expect(recent.document(withID: RecentIDs.Key._withHash(text, hash)) == nil, "\(text)") }
        for (number, (text, hash)) in zip(texts, hashes).enumerated() { recent.insert(RecentIDs.Key._withHash(text, hash), document: 50 + number) }
        for (number, (text, hash)) in zip(texts, hashes).enumerated() {
            #expect(recent.document(withID: RecentIDs.Key._withHash(text, hash)) == 50 + number, "after clearing, \(text)")
        }
    }

    /// A JSON Lines record with a number id.
    private static func numberRecord(_ id: Int, _ text: String) -> String {
        #"{"id":\#(id),"text":"\#(text)"}"#
    }

    @Test("the reader's upcoming id hashes are the hashes both id tables look ids up by, so that prefetching them asks for the slots the lookups read")
    func upcomingHashesAreLookupHashes() throws {
        let path = try ScratchDirectories.make("simdedup-tests") + "/ids.jsonl"
        let ids = ["a", "g00000000/1", "", "é 日本", "a longer id than fifteen bytes", "42"]
        let lines = (0..<60).map { #"{"id":"\#(ids[$0 % ids.count])-\#($0)","text":"words \#($0)"}"# }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let reader = CorpusReader(paths: [path], options: CorpusOptions(threads: 1))
        var predicted: [Int: UInt64] = [:]
        var index = 0
        var compared = 0
        while let record = try reader.nextRecord() {
            let key = RecentIDs.Key(record.id.text)
            if let hash = predicted[index] {
                #expect(hash == key.hash, "record \(index)")
                compared += 1
            }
            // The engine files and finds ids under the same hash (a debug build asserts it).
            let engine = Deduplicator()
            #expect(engine.document(withID: record.id.text, idHash: key.hash) == nil)
            for distance in 0..<5 { if let hash = reader.upcomingIDHash(distance) { predicted[index + 1 + distance] = hash } }
            index += 1
        }
        #expect(compared > 50)
    }

    @Test("repeats found in the batch being read, in both generations and in the engine; a number and a string of the same text are one id everywhere")
    func acrossBatches() throws {
        // Batches of 16 accepted documents: lines 1...16 are batch 0, 17...33 batch 1 (line 19
        // is refused), 34...50 batch 2, 51...67 batch 3, 68... batch 4. By batch 4, batches 0
        // and 1 are in the engine only; batch 1 is in the older generation during batch 3.
        var lines = (1...100).map { CLI.record("n\($0)", "text number \($0) here") }
        func put(_ line: Int, _ record: String) { lines[line - 1] = record }
        put(1, Self.numberRecord(7, "the first seven"))
        put(2, CLI.record("8", "the first eight"))
        put(3, CLI.record("-1", "a string that is a number literal"))
        put(19, CLI.record("7", "a string seven in batch 1"))               // the current generation, batch 0
        put(37, CLI.record("n36", "a repeat inside batch 2"))               // the batch being read
        put(55, CLI.record("n25", "a repeat of batch 1 in batch 3"))        // the older generation
        put(70, Self.numberRecord(8, "a number eight in batch 4"))          // the engine: the string first
        put(71, CLI.record("7", "a string seven in batch 4"))               // the engine: the number first
        put(72, CLI.record("n5", "a repeat of batch 0 in batch 4"))         // the engine
        put(73, Self.numberRecord(-1, "a number minus one"))                // the engine: the string first
        put(74, CLI.record("n1x", "not a repeat"))
        let path = CLI.file("ids.jsonl", lines.joined(separator: "\n") + "\n")
        var options = CorpusOptions()
        options.invalidInput = .skip
        let io = CommandIO(standardOutput: .memory(), standardError: .memory(), standardErrorIsTerminal: false)
        let summary = try DedupeRun.run(
            reader: CorpusReader(paths: [path], options: options), deduplicator: Deduplicator(), keepPath: nil, io: io,
            progress: io.progress(tool: "simdedup", quiet: true), boilerplate: BoilerplateOptionGroup.parse([]),
            limits: _BatchLimits(documents: 16, bytes: 0))
        let expected = [
            (19, #""7""#, 1), (37, #""n36""#, 36), (55, #""n25""#, 25), (70, "8", 2), (71, #""7""#, 1), (72, #""n5""#, 5),
            (73, "-1", 3),
        ].map { "simdedup: skipped \(path):\($0.0): duplicate id \($0.1) (first at \(path):\($0.2))" }
        let skipped = io.standardError.text.split(separator: "\n").filter { $0.hasPrefix("simdedup: skipped") }.map(String.init)
        #expect(skipped == expected, "\(io.standardError.text)")
        #expect(summary.documents == 100 - expected.count && summary.rejected == expected.count)
        #expect(io.standardOutput.text.split(separator: "\n").count == summary.documents)
    }

    @Test("a number id and a string id of the same text are one id across a state file, both ways")
    func acrossState() throws {
        let first = CLI.file("first.jsonl", Self.numberRecord(42, "alpha beta gamma") + "\n" + CLI.record("43", "delta epsilon") + "\n")
        let state = (first as NSString).deletingLastPathComponent + "/ids.state"
        #expect(CLI.run(["dedupe", "--quiet", "--state", state, first]).status == 0)
        let second = CLI.file("second.jsonl", CLI.record("42", "zeta eta") + "\n" + Self.numberRecord(43, "theta iota") + "\n"
            + CLI.record("44", "kappa lambda") + "\n")
        let again = CLI.run(["dedupe", "--quiet", "--skip-invalid", "--state", state, second])
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.errors.contains("simdedup: skipped \(second):1: duplicate id \"42\" (first at an earlier run (the state file))\n"), "\(again.errors)")
        #expect(again.errors.contains("simdedup: skipped \(second):2: duplicate id 43 (first at an earlier run (the state file))\n"), "\(again.errors)")
        #expect(again.output.split(separator: "\n").count == 1)
    }
}

@Suite("document places")
struct DocumentPlacesTests {
    @Test("each document's file and line, across files, whole files and lines past 2³² − 1")
    func places() {
        var places = DocumentPlaces()
        places.append(path: "a.jsonl", line: 1)
        places.append(path: "a.jsonl", line: 7)
        places.append(path: "b.txt", line: nil)
        places.append(path: "c.jsonl", line: 4_294_967_294)
        places.append(path: "c.jsonl", line: 4_294_967_295)
        places.append(path: "c.jsonl", line: 5_000_000_000)
        places.append(path: "a.jsonl", line: 9)
        #expect(places.count == 7)
        #expect((0..<7).map(places.place(of:)) == [
            "a.jsonl:1", "a.jsonl:7", "b.txt", "c.jsonl:4294967294", "c.jsonl:4294967295", "c.jsonl:5000000000", "a.jsonl:9",
        ])
    }
}
