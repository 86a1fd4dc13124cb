/// What a result measured: a corpus name, its size, and for generated corpora the seed.
public struct CorpusSummary: Sendable, Hashable, Codable {
    /// A short name: the input paths, or `generated` for `--generate`.
    public var name: String
    /// How many documents.
    public var documents: Int
    /// Their total UTF-8 size in bytes.
    public var bytes: Int
    /// The generator seed, for generated corpora.
    public var seed: UInt64?
    /// Whether ground truth was available for accuracy metrics.
    public var hasGroundTruth: Bool

    /// Creates a corpus summary.
    ///
    /// - Parameters:
    ///   - name: Short name.
    ///   - documents: Document count.
    ///   - bytes: Total UTF-8 bytes.
    ///   - seed: Generator seed, if generated.
    ///   - hasGroundTruth: Whether planted pairs were known.
    public init(name: String, documents: Int, bytes: Int, seed: UInt64? = nil, hasGroundTruth: Bool = false) {
        self.name = name
        self.documents = documents
        self.bytes = bytes
        self.seed = seed
        self.hasGroundTruth = hasGroundTruth
    }
}
