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
