#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place SimCore talks to the C library directly: every call that swift-system and
/// Foundation do not cover, behind `#if canImport` so that the package builds on Linux (glibc or
/// musl) and macOS alike.
package enum Platform {
    /// Whether `descriptor` is a terminal (`isatty`).
    ///
    /// - Parameter descriptor: An open file descriptor, e.g. 2 for standard error.
    /// - Returns: `true` for a terminal; `false` for files, pipes and closed descriptors.
    package static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }

    /// The calling thread's CPU time in seconds (`CLOCK_THREAD_CPUTIME_ID`).
    package static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The process's peak resident set size in bytes from `getrusage` (kilobytes on Linux, bytes
    /// on macOS), or 0 when the call fails.
    package static func peakResidentBytesFromRusage() -> Int {
        var usage = rusage()
        #if os(Linux)
        let who = RUSAGE_SELF.rawValue
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        #if os(Linux)
        return Int(usage.ru_maxrss) * 1024
        #else
        return Int(usage.ru_maxrss)
        #endif
    }

    /// What is at `path` (`stat(2)`, following symbolic links): `nil` when nothing is (or it
    /// cannot be looked at), `true` for a directory, `false` for anything else.
    package static func isDirectory(atPath path: String) -> Bool? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT == S_IFDIR
    }

    /// The size in bytes of the file at `path` (`stat(2)`, following symbolic links), or `nil`
    /// when it cannot be looked at.
    package static func fileSize(atPath path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }

    /// The text of a small file such as `/proc/self/cgroup` (`open` and `read` until the end,
    /// at most `limit` bytes, invalid UTF-8 replaced), or `nil` when it cannot be opened or read.
    ///
    /// Cheaper at startup than Foundation's `String(contentsOfFile:)`, which `stat`s the file and
    /// goes through `Data` first.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - limit: The most bytes read; the rest of a longer file is ignored.
    package static func smallTextFile(atPath path: String, limit: Int = 1 << 16) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var failed = false
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            while bytes.count < limit {
                let got = read(descriptor, chunk.baseAddress, min(chunk.count, limit - bytes.count))
                if got > 0 {
                    bytes.append(contentsOf: chunk[..<got])
                } else if got == 0 {
                    break
                } else if currentErrno() != EINTR {
                    failed = true
                    break
                }
            }
        }
        guard !failed else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The processors online (`sysconf(_SC_NPROCESSORS_ONLN)`), whatever the affinity mask or
    /// control group; at least 1.
    package static var onlineProcessorCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// The calling thread's last error number (`errno`).
    package static var errno: Int32 { currentErrno() }

    /// This process's id.
    package static var processIdentifier: Int32 { getpid() }

    /// Renames `source` to `destination` (`rename(2)`); 0 on success, −1 with ``errno`` set.
    package static func rename(_ source: UnsafePointer<CChar>, _ destination: UnsafePointer<CChar>) -> Int32 {
        renameFile(source, destination)
    }

    /// Deletes a file (`unlink(2)`); 0 on success, −1 with ``errno`` set.
    package static func unlink(_ path: UnsafePointer<CChar>) -> Int32 {
        unlinkFile(path)
    }

    /// Flushes a file's data and metadata to disk (`fsync(2)`); 0 on success, −1 with ``errno``.
    package static func synchronize(_ descriptor: Int32) -> Int32 {
        fsync(descriptor)
    }

    /// Opens `/dev/null` on each of the standard descriptors 0, 1 and 2 that is closed, in the
    /// direction that makes its use fail: write-only for standard input, read-only for standard
    /// output and error (as gnulib's `stdopen` does).
    ///
    /// A process started with `>&-` would otherwise hand descriptor 1 to the first file it
    /// opens, and "standard output" would be written into that file. With this, writing to a
    /// closed standard output fails with `EBADF`, which a checked writer reports.
    package static func occupyClosedStandardDescriptors() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 {
            let opened = open("/dev/null", descriptor == 0 ? O_WRONLY : O_RDONLY)
            if opened >= 0 && opened != descriptor { _ = close(opened) }
        }
    }

    /// Whether `path` names something that exists and is not a regular file (a device such as
    /// `/dev/null`, a pipe, a directory), following symbolic links (`stat`).
    ///
    /// - Parameter path: A path.
    /// - Returns: `false` for a regular file and for a path that does not exist.
    package static func isNonRegularFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return status.st_mode & S_IFMT != S_IFREG
    }

    /// Whether `descriptor` is open (`fcntl(F_GETFD)` succeeds).
    ///
    /// - Parameter descriptor: Any descriptor number.
    /// - Returns: `true` when it refers to an open file.
    package static func isOpen(_ descriptor: Int32) -> Bool {
        fcntl(descriptor, F_GETFD) != -1
    }

    /// The offset of the first `byte` in `buffer` (`memchr`, vectorized by the C library), or
    /// `nil` when it does not occur.
    @inlinable
    package static func firstIndex(of byte: UInt8, in buffer: UnsafeRawBufferPointer) -> Int? {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return nil }
        guard let found = memchr(base, Int32(byte), buffer.count) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// Whether a read of `descriptor` would return at once: data, the end of the input or an
    /// error is pending (`poll(2)` with a zero timeout). Regular files are always ready.
    ///
    /// - Parameter descriptor: An open file descriptor.
    /// - Returns: `true` when a read would not block.
    package static func isReadable(_ descriptor: Int32) -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&request, 1, 0) == 1
    }

    /// The x86-64 huge page: 2 MiB.
    package static let hugePageBytes = 1 << 21

    /// Asks the kernel to back the whole 2 MiB pages inside `bytes` bytes at `memory` with
    /// transparent huge pages (`madvise(MADV_HUGEPAGE)` on Linux; with the kernel's default
    /// `madvise` setting nothing else asks for them), so that random reads of a large array (a
    /// compact posting layer) miss the TLB far less often. Call it before the memory is first
    /// touched. The partial pages at either end stay small, so no memory is added; where the
    /// call fails, or off Linux, nothing changes.
    ///
    /// - Parameters:
    ///   - memory: The start of an allocation (from `malloc`, which maps large ones on its own).
    ///   - bytes: Its size.
    package static func adviseHugePages(_ memory: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let start = (Int(bitPattern: memory) + hugePageBytes - 1) / hugePageBytes * hugePageBytes
        let end = (Int(bitPattern: memory) + bytes) / hugePageBytes * hugePageBytes
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// Ends the process with `status` (`exit(3)`: buffered C streams are flushed).
    package static func exit(_ status: Int32) -> Never {
        exitProcess(status)
    }

    /// Registers `handler` to run when the process ends normally (`atexit(3)`: `exit`, or a
    /// return from `main`), after any handler registered later; not when it is killed by a
    /// signal or aborts.
    ///
    /// - Parameter handler: A function that captures nothing (a C function pointer).
    package static func atExit(_ handler: @escaping @convention(c) () -> Void) {
        _ = atexit(handler)
    }

    /// The CPUs this process may run on (`sched_getaffinity`, as `taskset -c` sets it), in
    /// increasing order; `nil` where the call is unavailable (macOS) or fails.
    package static func cpuAffinity() -> [Int]? {
        #if os(Linux)
        // glibc declares sched_getaffinity only under _GNU_SOURCE, which Swift's importer does
        // not define: the function is looked up in the process's own symbols instead.
        typealias GetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
        guard let symbol = symbol(named: "sched_getaffinity", inLibrary: nil) else { return nil }
        let getAffinity = unsafeBitCast(symbol, to: GetAffinity.self)
        // 1024 CPUs, the size of glibc's cpu_set_t.
        var mask = [UInt8](repeating: 0, count: 128)
        guard mask.withUnsafeMutableBytes({ getAffinity(0, $0.count, $0.baseAddress!) }) == 0 else { return nil }
        var cpus: [Int] = []
        for (index, byte) in mask.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 { cpus.append(index * 8 + bit) }
        }
        return cpus
        #else
        return nil
        #endif
    }

    /// Hands the free memory of the C library's heaps back to the kernel (glibc's
    /// `malloc_trim(0)`, which also releases the whole free pages inside each arena), so that the
    /// resident size drops to what is in use.
    ///
    /// Memory a long run freed stays resident in glibc's arenas, where allocations made later on
    /// another thread cannot reuse it: `simdedup dedupe` calls this once its engine has filed
    /// the last batch, before it builds the verdicts. On 1,080,000 paragraphs the resident size
    /// fell from 356 to 259 MB in 8 ms there; the verdicts' tables (about 25 MB) used to come on
    /// top of the 356.
    ///
    /// - Returns: Whether the call was made: `false` where the C library has no `malloc_trim`
    ///   (musl, macOS), where nothing happens.
    @discardableResult
    package static func releaseFreeHeapMemory() -> Bool {
        #if os(Linux)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = symbol(named: "malloc_trim", inLibrary: nil) else { return false }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        return true
        #else
        return false
        #endif
    }

    /// The address of the C function `name` (`dlopen` + `dlsym`), from the shared library
    /// `library` (e.g. `libxxhash.so.0`) or, for `nil`, from the process and the libraries it
    /// already loaded; `nil` when the library or the symbol is missing. Libraries stay loaded.
    ///
    /// - Parameters:
    ///   - name: The symbol.
    ///   - library: A shared library's file name, or `nil`.
    /// - Returns: The function's address, to `unsafeBitCast` to its `@convention(c)` type.
    package static func symbol(named name: String, inLibrary library: String?) -> UnsafeMutableRawPointer? {
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else { return nil }
        return dlsym(handle, name)
    }

    /// The 1-, 5- and 15-minute load averages (`getloadavg`), or `nil` when unavailable.
    package static func loadAverages() -> [Double]? {
        var values = [Double](repeating: 0, count: 3)
        guard getloadavg(&values, 3) == 3 else { return nil }
        return values
    }

    /// `uname -s -r -m`: the kernel's name, release and machine, e.g. `Linux 6.1.0 x86_64`.
    package static func kernelDescription() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        func field(_ value: Any) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(field(name.sysname)) \(field(name.release)) \(field(name.machine))"
    }
}

// Free functions, so that the C names are not shadowed by ``Platform``'s members.
private func currentErrno() -> Int32 { errno }
private func renameFile(_ source: UnsafePointer<CChar>, _ destination: UnsafePointer<CChar>) -> Int32 {
    rename(source, destination)
}
private func unlinkFile(_ path: UnsafePointer<CChar>) -> Int32 { unlink(path) }
private func exitProcess(_ status: Int32) -> Never { exit(status) }
