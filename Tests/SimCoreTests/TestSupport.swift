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
}
