import Foundation

/// One `simbench` result file: the machine, the corpus, and one record per measured workload
/// variant and thread count. Its JSON form is documented by `Docs/simbench-result.schema.json`.
///
/// Every subcommand that measures something (`bench`, and later `sign`, `dedupe`) writes this
/// type, so `compare` and `report` read them all.
///
/// ```swift
/// var result = BenchResult(machine: .current(), corpus: CorpusSummary(name: "wire-stories", documents: 5, bytes: 31_000))
/// result.records.append(record)
/// try result.write(to: URL(fileURLWithPath: "result.json"))
/// ```
public struct BenchResult: Sendable, Hashable, Codable {
    /// The version of this schema; readers reject versions they do not know.
    public static let currentSchemaVersion = 1

    /// The schema version of this result.
    public var schemaVersion: Int
    /// The tool that wrote it (`simbench`).
    public var tool: String
    /// When the run started, ISO 8601 in UTC.
    public var createdAt: String
    /// A free label given with `--label` (default: the CPU model), used in comparisons and charts.
    public var label: String
    /// The machine it ran on.
    public var machine: MachineFingerprint
    /// The corpus it measured.
    public var corpus: CorpusSummary
    /// One record per workload, variant, implementation and thread count.
    public var records: [WorkloadRecord]
    /// Measured curves with their theoretical counterpart (the LSH S-curve), if any.
    public var curves: [CurveRecord]

    /// Creates an empty result for a run starting now.
    ///
    /// - Parameters:
    ///   - machine: The machine fingerprint.
    ///   - corpus: What was measured.
    ///   - label: A label for comparisons (default: the CPU model).
    ///   - createdAt: The start time (default: now).
    public init(machine: MachineFingerprint, corpus: CorpusSummary, label: String? = nil, createdAt: Date = Date()) {
        self.schemaVersion = Self.currentSchemaVersion
        self.tool = "simbench"
        self.createdAt = ISO8601DateFormatter().string(from: createdAt)
        self.label = label ?? machine.cpuModel
        self.machine = machine
        self.corpus = corpus
        self.records = []
        self.curves = []
    }

    /// The result as pretty-printed JSON with sorted keys (stable diffs).
    ///
    /// - Returns: UTF-8 JSON bytes.
    /// - Throws: `EncodingError` when a metric is not finite.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Writes the JSON form to `url`.
    ///
    /// - Parameter url: The file to (over)write.
    /// - Throws: Encoding or file-system errors.
    public func write(to url: URL) throws {
        try jsonData().write(to: url)
    }

    /// Reads a result file, rejecting unknown schema versions.
    ///
    /// - Parameter url: A file written by ``write(to:)``.
    /// - Returns: The decoded result.
    /// - Throws: ``BenchResultError`` for an unknown version; decoding or file errors otherwise.
    public static func read(from url: URL) throws -> BenchResult {
        try decode(Data(contentsOf: url), source: url.path)
    }

    /// Decodes a result from JSON bytes, rejecting unknown schema versions.
    ///
    /// - Parameters:
    ///   - data: JSON bytes.
    ///   - source: Where they came from, for error messages.
    /// - Returns: The decoded result.
    /// - Throws: ``BenchResultError`` or `DecodingError`.
    public static func decode(_ data: Data, source: String = "input") throws -> BenchResult {
        struct Version: Decodable { var schemaVersion: Int }
        let version = try JSONDecoder().decode(Version.self, from: data).schemaVersion
        guard version == currentSchemaVersion else {
            throw BenchResultError.unsupportedSchemaVersion(version, source: source)
        }
        return try JSONDecoder().decode(BenchResult.self, from: data)
    }
}

/// Why a result file cannot be used.
public enum BenchResultError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's `schemaVersion` is not one this build reads.
    case unsupportedSchemaVersion(Int, source: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .unsupportedSchemaVersion(version, source):
            "\(source): schemaVersion \(version) is not supported (this simbench reads \(BenchResult.currentSchemaVersion))"
        }
    }
}
