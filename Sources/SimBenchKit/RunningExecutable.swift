import Foundation

/// Where the running executable lies: for finding the checkout it was built in and the tools
/// built beside it.
public enum RunningExecutable {
    /// Its path, from `/proc/self/exe`; `nil` where there is none (macOS).
    public static var path: String? { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") }

    /// The path of `name` in the executable's directory (found from ``path``, else from the
    /// first command-line argument), e.g. the `simdedup` beside `simbench`.
    public static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: path ?? CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
