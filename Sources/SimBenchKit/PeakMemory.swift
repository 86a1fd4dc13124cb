import Foundation
import SimCoreInternals

/// The process's peak resident memory (high-water mark).
///
/// ```swift
/// PeakMemory.residentBytes()   // e.g. 48_332_800
/// ```
public enum PeakMemory {
    /// The peak resident set size in bytes: `VmHWM` from `/proc/self/status` on Linux, else
    /// `getrusage`'s `ru_maxrss`.
    ///
    /// - Returns: Bytes, or 0 when neither source is available.
    public static func residentBytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let kilobytes = statusKilobytes(status, field: "VmHWM") {
            return kilobytes * 1024
        }
        return Platform.peakResidentBytesFromRusage()
    }

    /// The current resident set size in bytes (`VmRSS`), or 0 where `/proc` is not available.
    public static func currentResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let kilobytes = statusKilobytes(status, field: "VmRSS") else { return 0 }
        return kilobytes * 1024
    }

    /// Resets the peak to the current resident size (Linux: writes 5 to `/proc/self/clear_refs`),
    /// so that ``residentBytes()`` measures one phase; does nothing where that is not possible.
    public static func reset() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// The value in kB of a `Name:   123 kB` line of `/proc/.../status` or `/proc/meminfo`.
    ///
    /// - Parameters:
    ///   - status: The file's text.
    ///   - field: The field name without the colon.
    /// - Returns: The number, or `nil` when the field is missing.
    public static func statusKilobytes(_ status: String, field: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
            return Int(digits)
        }
        return nil
    }
}
