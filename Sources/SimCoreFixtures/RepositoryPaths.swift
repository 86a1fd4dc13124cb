import Foundation

/// Paths of the repository's checked-in fixtures, for the test targets.
///
/// Found from this source file's own path (`Sources/SimCoreFixtures/RepositoryPaths.swift`), so
/// they point into the checkout the package was built from; a copy of the built library moved
/// elsewhere still points there.
///
/// ```swift
/// let stories = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories])   // 5 documents
/// ```
package enum RepositoryPaths {
    /// The repository root: the directory holding `Package.swift`.
    package static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `Data/wire-stories`: five news stories as `.txt` files (000 and 001 are one story, reprinted).
    package static var wireStories: String { root + "/Data/wire-stories" }

    /// `Fuzz/Corpus`: one directory of seed and regression inputs per fuzz target.
    package static var fuzzCorpus: String { root + "/Fuzz/Corpus" }

    /// `Docs/simbench-result.schema.json`: the JSON Schema of `simbench` result files.
    package static var resultSchema: String { root + "/Docs/simbench-result.schema.json" }
}
