import Testing
import SimCoreInternals

@Suite("Paged columns")
struct PagedColumnTests {
    @Test("appends, reads and writes agree with an array across page boundaries",
          arguments: [0, 1, 65_535, 65_536, 65_537, 200_001] as [Int])
    func agreesWithArray(count: Int) {
        var column = PagedColumn<UInt32>()
        var array: [UInt32] = []
        for index in 0..<count {
            let value = UInt32(truncatingIfNeeded: index &* 2_654_435_761)
            column.append(value)
            array.append(value)
        }
        // Writes at the edges of each page and in between.
        for index in stride(from: 0, to: count, by: 4_093) + (count > 0 ? [count - 1] : []) {
            column[index] &+= 17
            array[index] &+= 17
        }
        #expect(column.count == count)
        #expect(Array(column) == array)
        #expect(column.elementsEqual(array))
        // Whole pages after the first, the first grown as an array grows.
        let pages = (count + 65_535) / 65_536
        #expect(column.byteCount >= count * 4 && column.byteCount <= Swift.max(pages, 1) * 65_536 * 4 + 64)
    }

    @Test("repeating: the count asked for, page by page; appending after it")
    func repeating() {
        for count in [0, 3, 65_536, 65_540] {
            var column = PagedColumn<UInt8>(repeating: 9, count: count)
            #expect(column.count == count && column.allSatisfy { $0 == 9 })
            column.append(1)
            #expect(column.count == count + 1 && column[count] == 1 && (count == 0 || column[count - 1] == 9))
        }
    }

    @Test("copies share pages until one writes; equality and hashing by elements")
    func valueSemantics() {
        var first = PagedColumn<Int32>()
        for value in 0..<70_000 { first.append(Int32(value)) }
        var second = first
        second[69_999] = -1
        second[0] = -2
        #expect(first[69_999] == 69_999 && first[0] == 0)
        #expect(second[69_999] == -1 && second[0] == -2)
        #expect(first != second)
        second[69_999] = 69_999
        second[0] = 0
        #expect(first == second && first.hashValue == second.hashValue)
        var shorter = first
        shorter = PagedColumn()
        for value in 0..<69_999 { shorter.append(Int32(value)) }
        #expect(shorter != first)
    }
}
