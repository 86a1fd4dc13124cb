import Foundation
@testable import SimCore

/// Paths and small helpers shared by the test suites.
enum TestSupport {
    /// The repository root (this file is Tests/SimCoreTests/TestSupport.swift).
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `Data/wire-stories` in the repository.
    static var wireStories: String { repositoryRoot + "/Data/wire-stories" }

    /// A deterministic generator for test data (SplitMix64), never the system RNG.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
