/// Why an index file was refused.
///
/// Loading never trusts a file: magic, version, length, checksum, parameters and every
/// internal offset are checked before anything is used.
public enum IndexFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be read or written.
    case io(path: String, reason: String)
    /// The file does not start with the expected magic bytes: not an index of this kind.
    case notAnIndexFile(path: String)
    /// The file's format version is not one this build reads.
    case unsupportedVersion(found: UInt32, supported: UInt32)
    /// The file is shorter than its header says (cut off while copying or writing).
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// The checksum does not match the contents (bit rot, a partial overwrite, tampering).
    case checksumMismatch
    /// The file is intact but was built with other parameters than the caller expects.
    case parameterMismatch(String)
    /// The contents are inconsistent although the checksum matched.
    case corrupt(String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .io(let path, let reason): "cannot access index file \(path): \(reason)"
        case .notAnIndexFile(let path): "\(path) is not a SimCore index file (wrong magic bytes)"
        case .unsupportedVersion(let found, let supported) where found > supported:
            "index file format version \(found) was written by a newer SimCore; this build reads version \(supported): upgrade to load it"
        case .unsupportedVersion(let found, let supported):
            "index file format version \(found) is not supported (this build reads version \(supported))"
        case .truncated(let expected, let actual): "index file is truncated: \(actual) bytes, expected \(expected)"
        case .checksumMismatch: "index file is corrupt: checksum mismatch"
        case .parameterMismatch(let detail): "index file was built with other parameters: \(detail)"
        case .corrupt(let detail): "index file is corrupt: \(detail)"
        }
    }
}
