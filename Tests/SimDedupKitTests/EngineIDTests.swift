import Foundation
@testable import SimDedupKit
import Testing

@Suite("EngineID")
struct EngineIDTests {
    @Test("isNumberLiteral follows JSON's number grammar on every string of up to 4 characters from a small alphabet")
    func numberGrammar() throws {
        let grammar = try NSRegularExpression(pattern: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#)
        let alphabet = ["-", "+", ".", "e", "E", "0", "1", "9", "x", "\u{0}"]
        var texts = [""]
        var level = [""]
        for _ in 0..<4 {
            level = level.flatMap { prefix in alphabet.map { prefix + $0 } }
            texts += level
        }
        texts += ["-12.50e+3", "123456789012345678901234567890", "1.5E-7", "g00000000/1", "٣", "１", "1 ", " 1", "007", "-0.0"]
        var numbers = 0
        for text in texts {
            let range = NSRange(text.startIndex..., in: text)
            let expected = grammar.firstMatch(in: text, range: range) != nil
            #expect(EngineID.isNumberLiteral(text) == expected, "\(text.debugDescription)")
            if expected { numbers += 1 }
        }
        #expect(numbers > 100)
    }
}
