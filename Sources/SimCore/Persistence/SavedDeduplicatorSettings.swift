#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The settings a saved ``Deduplicator`` was made with, read back from its file: the scheme, k,
/// the seed and the ``DeduplicationOptions``, so that a tool can resume a saved engine without
/// being told how it was configured.
///
/// ``Deduplicator/save(to:)`` writes the settings as one parameter line
/// (`scheme=oph k=128 seed=0 measure=containment threshold=0.8 …`). This type is the one reader
/// of that line: it parses every field, then renders the line again from what it parsed and
/// refuses the file unless the two are identical, so a field it does not know (a newer format)
/// is an error, never silently dropped. ``DeduplicationOptions/threads`` is not saved; it is the
/// default here.
///
/// ```swift
/// let saved = try SavedDeduplicatorSettings(contentsOf: "seen.state")
/// saved.scheme            // .oph
/// saved.options.threshold // 0.8
/// saved.documentCount     // documents the engine holds
/// ```
public struct SavedDeduplicatorSettings: Sendable, Hashable {
    /// The signature scheme.
    public var scheme: SignatureSchemeKind
    /// The signature length k.
    public var signatureLength: Int
    /// The scheme's seed.
    public var seed: UInt64
    /// The options (``DeduplicationOptions/threads`` is the default: it is not saved).
    public var options: DeduplicationOptions
    /// The number of documents the saved engine holds.
    public var documentCount: Int

    /// Reads the settings of the deduplicator saved at `path`.
    ///
    /// - Parameter path: A file written by ``Deduplicator/save(to:)``.
    /// - Throws: ``IndexFileError``: unreadable, wrong magic, truncated, checksum mismatch,
    ///   unsupported version, or ``IndexFileError/parameterMismatch(_:)`` when the parameter line
    ///   cannot be read back exactly.
    /// - Complexity: O(file size) (the checksum covers the whole file).
    public init(contentsOf path: String) throws {
        try self.init(source: .path(path))
    }

    /// Reads the settings of a saved deduplicator from a file or from its bytes in memory, as
    /// ``init(contentsOf:)`` does.
    ///
    /// - Parameters:
    ///   - source: The file, or its bytes.
    ///   - verifyingChecksum: Whether the checksum is checked (every byte of the file read);
    ///     a tool that loads the file next, which checks it then, passes `false` and reads the
    ///     first pages alone (a state of ten million documents is 2 GB).
    /// - Throws: ``IndexFileError``, as ``init(contentsOf:)``.
    package init(source: IndexFileSource, verifyingChecksum: Bool = true) throws {
        let (line, count, version): (String, Int, UInt32) = try _IndexFile.read(
            from: source, magic: Deduplicator<OnePermutationMinHash>.fileMagic,
            versions: 1...Deduplicator<OnePermutationMinHash>.fileFormatVersion, verifyingChecksum: verifyingChecksum
        ) { payload, version in
            var reader = _BinaryReader(bytes: payload)
            let line = String(decoding: try reader.readArray(UInt8.self, limit: 1 << 16), as: UTF8.self)
            let count = try reader.readInt(in: 0...(Int(Int32.max) - 1), "document count")
            return (line, count, version)
        }
        self = try Self(parameterLine: line, documentCount: count, formatVersion: version)
    }

    /// Parses a parameter line as ``Deduplicator/save(to:)`` writes it.
    ///
    /// - Parameters:
    ///   - line: The parameter line.
    ///   - documentCount: The document count to record.
    ///   - formatVersion: The file's format version (version 1 has no `verification-bits=`).
    /// - Throws: ``IndexFileError/parameterMismatch(_:)`` naming what could not be read.
    init(parameterLine line: String, documentCount: Int, formatVersion: UInt32) throws {
        let fields = Self.fields(of: line)
        func value(_ key: String) throws -> String {
            guard let value = fields[key] else { throw Self.unreadable(line, "no \(key)=") }
            return value
        }
        func number<T: LosslessStringConvertible>(_ key: String, _: T.Type) throws -> T {
            guard let parsed = T(try value(key)) else { throw Self.unreadable(line, "\(key)=\(fields[key] ?? "")") }
            return parsed
        }
        guard let scheme = SignatureSchemeKind(rawValue: try value("scheme")) else {
            throw Self.unreadable(line, "unknown scheme \(fields["scheme"] ?? "")")
        }
        var options = DeduplicationOptions()
        switch try value("measure") {
        // Format version 1 names the overlap coefficient "containment".
        case "containment", "overlap": options.measure = .overlap
        case "jaccard": options.measure = .jaccard
        case let other: throw Self.unreadable(line, "unknown measure \(other)")
        }
        options.threshold = try number("threshold", Double.self)
        guard let verification = DeduplicationOptions.Verification(rawValue: try value("verification")) else {
            throw Self.unreadable(line, "unknown verification \(fields["verification"] ?? "")")
        }
        options.verification = verification
        let banding = try value("banding")
        if banding != "auto" {
            let parts = banding.split(separator: " ")
            guard parts.count == 2, parts[0].hasPrefix("b="), parts[1].hasPrefix("r="),
                  let bands = Int(parts[0].dropFirst(2)), let rows = Int(parts[1].dropFirst(2)), bands >= 1, rows >= 1
            else { throw Self.unreadable(line, "banding=\(banding)") }
            options.banding = BandingParameters(bandCount: bands, rowsPerBand: rows)
        }
        options.falsePositiveWeight = try number("fp", Double.self)
        options.falseNegativeWeight = try number("fn", Double.self)
        options.maximumRowsPerBand = try number("rmax", Int.self)
        if formatVersion >= 2 {
            options.verificationBits = try number("verification-bits", Int.self)
            guard DeduplicationOptions.supportedVerificationBits.contains(options.verificationBits) else {
                throw Self.unreadable(line, "verification-bits=\(options.verificationBits)")
            }
        }
        do {
            options.shingling = try JSONDecoder().decode(ShinglingOptions.self, from: Data(try value("shingling").utf8))
        } catch let error as IndexFileError {
            throw error
        } catch {
            throw Self.unreadable(line, "shingling=\(fields["shingling"] ?? "")")
        }
        self.scheme = scheme
        self.signatureLength = try number("k", Int.self)
        self.seed = try number("seed", UInt64.self)
        self.options = options
        self.documentCount = documentCount
        guard (1...65_536).contains(signatureLength), options.threshold > 0, options.threshold <= 1,
              options.falsePositiveWeight >= 0, options.falseNegativeWeight >= 0, options.maximumRowsPerBand >= 1,
              (options.banding?.signatureValuesUsed ?? 0) <= signatureLength
        else { throw Self.unreadable(line, "a value out of range") }
        let rendered = parameterLine(version: formatVersion)
        guard rendered == line else {
            throw IndexFileError.parameterMismatch("this build cannot read the parameters \(line) (it reads them as \(rendered))")
        }
    }

    /// The parameter line a deduplicator with these settings writes in format `version`.
    func parameterLine(version: UInt32) -> String {
        func line<S: SignatureScheme>(_ scheme: S) -> String {
            Deduplicator(scheme: scheme, options: options).fileParameters(version: version)
        }
        return line(makeScheme())
    }

    /// The scheme these settings name.
    ///
    /// - Returns: The scheme, as an existential that callers open with a `some SignatureScheme`
    ///   parameter.
    public func makeScheme() -> any SignatureScheme {
        scheme.make(signatureLength: signatureLength, seed: seed)
    }

    /// The line's `key=value` fields. A value runs to the next known key, so it may hold
    /// spaces (`banding=b=14 r=9`).
    static func fields(of line: String) -> [String: String] {
        let keys: Set<Substring> = [
            "scheme", "k", "seed", "measure", "threshold", "verification", "banding", "fp", "fn", "rmax", "shingling",
            "verification-bits",
        ]
        var fields: [String: String] = [:]
        var current: String?
        for token in line.split(separator: " ", omittingEmptySubsequences: false) {
            if let equals = token.firstIndex(of: "="), keys.contains(token[..<equals]) {
                current = String(token[..<equals])
                fields[current!] = String(token[token.index(after: equals)...])
            } else if let key = current {
                fields[key, default: ""] += " " + token
            }
        }
        return fields
    }

    private static func unreadable(_ line: String, _ detail: String) -> IndexFileError {
        .parameterMismatch("cannot read the parameter line (\(detail)): \(line)")
    }
}
