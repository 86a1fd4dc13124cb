import Foundation
import SimCore
import SimCoreFixtures
import Testing
@testable import SimBenchKit

@Suite("BenchResult JSON and schema")
struct BenchResultTests {
    /// A real result: every standard workload run on a small generated corpus with fast settings
    /// (measured once, shared by the tests).
    static let measured = measuredResult()

    static func measuredResult() -> BenchResult {
        var generator = CorpusGenerator(options: CorpusGeneratorOptions(documentCount: 40, seed: 5, reprintProbability: 0.4))
        var documents: [Document] = []
        var truth: [GeneratedDocument] = []
        while let (document, record) = generator.next() {
            documents.append(document)
            truth.append(record)
        }
        let context = BenchmarkContext(
            documents: documents, truth: GroundTruth(generated: truth).pairs(documentIDs: documents.map(\.id)),
            threadCounts: [1, 2], sampler: Sampler(samples: 2, minimumSampleSeconds: 0),
            referenceSampler: Sampler(samples: 1, minimumSampleSeconds: 0), referenceDocuments: 20,
            passageTruth: PassageTruth(generated: truth))
        var result = BenchResult(
            machine: .current(), corpus: CorpusSummary(name: "generated", documents: 40, bytes: context.totalBytes, seed: 5, hasGroundTruth: true))
        for workload in WorkloadRegistry.standard(shingleUnits: [.words(5), .characters(4)]).workloads {
            let output = workload.run(in: context)
            result.records += output.records
            result.curves += output.curves
        }
        result.environment?.finish(threadsUsed: 2)
        return result
    }

    @Test("emitted JSON validates against Docs/simbench-result.schema.json")
    func validatesAgainstSchema() throws {
        let result = Self.measured
        let json = try result.jsonData()
        let violations = try SchemaValidator.resultSchema().violations(of: json)
        #expect(violations.isEmpty, "\(violations.prefix(10))")
        let workloads = Set(result.records.map(\.workload))
        #expect(workloads == ["normalize", "shingle", "all-pairs", "lsh-curve", "reuse"])
        // normalize 2 + reference; shingle 2 units x 2 threads + 1 word reference; all-pairs 2 + subset + reference; the curve;
        // reuse 2 + one pair raw and tokenized
        #expect(result.records.count == 3 + 5 + 4 + 1 + 4)
        #expect(result.curves.count == 1 && result.curves[0].measured.count == 20)
        let environment = try #require(result.environment)
        #expect(environment.toolVersion == SimCoreRelease.version)
        #expect(environment.loadAverageAfter.count == 3 && environment.usableCores >= 1)
    }

    @Test("the validator catches a missing field, a wrong type and an unknown build configuration")
    func validatorRejectsBrokenJSON() throws {
        let json = try Self.measured.jsonData()
        var object = try JSONSerialization.jsonObject(with: json) as! [String: Any]
        object["label"] = nil
        var machine = object["machine"] as! [String: Any]
        machine["logicalCores"] = "two"
        machine["buildConfiguration"] = "fast"
        object["machine"] = machine
        var records = object["records"] as! [[String: Any]]
        records[0]["metrics"] = ["docsPerSecond": "many"]
        object["records"] = records
        let broken = try JSONSerialization.data(withJSONObject: object)
        let violations = try SchemaValidator.resultSchema().violations(of: broken)
        #expect(violations.contains("$: missing required 'label'"))
        #expect(violations.contains("$.machine.logicalCores: expected integer, found string"))
        #expect(violations.contains { $0.hasPrefix("$.machine.buildConfiguration: fast not in") })
        #expect(violations.contains("$.records[0].metrics.docsPerSecond: expected number, found string"))
        #expect(violations.count == 4)
    }

    @Test("JSON round-trips, and other schema versions are rejected")
    func roundTrip() throws {
        let result = Self.measured
        let decoded = try BenchResult.decode(try result.jsonData())
        #expect(decoded == result)
        var object = try JSONSerialization.jsonObject(with: try result.jsonData()) as! [String: Any]
        object["schemaVersion"] = 3
        #expect(throws: BenchResultError.unsupportedSchemaVersion(3, source: "input")) {
            try BenchResult.decode(try JSONSerialization.data(withJSONObject: object))
        }
        // A version-1 file (before the run's environment was recorded) still reads.
        object["schemaVersion"] = 1
        object["environment"] = nil
        let old = try BenchResult.decode(try JSONSerialization.data(withJSONObject: object))
        #expect(old.environment == nil && old.records == result.records)
    }

    @Test("workloads report accuracy against planted pairs and agree with the naive reference")
    func accuracyAndAgreement() throws {
        let result = Self.measured
        let allPairs = result.records.filter { $0.workload == "all-pairs" && $0.implementation == "simcore" }
        let full = try #require(allPairs.first { $0.threads == 1 && $0.units.documents == 40 })
        #expect(full.metrics["f1"] == 1, "generator seed 5")
        #expect(full.metrics["precision"] == 1)
        #expect(full.units.pairs == 40 * 39 / 2)
        #expect(allPairs.filter { $0.units.documents == 40 }.allSatisfy { $0.metrics["identicalToFirstRun"] == 1 })
        let subset = try #require(allPairs.first { $0.units.documents == 20 })
        #expect(subset.metrics["referenceAgreementF1"] == 1)
        #expect(subset.metrics["speedupOverReference"] != nil)
        let shingle = try #require(result.records.first { $0.workload == "shingle" && $0.variant == "words:5" && $0.threads == 1 && $0.implementation == "simcore" })
        #expect(shingle.metrics["latencyP50Seconds"]! <= shingle.metrics["latencyP99Seconds"]!)
        #expect(shingle.units.shingles > 0)
        #expect(result.records.allSatisfy { $0.peakResidentBytes > 0 })
    }

    @Test("throughput metrics derive from the median and the work units")
    func throughput() {
        let record = WorkloadRecord(workload: "shingle", variant: "words:5", threads: 1,
                                    samples: SampleStatistics(secondsPerRun: [0.5, 0.25, 2]),
                                    units: WorkUnits(documents: 100, bytes: 3_000_000, shingles: 1_000), peakResidentBytes: 1)
        #expect(record.metrics == ["docsPerSecond": 200, "megabytesPerSecond": 6, "shinglesPerSecond": 2_000])
        #expect(record.primaryThroughput.name == "megabytesPerSecond")
        #expect(record.key == "shingle | words:5 | simcore | 1t")
    }
}
