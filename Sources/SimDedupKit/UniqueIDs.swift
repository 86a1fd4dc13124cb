import SimCommandLine
import SimCoreIO
import SimCoreInternals

/// The one rule for repeated ids, shared by every `simdedup` command that names documents by id
/// in its output (`dedupe`, `reuse`): a record whose id an earlier document already has is
/// refused through ``CommandInput/reject(_:_:)``, with a message naming both places,
/// `FILE:LINE: duplicate id "d" (first at FILE:LINE)`: the run stops with exit status 1, or,
/// with `--skip-invalid`, the record is reported and counted as a reject. Ids are compared by
/// their text, so the number `1` and the string `"1"` are one id (JSON consumers often key
/// output by text).
///
/// `reuse` holds every id, and ``admit(_:input:)`` looks them up itself; `dedupe` asks its
/// engine and its batches in flight (``admit(_:input:earlier:)``), and counts the documents
/// of earlier runs (a `--state` file) in ``documentsBefore``.
///
/// ```swift
/// var unique = UniqueIDs()
/// while let record = try input.next() {
///     guard try unique.admit(record, input: input) else { continue }   // a counted reject
///     …
/// }
/// ```
struct UniqueIDs {
    /// Documents of earlier runs: an earlier document numbered below this came from the state
    /// file.
    let documentsBefore: Int
    /// Where each document this run accepted came from.
    private(set) var places = DocumentPlaces()
    /// Document numbers by id text, for ``admit(_:input:)``.
    private var held: [String: Int] = [:]

    /// Starts with no document of this run.
    ///
    /// - Parameter documentsBefore: Documents filed by earlier runs (default 0).
    init(documentsBefore: Int = 0) {
        self.documentsBefore = documentsBefore
    }

    /// The number the next accepted document gets: ``documentsBefore`` plus the documents this
    /// run accepted.
    var nextDocument: Int { documentsBefore + places.count }

    /// Accepts `record` unless an earlier document has its id, looking the id up among the
    /// documents accepted through this method.
    ///
    /// - Parameters:
    ///   - record: The record ``CommandInput/next()`` just returned.
    ///   - input: Its input, which refuses a repeat.
    /// - Returns: `true` when the record is accepted (its place recorded), `false` when it was
    ///   refused and counted as a reject (`--skip-invalid`).
    /// - Throws: ``CommandError`` (exit status 1) for a repeat when bad records are not skipped.
    /// - Complexity: O(1) expected: one dictionary lookup and insert.
    mutating func admit(_ record: CorpusRecord, input: CommandInput) throws(CommandError) -> Bool {
        let document = nextDocument
        let earlier = held[record.id.text]
        guard try admit(record, input: input, earlier: earlier) else { return false }
        held[record.id.text] = document
        return true
    }

    /// Accepts `record` unless `earlier`, the number of an earlier document with its id (found
    /// by the caller), is given.
    ///
    /// - Parameters:
    ///   - record: The record ``CommandInput/next()`` just returned.
    ///   - input: Its input, which refuses a repeat.
    ///   - earlier: The earlier document with the same id text, numbered as ``nextDocument``
    ///     numbers documents, or `nil`.
    /// - Returns: `true` when accepted, `false` when refused and counted as a reject.
    /// - Throws: ``CommandError`` (exit status 1) for a repeat when bad records are not skipped.
    mutating func admit(_ record: CorpusRecord, input: CommandInput, earlier: Int?) throws(CommandError) -> Bool {
        if let earlier {
            let place = earlier < documentsBefore ? "an earlier run (the state file)" : places.place(of: earlier - documentsBefore)
            try input.reject(
                record, CorpusError(path: record.path, line: record.line, reason: .duplicateID(record.id.description, first: place)))
            return false
        }
        places.append(path: record.path, line: record.line)
        return true
    }
}

/// Where each accepted document came from, for messages about a later one (`file:line`, or the
/// file of a `.txt` document): one line number per document and one path per run of documents
/// from the same file (4 bytes a document from a JSON Lines file: 40 MB at ten million, in pages
/// that grow without doubling).
struct DocumentPlaces {
    /// Each document's line (0 for a whole file), or ``UInt32/max`` for a line past it, kept
    /// in ``farLines``.
    private var lines = PagedColumn<UInt32>()
    /// The lines at or past 2³² − 1, by document.
    private var farLines: [Int: Int] = [:]
    private var runStarts: [Int] = []
    private var runPaths: [String] = []

    /// The number of documents recorded.
    var count: Int { lines.count }

    /// Records the next document's place.
    mutating func append(path: String, line: Int?) {
        if runPaths.last != path {
            runStarts.append(lines.count)
            runPaths.append(path)
        }
        let line = line ?? 0
        if line >= Int(UInt32.max) {
            farLines[lines.count] = line
            lines.append(.max)
        } else {
            lines.append(UInt32(line))
        }
    }

    /// `path:line` of document `document`, or its path for a whole file.
    func place(of document: Int) -> String {
        var low = 0
        var high = runStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if runStarts[middle] <= document { low = middle } else { high = middle - 1 }
        }
        let line = lines[document] == .max ? farLines[document, default: 0] : Int(lines[document])
        return line > 0 ? "\(runPaths[low]):\(line)" : runPaths[low]
    }
}
