/// Why a document could not be read. Every case names the file and, for JSON Lines, the line.
public struct CorpusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// The file or directory could not be opened or read (with the system's message).
        case unreadable(String)
        /// The line is not a JSON object (with what the parser expected).
        case malformedJSON(String)
        /// A required field is absent.
        case missingField(String)
        /// A field has the wrong JSON type (with the field's name and what was expected).
        case wrongType(field: String, expected: String)
        /// A field the reader needs appears twice in one record.
        case duplicateField(String)
        /// A string id is not valid Unicode (a `\u` escape of a lone surrogate), so it could not
        /// be echoed back unchanged.
        case invalidID(String)
        /// The id was already given to an earlier document (with the id as written, and where
        /// that document came from, `file:line`); ids must be unique where a tool labels
        /// clusters by id.
        case duplicateID(String, first: String)
        /// The bytes are not valid UTF-8 (with the byte offset of the first bad sequence).
        case invalidUTF8(offset: Int)
        /// The text is empty.
        case emptyText
        /// The directory holds no `.txt` file: most likely the wrong directory, so it is an error
        /// rather than an input of no documents.
        case noTextFiles
        /// The path is neither a directory nor a `.jsonl`/`.json`/`.ndjson` file nor `-`.
        case unsupportedInput
    }

    /// The file, or `-` for standard input.
    public let path: String
    /// The 1-based line for JSON Lines input; `nil` for whole files.
    public let line: Int?
    /// What went wrong.
    public let reason: Reason

    /// Creates an error.
    public init(path: String, line: Int?, reason: Reason) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    /// `path:line: message`, ready for a terminal.
    public var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        let message: String
        switch reason {
        case .unreadable(let why): message = "cannot read: \(why)"
        case .malformedJSON(let why): message = "malformed JSON: \(why)"
        case .missingField(let field): message = "missing field \"\(field)\""
        case .wrongType(let field, let expected): message = "field \"\(field)\" must be \(expected)"
        case .duplicateField(let field): message = "field \"\(field)\" appears twice"
        case .invalidID(let why): message = "invalid id: \(why)"
        case .duplicateID(let id, let first): message = "duplicate id \(id) (first at \(first))"
        case .invalidUTF8(let offset): message = "invalid UTF-8 at byte \(offset)"
        case .emptyText: message = "empty text"
        case .noTextFiles: message = "no .txt files in this directory"
        case .unsupportedInput:
            message = "not a directory of .txt files, a .jsonl file, or - (standard input)"
        }
        return "\(place): \(message)"
    }
}
