import SimCoreInternals

/// The dense matrix of one measure between every two documents of a small corpus.
///
/// For display and for checking small corpora by eye; memory is N², so use
/// ``ExactAllPairs`` beyond a few thousand documents.
public struct SimilarityMatrix: Sendable, Hashable {
    /// The measure in every cell.
    public let measure: SimilarityMeasure
    /// `values[i][j]` is the measure of document i against document j (for containment: how
    /// much of i is inside j). The diagonal is 1 for non-empty documents.
    public let values: [[Double]]

    /// Computes the matrix on all cores.
    ///
    /// - Parameters:
    ///   - sets: The documents' shingle sets.
    ///   - measure: The measure in every cell.
    ///   - threads: Worker threads (default: all cores).
    /// - Complexity: O(N² · average set size).
    public init(sets: [ShingleSet], measure: SimilarityMeasure, threads: Int = Parallelism.defaultThreadCount) {
        self.measure = measure
        let rows = concurrentChunks(count: sets.count, threads: threads) { range in
            range.map { i in sets.map { measure.value(sets[i], $0) } }
        }
        values = rows.flatMap { $0 }
    }
}
