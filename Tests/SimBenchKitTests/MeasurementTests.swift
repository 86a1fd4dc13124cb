import Foundation
import SimCore
import SimCoreFixtures
import Testing
@testable import SimBenchKit

@Suite("Measurement helpers")
struct MeasurementTests {
    @Test("quantiles interpolate between order statistics")
    func statistics() {
        let stats = SampleStatistics(secondsPerRun: [0.3, 0.1, 0.2, 0.4])
        #expect(stats.median == 0.25)
        #expect(stats.minimum == 0.1)
        #expect(stats.maximum == 0.4)
        #expect(abs(stats.q1 - 0.175) < 1e-12)
        #expect(abs(stats.q3 - 0.325) < 1e-12)
        #expect(SampleStatistics(secondsPerRun: [7]).median == 7)
        #expect(SampleStatistics.quantile([1, 2, 3, 4, 5], 0.99) == 4.96)
    }

    @Test("the sampler takes the requested number of samples after a warm-up")
    func sampler() {
        var calls = 0
        let stats = Sampler(samples: 4, minimumSampleSeconds: 0).measure { calls += 1 }
        #expect(calls == 5)
        #expect(stats.secondsPerRun.count == 4)
        var slowCalls = 0
        let slow = Sampler(samples: 5, minimumSampleSeconds: 0, budgetSeconds: 0).measure { slowCalls += 1 }
        #expect(slowCalls == 2, "a body slower than the budget gets one sample after the warm-up")
        #expect(slow.secondsPerRun.count == 1)
    }

    @Test("thread counts double up to the core count, which is always last", arguments: [
        (1, [1]), (2, [1, 2]), (6, [1, 2, 4, 6]), (8, [1, 2, 4, 8]),
    ])
    func threadCounts(cores: Int, expected: [Int]) {
        #expect(BenchmarkContext.defaultThreadCounts(cores: cores) == expected)
    }

    @Test("precision, recall and F1 on exact small sets")
    func accuracy() {
        let truth: Set = [DocumentPair(0, 1), DocumentPair(2, 3), DocumentPair(4, 5), DocumentPair(6, 7)]
        let accuracy = PairAccuracy(found: [DocumentPair(1, 0), DocumentPair(3, 2), DocumentPair(8, 9)], truth: truth)
        #expect(accuracy.truePositives == 2 && accuracy.falsePositives == 1 && accuracy.falseNegatives == 2)
        #expect(accuracy.precision == 2.0 / 3)
        #expect(accuracy.recall == 0.5)
        #expect(abs(accuracy.f1 - 4.0 / 7) < 1e-12)
        #expect(PairAccuracy(found: [], truth: []).f1 == 1)
    }

    @Test("ground truth turns clusters into index pairs")
    func groundTruth() {
        let truth = GroundTruth(clusters: ["a": "a", "b": "a", "c": "c", "d": "a"])
        #expect(truth.pairs(documentIDs: ["d", "x", "a", "b", "c"]) == [DocumentPair(0, 2), DocumentPair(0, 3), DocumentPair(2, 3)])
    }

    @Test("the naive reference makes word shingles and exact Jaccard")
    func naive() {
        #expect(NaiveReference.wordShingles("One two, three FOUR", width: 2) == ["one two", "two three", "three four"])
        #expect(NaiveReference.wordShingles("One", width: 3) == ["one"])
        #expect(NaiveReference.jaccard(["a", "b", "c"], ["b", "c", "d"]) == 0.5)
        let sets: [Set<String>] = [["a", "b"], ["a", "b", "c"], ["x"]]
        #expect(NaiveReference.allPairs(sets, threshold: 0.6) == [DocumentPair(0, 1)])
    }

    @Test("the fingerprint parses cpuinfo, os-release and status text")
    func fingerprint() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 9R14 96-Core Processor\nflags\t\t: fpu sse2 avx2 avx512f bmi2 foo\n"
        #expect(MachineFingerprint.parseCPUModel(cpuinfo) == "AMD EPYC 9R14 96-Core Processor")
        #expect(MachineFingerprint.parseSIMDFeatures(cpuinfo) == ["sse2", "avx2", "bmi2", "avx512f"])
        #expect(MachineFingerprint.parseOSRelease("NAME=x\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n") == "Debian GNU/Linux 12 (bookworm)")
        #expect(PeakMemory.statusKilobytes("VmPeak:\t 100 kB\nVmHWM:\t   2048 kB\n", field: "VmHWM") == 2048)
        let current = MachineFingerprint.current()
        #expect(current.logicalCores >= 1)
        #expect(current.buildConfiguration == "debug" || current.buildConfiguration == "release")
        #expect(PeakMemory.residentBytes() > 1 << 20)
    }

    @Test("the registry selects by name and rejects unknown names")
    func registry() throws {
        let registry = WorkloadRegistry.standard()
        #expect(registry.names == ["normalize", "shingle", "all-pairs", "lsh-curve", "reuse"])
        #expect(WorkloadRegistry.suite().names == [
            "normalize", "shingle", "all-pairs", "lsh-curve", "reuse", "sign", "dedupe", "dedupe-overlap",
        ])
        #expect(try registry.selected(["all-pairs", "normalize"]).map(\.name) == ["normalize", "all-pairs"])
        #expect(throws: WorkloadRegistryError.self) { try registry.selected(["sing"]) }
    }
}
