extension DocumentID: Decodable {
    /// Decodes a JSON string, or an integer (kept as its decimal text, marked as a number).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.init(text: text)
        } else {
            self.init(text: String(try container.decode(Int64.self)), isNumber: true)
        }
    }
}
