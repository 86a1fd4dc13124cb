/// This build's version of SimCore, its tools and its file formats' writer.
///
/// ```swift
/// SimCoreVersion.string   // "0.2.0"
/// ```
public enum SimCoreVersion {
    /// The version, `MAJOR.MINOR.PATCH`.
    public static let string = "0.2.0"
}
