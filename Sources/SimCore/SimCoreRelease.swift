/// This build of SimCore: the version its tools print and its result files record.
///
/// ```swift
/// SimCoreRelease.version   // "0.2.0"
/// ```
public enum SimCoreRelease {
    /// The version, `MAJOR.MINOR.PATCH`.
    public static let version = "0.2.0"
}
