import Foundation
import SimCore
import Testing
@testable import SimBenchKit

@Suite("Run environment and the LSH curve")
struct RunEnvironmentTests {
    @Test("busy before, busy after, a debug build and fewer usable cores are warned about; a quiet release run is not")
    func warnings() {
        let quiet = RunEnvironment.warnings(loadBefore: 0.3, loadAfter: 2.4, threadsUsed: 2, onlineCores: 2, usableCores: 2, buildConfiguration: "release")
        #expect(quiet.isEmpty, "a run's own threads do not make the machine busy")
        let before = RunEnvironment.warnings(loadBefore: 1.5, loadAfter: 1.5, threadsUsed: 1, onlineCores: 2, usableCores: 2, buildConfiguration: "release")
        #expect(before.count == 1 && before[0].hasPrefix("busy machine: load average 1.50 before the run"))
        let after = RunEnvironment.warnings(loadBefore: 0.1, loadAfter: 3.2, threadsUsed: 2, onlineCores: 2, usableCores: 2, buildConfiguration: "release")
        #expect(after.count == 1 && after[0].contains("3.20 at its end"))
        let other = RunEnvironment.warnings(loadBefore: 0, loadAfter: 0, threadsUsed: 1, onlineCores: 4, usableCores: 1, buildConfiguration: "debug")
        #expect(other.count == 2 && other[0].hasPrefix("debug build") && other[1] == "only 1 of 4 cores usable (CPU affinity or cgroup limit)")
    }

    @Test("a started and finished environment records version, CPUs and both load averages")
    func current() {
        var environment = RunEnvironment.start(commandLine: ["simbench", "suite"])
        environment.finish(threadsUsed: 2, onlineCores: 2, buildConfiguration: "release")
        #expect(environment.toolVersion == SimCoreRelease.version)
        #expect(environment.commandLine == ["simbench", "suite"])
        #expect(environment.loadAverageBefore.count == 3 && environment.loadAverageAfter.count == 3)
        #expect(environment.usableCores == Parallelism.defaultThreadCount)
        #expect(environment.cpuAffinity != "unknown")
        #expect(environment.threadsUsed == 2)
        if let commit = environment.gitCommit { #expect(commit.count == 40, "tests run from the repository's checkout") }
    }

    @Test("the measured S-curve follows 1 − (1 − sʳ)ᵇ within five binomial standard deviations (seed 1)",
          arguments: [SignatureSchemeKind.minhash, .oph])
    func sCurve(scheme: SignatureSchemeKind) {
        let workload = LSHCurveWorkload(scheme: scheme, signatureLength: 64, threshold: 0.7, pairsPerBucket: 100, seed: 1)
        let (curve, error) = workload.measureCurve()
        #expect(curve.measured.count == 20 && curve.theory.count == 101)
        for point in curve.measured {
            let p = workload.banding.candidateProbability(similarity: point.x)
            let bound = 5 * (p * (1 - p) / 100).squareRoot() + 0.03
            #expect(abs(point.y - p) <= bound, "seed 1, \(scheme), s = \(point.x): measured \(point.y), theory \(p)")
        }
        #expect(curve.measured.last!.y == 1, "identical sets always collide")
        #expect(error < 0.06, "seed 1: signatures estimate Jaccard within the expected error at k = 64")
    }
}
