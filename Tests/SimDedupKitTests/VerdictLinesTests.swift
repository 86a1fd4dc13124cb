import SimCore
import SimCoreFixtures
import SimCoreIO
@testable import SimDedupKit
import Testing

/// `simdedup dedupe`'s verdict lines (``DedupeRun/writeVerdicts(of:first:deduplicator:threads:to:window:)``):
/// exact lines on a small engine, and the same bytes, kept flags and cluster count whatever the
/// window, the thread count and the documents of an earlier run.
@Suite("simdedup dedupe verdict lines")
struct VerdictLinesTests {
    private static func lines(
        _ deduplicator: Deduplicator<OnePermutationMinHash>, first: Int, threads: Int, window: Int
    ) throws -> (text: String, kept: [Bool], clusters: Int) {
        let sink = OutputSink.memory()
        let result = try DedupeRun.writeVerdicts(
            of: deduplicator.assignmentTable(), first: first, deduplicator: deduplicator, threads: threads, to: sink, window: window)
        return (sink.text, result.kept, result.clusters)
    }

    @Test("exact lines: cluster labelled by the smallest id, number ids echoed as numbers, the longest kept")
    func exactLines() throws {
        let text = "one two three four five six seven eight nine ten eleven twelve"
        let deduplicator = Deduplicator()
        deduplicator.insert(contentsOf: [
            Document(id: "b", utf8: Array(text.utf8)),
            Document(id: "a", utf8: Array(text.utf8)),
            Document(id: EngineID.encode(DocumentID(text: "5", isNumber: true)), utf8: Array("a wholly different text of twelve words that shares nothing at all here".utf8)),
        ], threads: 1)
        let written = try Self.lines(deduplicator, first: 0, threads: 2, window: 2)
        #expect(written.text == """
            {"id":"b","cluster":"a","representative":true,"match":null,"similarity":null}
            {"id":"a","cluster":"a","representative":false,"match":"b","similarity":1.0}
            {"id":5,"cluster":5,"representative":true,"match":null,"similarity":null}

            """)
        #expect(written.kept == [true, false, true])
        #expect(written.clusters == 2)
        // Documents 0 and 1 from an earlier run: only document 2's line; its cluster is new.
        let later = try Self.lines(deduplicator, first: 2, threads: 1, window: 1)
        #expect(later.text == #"{"id":5,"cluster":5,"representative":true,"match":null,"similarity":null}"# + "\n")
        #expect(later.kept == [true] && later.clusters == 1)
    }

    @Test("windows of 7 and 65,536 lines on 1 and 3 threads give the same bytes; kept flags and clusters match a dictionary count",
          arguments: [0, 25])
    func windowsAndThreads(first: Int) throws {
        let corpus = CLI.corpus(documents: 60, seed: 5)
        let deduplicator = Deduplicator()
        deduplicator.insert(contentsOf: corpus.documents, threads: 2)
        let reference = try Self.lines(deduplicator, first: first, threads: 1, window: DedupeRun.verdictWindow)
        #expect(reference.text.split(separator: "\n").count == 60 - first)
        for (threads, window) in [(1, 7), (3, 7), (3, DedupeRun.verdictWindow), (2, 1)] {
            let written = try Self.lines(deduplicator, first: first, threads: threads, window: window)
            #expect(written.text == reference.text, "\(threads) threads, window \(window), first \(first)")
            #expect(written.kept == reference.kept && written.clusters == reference.clusters)
        }
        // The dictionary and set main used: the earliest member of each cluster, and the clusters seen.
        let assignments = deduplicator.assignments()
        var earliest: [Int: Int] = [:]
        for assignment in assignments { earliest[assignment.cluster] = Swift.min(earliest[assignment.cluster] ?? .max, assignment.document) }
        let kept = assignments[first...].map { $0.isRepresentative && earliest[$0.cluster]! >= first }
        #expect(reference.kept == kept)
        #expect(reference.clusters == Set(assignments[first...].map(\.cluster)).count)
        #expect(reference.kept.contains(false), "the corpus has reprints (seed 5)")
        // Each line says what the public assignments say (ids of the form d…, no escapes).
        for (line, assignment) in zip(reference.text.split(separator: "\n"), assignments[first...]) {
            let ids = deduplicator.ids(of: [assignment.document, assignment.cluster])
            var expected = #"{"id":"\#(ids[0])","cluster":"\#(ids[1])","representative":\#(assignment.isRepresentative),"match":"#
            if case .duplicate(let match, let similarity) = assignment.verdict {
                expected += #""\#(deduplicator.id(of: match))","similarity":\#(similarity)}"#
            } else {
                expected += #"null,"similarity":null}"#
            }
            #expect(String(line) == expected)
        }
    }

    @Test("ids are written from the engine's bytes as the input wrote them: strings escaped, number literals bare, a NUL that marks no number kept")
    func idsAsWritten() throws {
        let ids: [DocumentID] = [
            DocumentID(text: "plain"), DocumentID(text: "42", isNumber: true), DocumentID(text: "-1.5e+3", isNumber: true),
            DocumentID(text: "42"), DocumentID(text: "quote \" backslash \\ tab \t newline \n"), DocumentID(text: "é 日本 😀"),
            DocumentID(text: "x\u{0}"), DocumentID(text: "\u{1}"), DocumentID(text: ""),
        ]
        for id in ids {
            var expected: [UInt8] = []
            id.appendJSON(to: &expected)
            var written: [UInt8] = []
            var engineID = EngineID.encode(id)
            engineID.withUTF8 { EngineID.appendJSON(engineID: UnsafeRawBufferPointer($0), to: &written) }
            #expect(written == expected, "\(id)")
        }
        // Through the engine: every field of every line names the documents by the ids they
        // were inserted under, a number id as a match and as a cluster label included (the
        // reprint of the number-id document "42" comes last, under a string id).
        func text(_ index: Int) -> String { "document \(index) has words of its own: \(index) \(index * 7) \(index * 13)" }
        let reprinted = ids.firstIndex(of: DocumentID(text: "42", isNumber: true))!
        let inserted = ids + [DocumentID(text: "reprint of 42")]
        let deduplicator = Deduplicator()
        deduplicator.insert(contentsOf: inserted.enumerated().map { index, id in
            Document(id: EngineID.encode(id), utf8: Array(text(index < ids.count ? index : reprinted).utf8))
        }, threads: 1)
        let written = try Self.lines(deduplicator, first: 0, threads: 2, window: 4)
        var expected: [UInt8] = []
        for assignment in deduplicator.assignments() {
            func append(_ literal: String) { expected += Array(literal.utf8) }
            append(#"{"id":"#)
            inserted[assignment.document].appendJSON(to: &expected)
            append(#","cluster":"#)
            inserted[assignment.cluster].appendJSON(to: &expected)
            append(#","representative":\#(assignment.isRepresentative),"match":"#)
            if case .duplicate(let match, let similarity) = assignment.verdict {
                inserted[match].appendJSON(to: &expected)
                append(#","similarity":\#(similarity)}"#)
            } else {
                append(#"null,"similarity":null}"#)
            }
            append("\n")
        }
        #expect(written.text == String(decoding: expected, as: UTF8.self))
        #expect(written.text.hasSuffix(#"{"id":"reprint of 42","cluster":42,"representative":false,"match":42,"similarity":1.0}"# + "\n"))
    }
}
