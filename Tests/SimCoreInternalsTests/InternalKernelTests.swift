import Foundation
import Testing
import SimCore
import SimCoreInternals

@Suite("Radix sort and chunked parallelism")
struct InternalKernelTests {
    @Test("radix sort agrees with the standard sort", arguments: [0, 1, 2, 128, 129, 1000, 4099] as [Int])
    func radixSort(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        // Mix full-range keys with narrow ones and repeats, so that equal digits occur.
        var keys = (0..<count).map { index -> UInt64 in
            switch index % 3 {
            case 0: generator.next()
            case 1: generator.next() % 50
            default: UInt64.max - generator.next() % 3
            }
        }
        let expected = keys.sorted()
        var scratch = [UInt64](repeating: 0, count: count)
        keys.withUnsafeMutableBufferPointer { keys in
            scratch.withUnsafeMutableBufferPointer { SimCoreInternals.radixSort(keys, scratch: $0) }
        }
        #expect(keys == expected)
    }

    @Test("chunk results come back in order whatever the thread count", arguments: [1, 2, 3, 8] as [Int])
    func chunks(threads: Int) {
        for count in [0, 1, 7, 100, 1001] {
            let ranges = concurrentChunks(count: count, threads: threads, minimumChunk: 3) { $0 }
            #expect(ranges.flatMap { Array($0) } == Array(0..<count))
        }
    }
}

@Suite("CPU availability")
struct CPUAvailabilityTests {
    @Test("cgroup v2 cpu.max, v1 quota and period, /proc/self/cgroup paths, affinity ranges")
    func parsing() {
        #expect(CPUAvailability.parseCPUMax("max 100000\n") == nil)
        #expect(CPUAvailability.parseCPUMax("150000 100000\n") == 1.5)
        #expect(CPUAvailability.parseCFS(quota: "-1\n", period: "100000\n") == nil)
        #expect(CPUAvailability.parseCFS(quota: "200000\n", period: "100000\n") == 2)
        let v1 = "12:cpu,cpuacct:/docker/abc\n0::/user.slice\n"
        #expect(CPUAvailability.cgroupPath(v1, controller: "cpu") == "/docker/abc")
        #expect(CPUAvailability.cgroupPath(v1, controller: nil) == "/user.slice")
        #expect(CPUAvailability.ranges([0, 1, 2, 3, 6, 8, 9]) == "0-3,6,8-9")
        #expect(CPUAvailability(affinity: [0, 1, 2, 3], cgroupCPULimit: 1.5, onlineCores: 8).usableCores == 2)
        #expect(CPUAvailability(affinity: [0], cgroupCPULimit: nil, onlineCores: 8).usableCores == 1)
        #expect(CPUAvailability(affinity: nil, cgroupCPULimit: nil, onlineCores: 8).usableCores == 8)
    }

    @Test("this process's affinity is read through sched_getaffinity, and the default thread count follows it")
    func current() throws {
        let affinity = try #require(Platform.cpuAffinity())
        #expect(!affinity.isEmpty && affinity.count <= ProcessInfo.processInfo.activeProcessorCount)
        #expect(Parallelism.defaultThreadCount == CPUAvailability.current.usableCores)
        #expect(Platform.loadAverages()?.count == 3)
    }
}
