@testable import SimCore

/// Seeded synthetic set pairs with an exact, known Jaccard similarity.
enum SyntheticPairs {
    /// Two sets over a union of `unionSize` random hashes sharing `round(jaccard · unionSize)`;
    /// the rest is split between them. Returns the sets and their exact Jaccard.
    static func pair(jaccard: Double, unionSize: Int, generator: inout SplitMix64) -> (ShingleSet, ShingleSet, Double) {
        let shared = Int((jaccard * Double(unionSize)).rounded())
        let onlyA = (unionSize - shared) / 2
        let onlyB = unionSize - shared - onlyA
        let common = (0..<shared).map { _ in generator.next() }
        let a = common + (0..<onlyA).map { _ in generator.next() }
        let b = common + (0..<onlyB).map { _ in generator.next() }
        let setA = ShingleSet(a)
        let setB = ShingleSet(b)
        return (setA, setB, setA.jaccard(with: setB))
    }

    /// Mean and (sample) standard deviation.
    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }
}

/// Random hash buffers for kernel tests.
func randomHashes(_ count: Int, seed: UInt64) -> [UInt64] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in generator.next() }
}
