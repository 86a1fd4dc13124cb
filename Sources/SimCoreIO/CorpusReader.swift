import Foundation
import SimCore
import SimCoreInternals

/// Reads documents from directories of `.txt` files, JSON Lines files, and standard input,
/// one at a time, without loading a JSON Lines file whole.
///
/// - A directory: every regular file whose name ends in `.txt`, in byte order of the names (not
///   recursive); the id is the file name without `.txt`. A directory with no `.txt` file is an
///   error (``CorpusError/Reason/noTextFiles``), not an input of no documents.
/// - A file ending in `.jsonl`, `.ndjson` or `.json`, or `-` for standard input: one JSON object
///   per line with an id (string or number) and a text (string), read by
///   ``JSONRecordParser`` through ``LineReader``; blank lines are passed over.
///
/// A bad document (unreadable file, malformed line, missing or mistyped field, invalid UTF-8,
/// empty text) throws a ``CorpusError`` naming file and line, or, with
/// ``CorpusOptions/InvalidInputPolicy/skip``, is recorded in ``rejected``. Nothing is dropped
/// silently: ``documentsRead`` + `rejected.count` is every document the input holds.
///
/// ```swift
/// let corpus = try CorpusReader.readAll(paths: ["Data/wire-stories"])
/// corpus.documents.count    // 5
/// ```
public final class CorpusReader {
    /// The options in force.
    public let options: CorpusOptions
    /// Documents that were not returned, with why (only with the `skip` policy).
    public private(set) var rejected: [CorpusError] = []
    /// Documents returned so far.
    public private(set) var documentsRead = 0

    private var pending: [String]
    private var files: [String] = []
    private var lines: LineReader?
    private let parser: JSONRecordParser

    /// Prepares to read `paths` in order; nothing is opened until ``next()``.
    ///
    /// - Parameters:
    ///   - paths: Directories of `.txt` files, JSON Lines files, or `-` for standard input.
    ///   - options: Field names and the policy for bad documents.
    public init(paths: [String], options: CorpusOptions = CorpusOptions()) {
        self.options = options
        self.pending = paths.reversed()
        self.parser = JSONRecordParser(idField: options.idField, textField: options.textField)
    }

    /// The next document, or `nil` when every input is exhausted.
    ///
    /// - Throws: ``CorpusError`` for a bad document under the `fail` policy, and for an input
    ///   path that cannot be opened or is of an unsupported kind under either policy.
    public func next() throws(CorpusError) -> Document? {
        try nextRecord()?.document
    }

    /// The next document with its id as the input wrote it and where it came from, or `nil`
    /// when every input is exhausted.
    ///
    /// - Throws: ``CorpusError`` as ``next()`` does.
    public func nextRecord() throws(CorpusError) -> CorpusRecord? {
        while true {
            if let reader = lines {
                if let record = try nextLineRecord(reader) {
                    documentsRead += 1
                    return record
                }
                lines = nil
                continue
            }
            if let path = files.popLast() {
                if let record = try accept({ () throws(CorpusError) -> CorpusRecord in
                    let bytes = try FileContents.read(path)
                    try check(bytes, path: path, line: nil)
                    let name = (path as NSString).lastPathComponent
                    let id = String(name.dropLast(4))
                    return CorpusRecord(document: Document(id: id, utf8: bytes), id: DocumentID(text: id), path: path, line: nil)
                }) {
                    documentsRead += 1
                    return record
                }
                continue
            }
            guard let path = pending.popLast() else { return nil }
            try open(path)
        }
    }

    /// Reads every document of `paths` into memory.
    ///
    /// - Parameters:
    ///   - paths: Directories of `.txt` files, JSON Lines files, or `-`.
    ///   - options: Field names and the policy for bad documents.
    /// - Returns: The documents in input order, and the rejects.
    /// - Throws: ``CorpusError`` as ``next()`` does.
    public static func readAll(paths: [String], options: CorpusOptions = CorpusOptions()) throws(CorpusError) -> Corpus {
        let reader = CorpusReader(paths: paths, options: options)
        var documents: [Document] = []
        while let document = try reader.next() {
            documents.append(document)
        }
        return Corpus(documents: documents, rejected: reader.rejected)
    }

    private func open(_ path: String) throws(CorpusError) {
        var isDirectory: ObjCBool = false
        if path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw CorpusError(path: path, line: nil, reason: .unreadable("\(error.localizedDescription)"))
            }
            let texts = names.filter { $0.hasSuffix(".txt") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            guard !texts.isEmpty else { throw CorpusError(path: path, line: nil, reason: .noTextFiles) }
            files = texts.reversed().map { (path as NSString).appendingPathComponent($0) }
            return
        }
        let lowered = path.lowercased()
        guard path == "-" || lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") || lowered.hasSuffix(".json") else {
            if !FileManager.default.fileExists(atPath: path) {
                throw CorpusError(path: path, line: nil, reason: .unreadable("no such file or directory"))
            }
            throw CorpusError(path: path, line: nil, reason: .unsupportedInput)
        }
        lines = try LineReader(path: path)
    }

    /// Parses the next non-blank line into a record, applying the policy; `nil` at the end.
    private func nextLineRecord(_ reader: LineReader) throws(CorpusError) -> CorpusRecord? {
        while true {
            let outcome: Result<CorpusRecord?, CorpusError>?
            do {
                outcome = try reader.nextLine { line -> Result<CorpusRecord?, CorpusError> in
                    let number = reader.lineNumber
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .success(nil) }
                    return Result { () throws(CorpusError) -> CorpusRecord? in
                        try self.record(from: line, path: reader.path, line: number)
                    }
                }
            } catch let error as CorpusError {
                throw error
            } catch {
                throw CorpusError(path: reader.path, line: reader.lineNumber, reason: .unreadable("\(error)"))
            }
            guard let outcome else { return nil }
            if let record = try accept({ () throws(CorpusError) in try outcome.get() }) ?? nil {
                return record
            }
        }
    }

    private func record(from line: UnsafeRawBufferPointer, path: String, line number: Int) throws(CorpusError) -> CorpusRecord {
        try check(line, path: path, line: number, allowEmpty: true)
        let fields: JSONRecordParser.Record
        do {
            fields = try parser.parse(line)
        } catch {
            throw CorpusError(path: path, line: number, reason: error.corpusReason)
        }
        guard let id = fields.id else { throw CorpusError(path: path, line: number, reason: .missingField(options.idField)) }
        guard let text = fields.text else { throw CorpusError(path: path, line: number, reason: .missingField(options.textField)) }
        if text.isEmpty { throw CorpusError(path: path, line: number, reason: .emptyText) }
        return CorpusRecord(document: Document(id: id.text, utf8: text), id: id, path: path, line: number)
    }

    /// Throws for invalid UTF-8 (unless replacement is on) and for empty text.
    private func check(_ bytes: [UInt8], path: String, line: Int?) throws(CorpusError) {
        do {
            try bytes.withUnsafeBytes { try check($0, path: path, line: line, allowEmpty: false) }
        } catch let error as CorpusError {
            throw error
        } catch {
            throw CorpusError(path: path, line: line, reason: .unreadable("\(error)"))
        }
    }

    private func check(_ bytes: UnsafeRawBufferPointer, path: String, line: Int?, allowEmpty: Bool) throws(CorpusError) {
        if !allowEmpty && bytes.isEmpty {
            throw CorpusError(path: path, line: line, reason: .emptyText)
        }
        if !options.replaceInvalidUTF8, let offset = UTF8Scalars.firstInvalidOffset(bytes) {
            throw CorpusError(path: path, line: line, reason: .invalidUTF8(offset: offset))
        }
    }

    /// Runs `make`; under the `skip` policy a document-level error is recorded instead of thrown.
    private func accept<T>(_ make: () throws(CorpusError) -> T) throws(CorpusError) -> T? {
        do {
            return try make()
        } catch {
            guard options.invalidInput == .skip else { throw error }
            rejected.append(error)
            return nil
        }
    }
}

extension JSONRecordParser.Failure {
    /// The corpus reader's name for this failure.
    public var corpusReason: CorpusError.Reason {
        switch self {
        case .syntax(let message): .malformedJSON(message)
        case .wrongType(let field, let expected): .wrongType(field: field, expected: expected)
        case .duplicateField(let field): .duplicateField(field)
        case .invalidID(let why): .invalidID(why)
        }
    }
}

/// One document as read, with what tools need to echo it: the id as the input wrote it, and
/// where it came from.
public struct CorpusRecord: Sendable, Hashable {
    /// The document (its ``Document/id`` is ``id``'s text).
    public var document: Document
    /// The id as written: a JSON string, or a JSON number's literal text.
    public var id: DocumentID
    /// The file, or `-` for standard input.
    public var path: String
    /// The 1-based line for JSON Lines input; `nil` for a whole `.txt` file.
    public var line: Int?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - document: The document.
    ///   - id: Its id as written.
    ///   - path: Its file.
    ///   - line: Its line, for JSON Lines.
    public init(document: Document, id: DocumentID, path: String, line: Int?) {
        self.document = document
        self.id = id
        self.path = path
        self.line = line
    }
}

/// A corpus read into memory: its documents in input order and what was rejected.
public struct Corpus: Sendable {
    /// The documents, in input order.
    public var documents: [Document]
    /// The rejected documents' errors (empty unless the `skip` policy was used).
    public var rejected: [CorpusError]

    /// Creates a corpus.
    ///
    /// - Parameters:
    ///   - documents: The documents, in input order.
    ///   - rejected: The rejected documents' errors.
    public init(documents: [Document], rejected: [CorpusError] = []) {
        self.documents = documents
        self.rejected = rejected
    }

    /// Every document the input held: read plus rejected.
    public var inputCount: Int { documents.count + rejected.count }
}
