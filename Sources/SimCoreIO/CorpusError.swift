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
        /// The path is neither a directory, a JSON Lines file (`.jsonl`, `.ndjson`, `.json`, each
        /// optionally `.gz`), a `.txt` file, nor `-`.
        case unsupportedInput
        /// A directory holds no JSON Lines shard and no `.txt` file.
        case noInputFiles
    }

    /// The file, or `-` for standard input.
    public let path: String
    /// The 1-based line for JSON Lines input; `nil` for whole files.
    public let line: Int?
    /// What went wrong.
    public let reason: Reason
    /// For ``Reason/missingField(_:)``: the top-level fields the record does have, in order,
    /// so the message can show what to rename. Context for the message only: not part of the
    /// error's identity (``==`` and hashing ignore it).
    public var fieldsPresent: [String] = []

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
        case .missingField(let field):
            let present = fieldsPresent.isEmpty ? "the record has no fields" : "fields present: "
                + fieldsPresent.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ") + (fieldsPresent.count > 12 ? ", …" : "")
            message = "missing field \"\(field)\" (\(present))"
        case .wrongType(let field, let expected): message = "field \"\(field)\" must be \(expected)"
        case .duplicateField(let field): message = "field \"\(field)\" appears twice"
        case .invalidID(let why): message = "invalid id: \(why)"
        case .duplicateID(let id, let first): message = "duplicate id \(id) (first at \(first))"
        case .invalidUTF8(let offset): message = "invalid UTF-8 at byte \(offset)"
        case .emptyText: message = "empty text"
        case .unsupportedInput:
            message = "not a directory, a JSON Lines file (.jsonl, .ndjson, .json, or .gz of one), a .txt file, or - (standard input)"
        case .noInputFiles:
            message = "no .jsonl, .ndjson, .jsonl.gz, .ndjson.gz or .txt files in this directory (subdirectories are not read)"
        }
        return "\(place): \(message)"
    }

    /// Equality of path, line and reason (``fieldsPresent`` is context, not identity).
    public static func == (lhs: CorpusError, rhs: CorpusError) -> Bool {
        lhs.path == rhs.path && lhs.line == rhs.line && lhs.reason == rhs.reason
    }

    /// Hashes path, line and reason.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(line)
        hasher.combine(reason)
    }
}
