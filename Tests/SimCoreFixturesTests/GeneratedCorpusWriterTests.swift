import Foundation
import SimCore
import Testing
@testable import SimCoreFixtures
import SimCoreIO

@Suite("GeneratedCorpusWriter")
struct GeneratedCorpusWriterTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "simbench-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("the same seed writes byte-identical corpus, truth and pairs files")
    func byteIdentical() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = CorpusGeneratorOptions(documentCount: 150, seed: 11, reprintProbability: 0.3)
        let first = try GeneratedCorpusWriter.write(options: options, to: directory + "/a.jsonl")
        let second = try GeneratedCorpusWriter.write(options: options, to: directory + "/b.jsonl")
        let other = try GeneratedCorpusWriter.write(options: CorpusGeneratorOptions(documentCount: 150, seed: 12), to: directory + "/c.jsonl")
        for (x, y) in [(first.corpusPath, second.corpusPath), (first.truthPath, second.truthPath), (first.pairsPath, second.pairsPath)] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: x)) == Data(contentsOf: URL(fileURLWithPath: y)), "\(x)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.corpusPath)) != Data(contentsOf: URL(fileURLWithPath: other.corpusPath)))
        #expect(first.truthPath == directory + "/a.truth.jsonl")
    }

    @Test("files are identical whatever the thread count")
    func threadIndependent() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = CorpusGeneratorOptions(documentCount: 70, seed: 8, reprintProbability: 0.4, blockSize: 16)
        let one = try GeneratedCorpusWriter.write(options: options, to: directory + "/one.jsonl", threads: 1)
        let three = try GeneratedCorpusWriter.write(options: options, to: directory + "/three.jsonl", threads: 3)
        for (x, y) in [(one.corpusPath, three.corpusPath), (one.truthPath, three.truthPath), (one.pairsPath, three.pairsPath)] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: x)) == Data(contentsOf: URL(fileURLWithPath: y)), "\(x)")
        }
        #expect(one.documents == 70 && three.documents == 70 && one.plantedPairs == three.plantedPairs)
    }

    @Test("the JSON Lines corpus reads back as the generator's documents, with consistent truth, pairs and pair Jaccard")
    func readsBack() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = CorpusGeneratorOptions(documentCount: 80, seed: 4, reprintProbability: 0.4, blockSize: 32)
        let summary = try GeneratedCorpusWriter.write(options: options, to: directory + "/corpus.jsonl")
        #expect(summary.documents == 80)
        let corpus = try CorpusReader.readAll(paths: [summary.corpusPath])
        var generator = CorpusGenerator(options: options)
        var records: [GeneratedDocument] = []
        for document in corpus.documents {
            let next = generator.next()
            let (expected, record) = try #require(next)
            #expect(document.id == expected.id)
            #expect(document.utf8 == expected.utf8)
            records.append(record)
        }
        #expect(corpus.documents.count == 80)
        #expect(summary.textBytes == corpus.documents.reduce(0) { $0 + $1.utf8.count })
        let ids = corpus.documents.map(\.id)
        let truth = try GroundTruth.read(from: URL(fileURLWithPath: summary.truthPath))
        #expect(truth == GroundTruth(generated: records))
        let planted = truth.pairs(documentIDs: ids)
        let lines = try String(contentsOfFile: summary.pairsPath, encoding: .utf8).split(separator: "\n")
        let shingles = corpus.documents.map { Shingler().shingles(ofUTF8: $0.utf8) }
        var fromFile = Set<DocumentPair>()
        for line in lines {
            let parts = line.split(separator: "\t").map(String.init)
            try #require(parts.count == 3, "\(line)")
            let (a, b) = (try #require(ids.firstIndex(of: parts[0])), try #require(ids.firstIndex(of: parts[1])))
            #expect(a < b)
            fromFile.insert(DocumentPair(a, b))
            let jaccard = try #require(Double(parts[2]))
            #expect(jaccard == shingles[a].jaccard(with: shingles[b]), "\(line)")
            #expect(jaccard >= 0.5 && jaccard <= 1)
        }
        #expect(fromFile == planted)
        #expect(summary.plantedPairs == planted.count && planted.count > 10)
    }

    @Test("a directory output holds one .txt per document that CorpusReader reads")
    func directoryLayout() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = try GeneratedCorpusWriter.write(options: CorpusGeneratorOptions(documentCount: 12, seed: 2), to: directory + "/docs")
        let corpus = try CorpusReader.readAll(paths: [summary.corpusPath])
        #expect(corpus.documents.map(\.id) == (0..<12).map { GeneratedDocument.id(ofIndex: $0) })
        #expect(FileManager.default.fileExists(atPath: directory + "/docs.truth.jsonl"))
        #expect(FileManager.default.fileExists(atPath: directory + "/docs.pairs.tsv"))
        #expect(GeneratedCorpusWriter.companionPaths(of: directory + "/docs/").truth == directory + "/docs.truth.jsonl")
    }
}
