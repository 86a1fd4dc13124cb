import Foundation
import Testing
@testable import SimBenchKit

@Suite("ResultComparison")
struct ResultComparisonTests {
    static let machine = MachineFingerprint(cpuModel: "test", logicalCores: 2, simdFeatures: [], memoryBytes: 1, kernel: "k",
                                            operatingSystem: "os", swiftVersion: "6.3", buildConfiguration: "release")

    static func result(_ label: String, _ records: [(String, Int, Double, WorkUnits)]) -> BenchResult {
        var result = BenchResult(machine: machine, corpus: CorpusSummary(name: "c", documents: 10, bytes: 1_000), label: label)
        result.records = records.map { workload, threads, seconds, units in
            WorkloadRecord(workload: workload, variant: "v", threads: threads, samples: SampleStatistics(secondsPerRun: [seconds]),
                           units: units, peakResidentBytes: 1)
        }
        return result
    }

    @Test("ratios are each file's throughput over the first file's")
    func ratios() throws {
        let bytes = WorkUnits(documents: 10, bytes: 1_000_000)
        let pairs = WorkUnits(pairs: 500)
        let a = Self.result("a", [("shingle", 1, 0.5, bytes), ("all-pairs", 1, 0.1, pairs), ("normalize", 1, 1, bytes)])
        let b = Self.result("b", [("shingle", 1, 0.2, bytes), ("all-pairs", 1, 0.4, pairs), ("shingle", 2, 0.1, bytes)])
        let c = Self.result("c", [("shingle", 1, 1.0, bytes)])
        let comparison = ResultComparison(results: [a, b, c])
        #expect(comparison.labels == ["a", "b", "c"])
        let shingle = try #require(comparison.rows.first { $0.key == "shingle | v | simcore | 1t" })
        #expect(shingle.metric == "megabytesPerSecond")
        #expect(shingle.values == [2, 5, 1])
        #expect(shingle.ratios == [1, 2.5, 0.5])
        let allPairs = try #require(comparison.rows.first { $0.key == "all-pairs | v | simcore | 1t" })
        #expect(allPairs.metric == "pairsPerSecond")
        #expect(allPairs.ratios == [1, 0.25, nil])
        let normalize = try #require(comparison.rows.first { $0.key.hasPrefix("normalize") })
        #expect(normalize.ratios == [1, nil, nil])
        let twoThreads = try #require(comparison.rows.first { $0.key == "shingle | v | simcore | 2t" })
        #expect(twoThreads.ratios == [nil, nil, nil], "no baseline value, no ratio")
        #expect(comparison.rows.map(\.key) == [
            "shingle | v | simcore | 1t", "all-pairs | v | simcore | 1t", "normalize | v | simcore | 1t", "shingle | v | simcore | 2t",
        ])
        let table = comparison.table()
        #expect(table.contains("2.50x"))
        #expect(table.contains("0.25x"))
    }

    @Test("records without throughput units compare by runs per second")
    func runsPerSecond() throws {
        let a = Self.result("a", [("estimate", 1, 0.4, WorkUnits())])
        let b = Self.result("b", [("estimate", 1, 0.1, WorkUnits())])
        let row = try #require(ResultComparison(results: [a, b]).rows.first)
        #expect(row.metric == "runsPerSecond")
        #expect(row.ratios == [1, 4])
    }

    @Test("the header names each file's CPU, cores and usable cores; ratios inside the samples' spread are marked noise")
    func headerAndNoise() throws {
        var a = Self.result("a", [])
        var b = Self.result("b", [])
        let units = WorkUnits(documents: 10, bytes: 1_000_000)
        a.records = [
            WorkloadRecord(workload: "w", variant: "close", threads: 1, samples: SampleStatistics(secondsPerRun: [1.0, 0.9, 1.1]), units: units, peakResidentBytes: 1),
            WorkloadRecord(workload: "w", variant: "apart", threads: 1, samples: SampleStatistics(secondsPerRun: [1.0, 0.95, 1.05]), units: units, peakResidentBytes: 1),
        ]
        b.records = [
            WorkloadRecord(workload: "w", variant: "close", threads: 1, samples: SampleStatistics(secondsPerRun: [0.95, 1.0, 1.2]), units: units, peakResidentBytes: 1),
            WorkloadRecord(workload: "w", variant: "apart", threads: 1, samples: SampleStatistics(secondsPerRun: [0.5, 0.48, 0.52]), units: units, peakResidentBytes: 1),
        ]
        b.environment = RunEnvironment(
            toolVersion: "0.2.0", gitCommit: String(repeating: "a", count: 40), gitDirty: false, commandLine: ["simbench"],
            loadAverageBefore: [3, 2, 1], loadAverageAfter: [4, 2, 1], cpuAffinity: "0", usableCores: 1, cgroupCPULimit: nil,
            threadsUsed: 1, warnings: ["busy machine: load average 3.00 before the run on 2 cores"])
        let comparison = ResultComparison(results: [a, b])
        let close = try #require(comparison.rows.first { $0.key.contains("close") })
        let apart = try #require(comparison.rows.first { $0.key.contains("apart") })
        #expect(close.noise == [false, true])
        #expect(apart.noise == [false, false])
        let table = comparison.table()
        #expect(table.contains("[1] b: test, 2 cores (1 usable, CPUs 0)"), "\(table)")
        #expect(table.contains("aaaaaaaaaaaa") && table.contains("load 3.00 → 4.00"))
        #expect(table.contains("warning: busy machine"))
        #expect(table.contains("~") && table.contains("2.00x"))
        #expect(table.contains("MB/s") && !table.contains("megabytesPerSecond"))
    }
}
