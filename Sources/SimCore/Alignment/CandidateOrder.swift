/// The order in which ``ReuseIndex/pairs(threads:)`` aligns its candidate pairs: neighbourhoods
/// of the candidate graph together, so that each worker's ``_TokenCache`` still holds a document
/// when its next pair comes.
///
/// Candidate pairs come sorted by first then second document, and the reprints of one story are
/// scattered over the corpus: in that order a document's tokens would be needed again long after
/// they were made. Instead the documents are numbered breadth first over the graph whose edges are
/// the candidate pairs (from each unvisited document, in input order), and the pairs are sorted by
/// the numbers of their first then second document: a document's partners are numbered near it,
/// so they are aligned in one stretch. The order only decides when a pair is aligned, never how:
/// the results are put back in candidate order.
enum _CandidateOrder {
    /// Positions into `candidates` in the order to align them.
    ///
    /// - Parameters:
    ///   - candidates: Pairs packed as `first << 32 | second`, `first < second`.
    ///   - documentCount: Documents in the corpus (every number below it).
    /// - Returns: A permutation of `candidates.indices`.
    /// - Complexity: O(documents + pairs log pairs).
    static func order(of candidates: [UInt64], documentCount: Int) -> [Int] {
        guard candidates.count > 1 else { return Array(candidates.indices) }
        // Adjacency lists of the undirected graph, compressed (CSR).
        var degree = [Int](repeating: 0, count: documentCount + 1)
        for pair in candidates {
            degree[Int(pair >> 32) + 1] += 1
            degree[Int(pair & 0xFFFF_FFFF) + 1] += 1
        }
        for document in 0..<documentCount { degree[document + 1] += degree[document] }
        var fill = degree
        var neighbours = [Int32](repeating: 0, count: candidates.count * 2)
        for pair in candidates {
            let first = Int(pair >> 32), second = Int(pair & 0xFFFF_FFFF)
            neighbours[fill[first]] = Int32(truncatingIfNeeded: second)
            fill[first] += 1
            neighbours[fill[second]] = Int32(truncatingIfNeeded: first)
            fill[second] += 1
        }
        // Breadth-first numbering from each unvisited document in input order.
        var number = [Int32](repeating: -1, count: documentCount)
        var queue: [Int32] = []
        queue.reserveCapacity(documentCount)
        var next: Int32 = 0
        for start in 0..<documentCount where number[start] < 0 && degree[start + 1] > degree[start] {
            number[start] = next
            next += 1
            queue.append(Int32(truncatingIfNeeded: start))
            var head = queue.count - 1
            while head < queue.count {
                let document = Int(queue[head])
                head += 1
                for edge in degree[document]..<degree[document + 1] where number[Int(neighbours[edge])] < 0 {
                    number[Int(neighbours[edge])] = next
                    next += 1
                    queue.append(neighbours[edge])
                }
            }
        }
        var keyed = candidates.indices.map { position -> (key: UInt64, position: Int) in
            let pair = candidates[position]
            let key = UInt64(UInt32(bitPattern: number[Int(pair >> 32)])) << 32
                | UInt64(UInt32(bitPattern: number[Int(pair & 0xFFFF_FFFF)]))
            return (key, position)
        }
        keyed.sort { $0.key < $1.key }
        return keyed.map(\.position)
    }
}
