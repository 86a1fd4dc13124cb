import Foundation
import SimCoreIO
import Testing

@Suite("JSON output")
struct JSONTextTests {
    @Test("strings escape quotes, backslashes and control characters, and keep other UTF-8")
    func escaping() {
        var bytes: [UInt8] = []
        JSONText.appendString("a\"b\\c\nd\te\u{01}é", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\"b\\c\nd\te\u0001é""#)
    }

    @Test("ids: numbers as literals, strings quoted; order is byte-wise")
    func ids() {
        #expect(DocumentID(text: "42", isNumber: true).description == "42")
        #expect(DocumentID(text: "42").description == #""42""#)
        #expect(DocumentID(text: "10") < DocumentID(text: "9"))
        #expect(DocumentID(text: "Z") < DocumentID(text: "a"))
        #expect(DocumentID(text: "z") < DocumentID(text: "é"))
        #expect(DocumentID(text: "e\u{301}") != DocumentID(text: "é"))
    }

    @Test("JSON escaping handles quotes, backslashes and control characters")
    func escapingBytes() throws {
        var output: [UInt8] = []
        let input = Array("a\"b\\c\nd\te\u{1}f “g”".utf8)
        JSONText.appendEscaped(utf8: input, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "a\\\"b\\\\c\\nd\\te\\u0001f “g”")
        let decoded = try JSONSerialization.jsonObject(with: Data([0x22] + output + [0x22]), options: [.fragmentsAllowed]) as? String
        #expect(decoded.map { Array($0.utf8) } == input)
    }
}
