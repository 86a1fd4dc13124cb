import Testing
@testable import SimCore

/// The README's example, so that its numbers stay true.
@Suite("README example")
struct ReadmeExampleTests {
    @Test("the quoted reprint shares 5 word 5-grams with the original")
    func example() throws {
        let shingler = Shingler(options: ShinglingOptions(unit: .words(5), seed: 0))
        let a = shingler.shingles(of: "Russian President Vladimir Putin landed in Vietnam on Thursday on a state visit")
        let b = shingler.shingles(of: "“Russian President Vladimir Putin landed in Vietnam on Thursday,” AFP said.")
        #expect(a.count == 9)
        #expect(b.count == 7)
        #expect(a.intersectionCount(with: b) == 5)
        #expect(a.jaccard(with: b) == 5.0 / 11.0)
        #expect(b.containment(in: a) == 5.0 / 7.0)
    }
}
