import Foundation
import SimCoreIO

/// One `simbench` result file: the machine, the run's environment (version, commit, CPUs
/// allowed, load), the corpus, and one record per measured workload variant and thread count.
/// Its JSON form is documented by `Docs/simbench-result.schema.json`.
///
/// Every subcommand that measures something (`run`, `sign`, `dedupe`, `bench`, `suite`) writes
/// this type, so `compare` and `report` read them all.
///
/// ```swift
/// var result = BenchResult(machine: .current(), corpus: CorpusSummary(name: "wire-stories", documents: 5, bytes: 31_000))
/// result.records.append(record)
/// try result.save(to: "result.json")
/// ```
public struct BenchResult: Sendable, Hashable, Codable {
    /// The version of this schema; readers reject versions they do not know. Version 2 added
    /// ``environment``.
    public static let currentSchemaVersion = 2
    /// The versions this build reads (version 1 files have no ``environment``).
    public static let readableSchemaVersions = 1...currentSchemaVersion

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
    /// The run's conditions (`nil` only in version-1 files).
    public var environment: RunEnvironment?
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
    ///   - environment: The run's conditions (default: ``RunEnvironment/start(commandLine:)`` now).
    ///   - createdAt: The start time (default: now).
    public init(
        machine: MachineFingerprint, corpus: CorpusSummary, label: String? = nil, environment: RunEnvironment = .start(),
        createdAt: Date = Date()
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.tool = "simbench"
        self.createdAt = ISO8601DateFormatter().string(from: createdAt)
        self.label = label ?? machine.cpuModel
        self.machine = machine
        self.environment = environment
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

    /// Writes the JSON form to `path` atomically (a complete file or none).
    ///
    /// - Parameter path: The file to create or replace.
    /// - Throws: ``OutputError`` naming the path and the reason.
    public func save(to path: String) throws(OutputError) {
        try write(to: OutputSink.file(atomicallyAt: path))
    }

    /// Writes the JSON form to `sink` and closes it: a file opened before a long run, so that an
    /// unwritable path fails at once rather than after the run.
    ///
    /// - Parameter sink: Usually ``OutputSink/file(atomicallyAt:)``.
    /// - Throws: ``OutputError`` naming the sink and the reason; an atomic file sink then leaves
    ///   the final path as it was.
    public func write(to sink: OutputSink) throws(OutputError) {
        let data: Data
        do {
            data = try jsonData()
        } catch {
            throw OutputError(destination: "the result", reason: "\(error)")
        }
        try sink.write(bytes: data)
        try sink.close()
    }

    /// Reads a result file, rejecting unknown schema versions.
    ///
    /// - Parameter path: A file written by ``save(to:)``.
    /// - Returns: The decoded result.
    /// - Throws: ``BenchResultError``: unreadable, not a result, or an unknown version.
    public static func load(from path: String) throws(BenchResultError) -> BenchResult {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            return try decode(data, source: path)
        } catch let error as BenchResultError {
            throw error
        } catch let error as DecodingError {
            throw .malformed(path: path, reason: error.readableDescription)
        } catch {
            throw .malformed(path: path, reason: "not JSON")
        }
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
        guard readableSchemaVersions.contains(version) else {
            throw BenchResultError.unsupportedSchemaVersion(version, source: source)
        }
        return try JSONDecoder().decode(BenchResult.self, from: data)
    }
}

/// Why a result file cannot be used.
public enum BenchResultError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's `schemaVersion` is not one this build reads.
    case unsupportedSchemaVersion(Int, source: String)
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not a simbench result (not JSON, or fields missing).
    case malformed(path: String, reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read: \(reason)"
        case let .malformed(path, reason): "\(path): not a simbench result file: \(reason)"
        case let .unsupportedSchemaVersion(version, source):
            "\(source): schemaVersion \(version) is not supported (this simbench reads \(BenchResult.readableSchemaVersions.lowerBound) to \(BenchResult.readableSchemaVersions.upperBound))"
        }
    }
}
