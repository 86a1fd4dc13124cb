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

    @Test("sharded hashes: a stable partition by top bits, the same on every thread count", arguments: [0, 1, 4, 12] as [Int])
    func shardedHashes(shardBits: Int) {
        var generator = SplitMix64(seed: UInt64(shardBits) + 40)
        let documents: [[UInt64]] = (0..<300).map { index in
            index % 7 == 0 ? [] : (0..<Int(generator.next() % 50)).map { _ in generator.next() >> (generator.next() % 3) }
        }
        // Expected: for each shard in order, every (hash, document) of it in document order.
        var expected: [(UInt64, UInt32)] = []
        for shard in 0..<(1 << shardBits) {
            for (document, hashes) in documents.enumerated() {
                for hash in hashes where ShardedHashes.shard(of: hash, shardBits: shardBits) == shard {
                    expected.append((hash, UInt32(document + 5)))
                }
            }
        }
        for threads in [1, 2, 3, 8] {
            let groups = ShardedHashes(documentCount: documents.count, shardBits: shardBits, firstOwner: 5, threads: threads) { documents[$0] }
            #expect(groups.starts.count == groups.shardCount + 1 && groups.starts.last == expected.count)
            let hashes = (0..<expected.count).map { groups.hashes.base[$0] }
            let owners = (0..<expected.count).map { groups.owners.base[$0] }
            #expect(hashes == expected.map(\.0) && owners == expected.map(\.1), "\(threads) threads")
            for shard in 0..<groups.shardCount {
                #expect(groups.range(ofShard: shard).allSatisfy { ShardedHashes.shard(of: groups.hashes.base[$0], shardBits: shardBits) == shard })
            }
        }
        let none = ShardedHashes(documentCount: 0, shardBits: shardBits, threads: 2) { _ in [] }
        #expect(none.starts == [Int](repeating: 0, count: (1 << shardBits) + 1))
    }

    @Test("chunk results come back in order whatever the thread count", arguments: [1, 2, 3, 8] as [Int])
    func chunks(threads: Int) {
        for count in [0, 1, 7, 100, 1001] {
            let ranges = concurrentChunks(count: count, threads: threads, minimumChunk: 3) { $0 }
            #expect(ranges.flatMap { Array($0) } == Array(0..<count))
        }
    }

    /// Under ThreadSanitizer (CI's selection runs this suite) the stdlib initializer at
    /// capacity 0, made from two threads at once, is a reported race on the shared empty storage.
    @Test("uninitialized arrays: capacity 0 is a plain empty array without calling the body, also from two threads at once")
    func uninitializedArrays() {
        var called = false
        let empty = [UInt64](uninitializedCapacity: 0) { _, _ in called = true }
        #expect(empty.isEmpty && !called)
        let squares = [Int](uninitializedCapacity: 4) { buffer, count in
            for i in 0..<3 { buffer.initializeElement(at: i, to: i * i) }
            count = 3
        }
        #expect(squares == [0, 1, 4])
        let counts = concurrentChunks(count: 2_000, threads: 2, minimumChunk: 1) { range in
            range.reduce(0) { total, index in
                total + [UInt32](uninitializedCapacity: index % 2) { buffer, count in
                    if !buffer.isEmpty { buffer.initializeElement(at: 0, to: 1) }
                    count = buffer.isEmpty ? 0 : 1
                }.count
            }
        }
        #expect(counts.reduce(0, +) == 1_000)
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

    @Test("free heap memory is handed back through glibc's malloc_trim, found in the process's own symbols")
    func releaseFreeHeapMemory() {
        #if os(Linux) && canImport(Glibc)
        #expect(Platform.releaseFreeHeapMemory())
        #else
        #expect(!Platform.releaseFreeHeapMemory())
        #endif
    }

    @Test("small text files are read whole, across read chunks, up to a limit; a missing file is nil")
    func smallTextFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("simcore-small-\(getpid()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 10,000 bytes: three 4 KiB reads, the last one short.
        let text = String((0..<10_000).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(Platform.smallTextFile(atPath: path) == text)
        #expect(Platform.smallTextFile(atPath: path, limit: 4096) == String(text.prefix(4096)))
        #expect(Platform.smallTextFile(atPath: path, limit: 5000) == String(text.prefix(5000)))
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(Platform.smallTextFile(atPath: path) == "")
        #expect(Platform.smallTextFile(atPath: path + ".missing") == nil)
        // A /proc file reports size 0 but has text.
        #expect(Platform.smallTextFile(atPath: "/proc/self/cgroup").map { !$0.isEmpty } ?? true)
        #expect(Platform.onlineProcessorCount >= 1 && Platform.onlineProcessorCount <= ProcessInfo.processInfo.processorCount)
    }
}
