import Foundation
import SimCoreInternals

/// Where a result was measured: CPU, cores, SIMD features, memory, kernel, Swift, build.
///
/// ```swift
/// let machine = MachineFingerprint.current()
/// machine.cpuModel             // "AMD EPYC 9R14"
/// machine.simdFeatures         // ["sse2", "sse4_2", "avx", "avx2", "avx512f", ...]
/// machine.buildConfiguration   // "release"
/// ```
public struct MachineFingerprint: Sendable, Hashable, Codable {
    /// The CPU model name (`model name` in /proc/cpuinfo), or `unknown`.
    public var cpuModel: String
    /// Logical cores online: the machine's. (The process's share, after CPU affinity and cgroup
    /// limits, is ``RunEnvironment/usableCores``.)
    public var logicalCores: Int
    /// SIMD and bit-manipulation features the CPU reports, in a fixed order.
    public var simdFeatures: [String]
    /// Physical memory in bytes.
    public var memoryBytes: Int
    /// The kernel: `uname -s -r -m`.
    public var kernel: String
    /// The operating system (`PRETTY_NAME` of /etc/os-release), or `unknown`.
    public var operatingSystem: String
    /// The Swift compiler version the benchmark was built with (major.minor, from `#if compiler`).
    public var swiftVersion: String
    /// `debug` or `release`: results of a debug build are not representative.
    public var buildConfiguration: String

    /// Creates a fingerprint from its fields (for tests and tools that merge results).
    ///
    /// - Parameters: One per property.
    public init(cpuModel: String, logicalCores: Int, simdFeatures: [String], memoryBytes: Int, kernel: String,
                operatingSystem: String, swiftVersion: String, buildConfiguration: String) {
        self.cpuModel = cpuModel
        self.logicalCores = logicalCores
        self.simdFeatures = simdFeatures
        self.memoryBytes = memoryBytes
        self.kernel = kernel
        self.operatingSystem = operatingSystem
        self.swiftVersion = swiftVersion
        self.buildConfiguration = buildConfiguration
    }

    /// The features recorded when the CPU reports them, in this order.
    public static let knownSIMDFeatures = [
        "sse2", "ssse3", "sse4_1", "sse4_2", "popcnt", "avx", "avx2", "fma", "bmi1", "bmi2",
        "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_vbmi", "avx512_vnni",
        "sha_ni", "vaes", "vpclmulqdq", "asimd", "sve", "sve2",
    ]

    /// The fingerprint of the machine running this process.
    ///
    /// - Returns: Values read from /proc, `uname` and compile-time conditions.
    public static func current() -> MachineFingerprint {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let kernel = Platform.kernelDescription()
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        return MachineFingerprint(
            cpuModel: parseCPUModel(cpuinfo) ?? "unknown",
            logicalCores: ProcessInfo.processInfo.activeProcessorCount,
            simdFeatures: parseSIMDFeatures(cpuinfo),
            memoryBytes: Int(clamping: ProcessInfo.processInfo.physicalMemory),
            kernel: kernel,
            operatingSystem: parseOSRelease(release) ?? "unknown",
            swiftVersion: compilerVersion,
            buildConfiguration: configuration)
    }

    /// The compiler version this file was built with, to the minor version.
    public static var compilerVersion: String {
        #if compiler(>=6.4)
        "6.4 or later"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "older than 6.1"
        #endif
    }

    /// The first `model name` (x86) or `Model`/`CPU part` (Arm) in /proc/cpuinfo text.
    ///
    /// - Parameter cpuinfo: The file's text.
    /// - Returns: The model, or `nil` when absent.
    public static func parseCPUModel(_ cpuinfo: String) -> String? {
        for key in ["model name", "Model", "Hardware", "CPU part"] {
            for line in cpuinfo.split(separator: "\n") where line.hasPrefix(key) {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// The known SIMD features listed on the first `flags` (x86) or `Features` (Arm) line.
    ///
    /// - Parameter cpuinfo: The file's text.
    /// - Returns: Features in ``knownSIMDFeatures`` order.
    public static func parseSIMDFeatures(_ cpuinfo: String) -> [String] {
        guard let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") || $0.hasPrefix("Features") }),
              let list = line.split(separator: ":", maxSplits: 1).last else { return [] }
        let flags = Set(list.split(separator: " ").map(String.init))
        return knownSIMDFeatures.filter(flags.contains)
    }

    /// `PRETTY_NAME` from /etc/os-release text.
    ///
    /// - Parameter text: The file's text.
    /// - Returns: The unquoted name, or `nil`.
    public static func parseOSRelease(_ text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
