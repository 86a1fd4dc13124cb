/// How much CPU this process may use: the CPUs of its affinity mask (`taskset -c 0` leaves one)
/// and its control group's CPU limit (`cpu.max` of cgroup v2, `cpu.cfs_quota_us` /
/// `cpu.cfs_period_us` of v1: a container given 1.5 CPUs). Both are read once per process.
///
/// ```swift
/// CPUAvailability.current.affinity        // [0, 1]
/// CPUAvailability.current.cgroupCPULimit  // nil (no limit), or 1.5
/// CPUAvailability.current.usableCores     // 2: the affinity count, capped by ⌈limit⌉
/// ```
package struct CPUAvailability: Sendable, Hashable {
    /// The CPUs the process may run on, or `nil` when unknown.
    package var affinity: [Int]?
    /// The control group's CPU limit in CPUs (quota / period), or `nil` for none.
    package var cgroupCPULimit: Double?
    /// The processors online, whatever the mask.
    package var onlineCores: Int

    /// Creates an availability from its parts.
    ///
    /// - Parameters:
    ///   - affinity: The CPUs of the affinity mask, or `nil`.
    ///   - cgroupCPULimit: The cgroup CPU limit, or `nil`.
    ///   - onlineCores: The processors online.
    package init(affinity: [Int]?, cgroupCPULimit: Double?, onlineCores: Int) {
        self.affinity = affinity
        self.cgroupCPULimit = cgroupCPULimit
        self.onlineCores = onlineCores
    }

    /// The availability of this process, read once.
    package static let current = CPUAvailability(
        affinity: Platform.cpuAffinity(), cgroupCPULimit: readCgroupCPULimit(),
        onlineCores: Platform.onlineProcessorCount)

    /// Cores worth running threads on: the affinity mask's count (else the online cores), capped
    /// by the control group's limit rounded up; at least 1.
    package var usableCores: Int {
        var cores = affinity.map(\.count) ?? onlineCores
        if let cgroupCPULimit, cgroupCPULimit > 0 { cores = Swift.min(cores, Int(cgroupCPULimit.rounded(.up))) }
        return Swift.max(1, cores)
    }

    /// The affinity as `taskset -c` writes it: `0-3,6`.
    package var affinityDescription: String {
        guard let affinity else { return "unknown" }
        return Self.ranges(affinity)
    }

    /// `[0, 1, 2, 3, 6]` → `0-3,6`.
    package static func ranges(_ cpus: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        let sorted = cpus.sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    /// The CPU limit of this process's control group, v2 first, then v1; `nil` for none.
    static func readCgroupCPULimit() -> Double? {
        guard let membership = Platform.smallTextFile(atPath: "/proc/self/cgroup") else { return nil }
        func read(_ path: String) -> String? { Platform.smallTextFile(atPath: path) }
        if let path = cgroupPath(membership, controller: nil) {
            // The tightest limit on the way up the v2 hierarchy.
            var limits: [Double] = []
            var directory = "/sys/fs/cgroup" + (path == "/" ? "" : path)
            while true {
                if let limit = read(directory + "/cpu.max").flatMap(parseCPUMax) { limits.append(limit) }
                guard directory != "/sys/fs/cgroup", let slash = directory.lastIndex(of: "/") else { break }
                directory = String(directory[..<slash])
            }
            if let tightest = limits.min() { return tightest }
        }
        if let path = cgroupPath(membership, controller: "cpu") {
            for root in ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"] {
                let directory = root + (path == "/" ? "" : path)
                if let quota = read(directory + "/cpu.cfs_quota_us"), let period = read(directory + "/cpu.cfs_period_us") {
                    return parseCFS(quota: quota, period: period)
                }
            }
        }
        return nil
    }

    /// The path of `controller`'s group in `/proc/self/cgroup` text (`nil`: the v2 line `0::`).
    package static func cgroupPath(_ text: String, controller: String?) -> String? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if let controller {
                if fields[1].split(separator: ",").contains(Substring(controller)) { return String(fields[2]) }
            } else if fields[0] == "0" && fields[1].isEmpty {
                return String(fields[2])
            }
        }
        return nil
    }

    /// `max 100000` → `nil`; `150000 100000` → 1.5.
    package static func parseCPUMax(_ text: String) -> Double? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 2, fields[0] != "max", let quota = Double(fields[0]), let period = Double(fields[1]), period > 0, quota > 0
        else { return nil }
        return quota / period
    }

    /// cgroup v1: quota −1 → `nil`; `150000` / `100000` → 1.5.
    package static func parseCFS(quota: String, period: String) -> Double? {
        func number(_ text: String) -> Double? {
            let fields = text.split(whereSeparator: \.isWhitespace)
            return fields.count == 1 ? Double(fields[0]) : nil
        }
        guard let quota = number(quota), let period = number(period), quota > 0, period > 0
        else { return nil }
        return quota / period
    }
}
