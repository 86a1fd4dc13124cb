import Foundation
import SimCore
import SimCoreFixtures
import SimCoreIO
import SimDedupKit
import Testing

@Suite("simdedup cluster")
struct ClusterTests {
    @Test("chains through shared (band, key); equal keys in different bands do not join")
    func exactLabels() {
        let path = CLI.file("bands.jsonl", """
            {"id":"c","bands":[1,2]}
            {"id":"b","bands":[1,3]}
            {"id":"z","bands":[4,3]}
            {"id":"y","bands":[3,5]}
            {"id":"x","bands":[]}

            """)
        let result = CLI.run(["cluster", path])
        #expect(result.status == 0)
        #expect(result.output == """
            {"id":"c","cluster":"b"}
            {"id":"b","cluster":"b"}
            {"id":"z","cluster":"b"}
            {"id":"y","cluster":"y"}
            {"id":"x","cluster":"x"}

            """)
    }

    @Test("the label is the smallest id byte-wise; numbers echo as numbers")
    func byteOrder() {
        let path = CLI.file("bands.jsonl", """
            {"id":9,"bands":[7]}
            {"id":10,"bands":[7]}
            {"id":"a","bands":[8]}
            {"id":"B","bands":[8]}
            {"id":"é","bands":[8]}

            """)
        let result = CLI.run(["cluster", path])
        #expect(result.status == 0)
        #expect(result.output == """
            {"id":9,"cluster":10}
            {"id":10,"cluster":10}
            {"id":"a","cluster":"B"}
            {"id":"B","cluster":"B"}
            {"id":"é","cluster":"B"}

            """)
    }

    @Test("labels equal connected components found by brute force over all pairs (seeded)")
    func agreesWithBruteForce() {
        let seed: UInt64 = 77
        var generator = SplitMix64(seed: seed)
        let count = 300
        let bands = (0..<count).map { _ in (0..<4).map { _ in Int64(generator.next() % 400) } }
        let ids = (0..<count).map { DocumentID(text: "d\(generator.next() % 100_000)-\($0)") }
        let labels = BandClustering.labels(bands: bands, ids: ids)
        var component = Array(0..<count)
        func root(_ i: Int) -> Int { component[i] == i ? i : root(component[i]) }
        for i in 0..<count {
            for j in 0..<i where (0..<4).contains(where: { bands[i][$0] == bands[j][$0] }) {
                component[root(i)] = root(j)
            }
        }
        for i in 0..<count {
            let members = (0..<count).filter { root($0) == root(i) }
            let smallest = members.min { ids[$0] < ids[$1] }!
            #expect(labels[i] == smallest, "seed \(seed), document \(i)")
        }
        #expect(Set(labels).count < count, "seed \(seed): the test needs some clusters")
    }

    @Test("bands | cluster labels every generated document with its planted cluster's smallest id (seed 3)")
    func pipeline() throws {
        let corpus = CLI.corpus(documents: 120, seed: 3)
        try #require(CLI.lowestPlantedJaccard(corpus) >= 0.8, "seed 3: planted pairs must stay clear of the 0.7 threshold")
        let bands = CLI.run(["bands", "--threshold", "0.7", CLI.corpusFile(corpus)])
        try #require(bands.status == 0)
        let clustered = CLI.run(["cluster", CLI.file("bands.jsonl", bands.output)])
        #expect(clustered.status == 0)
        let labels = Dictionary(uniqueKeysWithValues: clustered.records.map { ($0["id"] as! String, $0["cluster"] as! String) })
        #expect(labels.count == corpus.documents.count)
        for (document, cluster) in zip(corpus.documents, corpus.clusterIDs) {
            #expect(labels[document.id] == cluster, "seed 3, \(document.id)")
        }
        #expect(Set(corpus.clusterIDs).count < corpus.documents.count / 2, "seed 3: the test needs clusters")
    }

    @Test("bad input exits 1 naming file:line", arguments: [
        (#"{"id":"a","bands":[1]}"# + "\n" + #"{"id":"b","bands":[1"#, ":2: malformed JSON"),
        (#"{"id":"a"}"#, ":1: missing field \"bands\""),
        (#"{"bands":[1]}"#, ":1: missing field \"id\""),
        (#"{"id":"a","bands":["x"]}"#, ":1: field \"bands\""),
        (#"{"id":true,"bands":[1]}"#, ":1: field \"id\""),
        (#"{"id":"a","bands":[1]}"# + "\n" + #"{"id":"a","bands":[2]}"#, ":2: duplicate id \"a\" (first on line 1)"),
    ])
    func badInput(input: String, message: String) {
        let path = CLI.file("bands.jsonl", input + "\n")
        let result = CLI.run(["cluster", path])
        #expect(result.status == 1)
        #expect(result.errors.contains("bands.jsonl" + message), "\(result.errors)")
        #expect(result.output.isEmpty)
    }

    @Test("invalid UTF-8 exits 1 with its byte offset")
    func invalidUTF8() {
        let path = CLI.file("bands.jsonl", Array(#"{"id":"a"#.utf8) + [0xC3, 0x28] + Array(#"","bands":[1]}"#.utf8) + [0x0A])
        let result = CLI.run(["cluster", path])
        #expect(result.status == 1)
        #expect(result.errors.contains("bands.jsonl:1: invalid UTF-8 at byte 8"))
    }

    @Test("a missing file exits 1")
    func missingFile() {
        let result = CLI.run(["cluster", "/nonexistent/bands.jsonl"])
        #expect(result.status == 1)
        #expect(result.errors.contains("/nonexistent/bands.jsonl: cannot read"))
    }
}
