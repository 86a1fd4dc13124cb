/// Every filed document's signature, in fixed-size pages of rows: appending copies a batch's
/// rows in once and never moves earlier rows (no reallocation copies, no doubling of peak memory
/// as the corpus grows), and row `i` is found in O(1).
struct _SignatureStore: Sendable {
    /// Values per signature (k).
    let signatureLength: Int
    /// Rows per page.
    let rowsPerPage: Int
    private var pages: [[UInt64]] = []
    /// The number of rows.
    private(set) var count = 0

    /// An empty store of k-value rows; pages hold about 1 MiB.
    init(signatureLength: Int) {
        self.signatureLength = signatureLength
        rowsPerPage = Swift.max(64, (1 << 17) / Swift.max(1, signatureLength))
    }

    /// Bytes held by the rows (allocated pages).
    var byteCount: Int { pages.count * rowsPerPage * signatureLength * 8 }

    /// Appends every row of `rows` (`n × k` values, row-major).
    mutating func append(rows: UnsafeBufferPointer<UInt64>) {
        let k = signatureLength
        precondition(rows.count % k == 0, "whole rows only")
        var offset = 0
        while offset < rows.count {
            if count == pages.count * rowsPerPage {
                pages.append([UInt64](repeating: 0, count: rowsPerPage * k))
            }
            let slot = count % rowsPerPage
            let take = Swift.min(rowsPerPage - slot, (rows.count - offset) / k)
            pages[pages.count - 1].withUnsafeMutableBufferPointer { page in
                // SAFETY: slot + take ≤ rowsPerPage rows fit in the page; the source holds them.
                (page.baseAddress! + slot * k).update(from: rows.baseAddress! + offset, count: take * k)
            }
            count += take
            offset += take * k
        }
    }

    /// Calls `body` with row `row`.
    @inline(__always)
    func withRow<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        let k = signatureLength
        return pages[row / rowsPerPage].withUnsafeBufferPointer { page in
            body(UnsafeBufferPointer(start: page.baseAddress! + (row % rowsPerPage) * k, count: k))
        }
    }

    /// Every row, row-major (for saving).
    var values: [UInt64] {
        var values: [UInt64] = []
        values.reserveCapacity(count * signatureLength)
        for (index, page) in pages.enumerated() {
            let rows = Swift.min(rowsPerPage, count - index * rowsPerPage)
            values.append(contentsOf: page[0..<rows * signatureLength])
        }
        return values
    }
}
