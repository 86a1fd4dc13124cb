import Foundation
import SimCore
import SimCoreFixtures
import SimCoreIO
import Testing

@Suite("WireStories")
struct WireStoriesTests {
    @Test("the embedded stories equal Data/wire-stories byte for byte (regenerate with Data/embed-wire-stories.py)")
    func embeddedEqualFiles() throws {
        let files = try CorpusReader.readAll(paths: [RepositoryPaths.wireStories]).documents
        #expect(files.count == 5)
        #expect(WireStories.documents == files)
    }
}
