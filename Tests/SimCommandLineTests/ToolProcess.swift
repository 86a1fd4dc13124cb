import Foundation
import SimCoreFixtures
import Testing

/// Runs the built `simdedup` and `simbench` executables as processes, through `bash`, for what
/// only a real process shows: a full device, a closed standard output, a reader that went away,
/// a writer killed mid-write. The executables are the ones `swift build` put beside this test
/// bundle.
enum ToolProcess {
    /// Where the built executables are: the directory of the running test bundle.
    static let productsDirectory: String = {
        let candidates = [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL] +
            [Bundle.main.executableURL?.deletingLastPathComponent()].compactMap { $0 }
        for directory in candidates where FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("simdedup").path) {
            return directory.path
        }
        return candidates[0].path
    }()

    /// The path of the built tool `name`.
    static func path(_ name: String) -> String { productsDirectory + "/" + name }

    /// What a script printed and how it ended.
    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Whether both tools were found beside the test bundle (`swift test` builds them).
    static var toolsAreBuilt: Bool {
        FileManager.default.isExecutableFile(atPath: path("simdedup")) && FileManager.default.isExecutableFile(atPath: path("simbench"))
    }

    /// Runs `script` with `bash -c` in `directory`; `$SIMDEDUP` and `$SIMBENCH` name the tools.
    /// Standard output and error go to files (no pipe to fill), read back at the end.
    static func run(_ script: String, in directory: String) throws -> Outcome {
        try #require(toolsAreBuilt, "simdedup and simbench are not in \(productsDirectory): run `swift build` first")
        let outputPath = directory + "/.stdout"
        let errorPath = directory + "/.stderr"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["SIMDEDUP"] = path("simdedup")
        environment["SIMBENCH"] = path("simbench")
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return Outcome(status: process.terminationStatus, output: output, errors: errors)
    }

    /// A script that did not do what a test needs.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A fresh directory for one test, removed when the test process exits.
    static func directory() throws -> String { try ScratchDirectories.make("simcore-process") }
}
