import SimCommandLine
import SimCore
import SimCoreIO
import SimCoreInternals

/// `simdedup dedupe`: a corpus in, one verdict line per document out, in input order.
///
/// Output format (one line per accepted document, input order, no spaces):
/// ```
/// {"id":"a","cluster":"a","representative":true,"match":null,"similarity":null}
/// {"id":"b","cluster":"a","representative":false,"match":"a","similarity":0.9140625}
/// ```
/// - `cluster`: the smallest id of the document's cluster (byte-wise UTF-8 order, as in
///   `simdedup cluster`);
/// - `representative`: whether this is the one document kept from its cluster (the longest, the
///   earliest among equals), exactly one per cluster;
/// - `match`, `similarity`: the most similar *earlier* document that passed verification, and the
///   similarity (Jaccard, or the overlap coefficient), or `null` for none.
///
/// The engine keeps the ids and hands back each document's cluster by number
/// (``Deduplicator/assignments()``); this layer only remembers which ids were JSON numbers, so
/// that it echoes them as the input wrote them.
public enum DedupeRun {
    /// What a run did, for the summary line.
    public struct Summary: Equatable, Sendable {
        /// Documents accepted.
        public var documents = 0
        /// Clusters (singletons included).
        public var clusters = 0
        /// Documents that are not their cluster's representative.
        public var duplicates = 0
        /// Records skipped as invalid.
        public var rejected = 0
        /// Bytes of text accepted.
        public var bytes = 0
        /// Wall-clock seconds.
        public var seconds = 0.0

        /// The summary line printed on standard error (without a newline).
        public var description: String {
            let rate = seconds > 0 ? Double(documents) / seconds : 0
            let megabytesPerSecond = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
            return "simdedup: \(documents + rejected) documents in, \(rejected) rejected, \(clusters) clusters, "
                + "\(duplicates) duplicates; \(formatted(seconds, 2)) s, \(formatted(rate, 0)) docs/s, "
                + "\(formatted(megabytesPerSecond, 1)) MB/s"
        }
    }

    /// Reads, deduplicates and writes.
    ///
    /// - Parameters:
    ///   - reader: The documents (its options decide whether bad records fail or are skipped).
    ///   - scheme: The signature scheme.
    ///   - options: Threshold, measure, shingling, verification, threads.
    ///   - io: Receives the verdict lines (all at the end), skipped-record lines and progress.
    ///   - showProgress: Whether to draw a progress line on standard error.
    /// - Returns: The summary.
    /// - Throws: ``CommandError`` (exit status 1) at the first bad record or repeated id when not
    ///   skipping (with `--skip-invalid` a repeated id is a counted reject, like a bad record);
    ///   nothing is written to standard output then. ``OutputError`` when output fails.
    public static func run<Scheme: SignatureScheme>(
        reader: CorpusReader, scheme: Scheme, options: DeduplicationOptions, io: CommandIO, showProgress: Bool
    ) throws -> Summary {
        let clock = ContinuousClock()
        let start = clock.now
        let deduplicator = Deduplicator(scheme: scheme, options: options)
        let progress = showProgress ? ProgressBar(sink: io.standardError) : nil
        var numericIDs: [Bool] = []
        var places = DocumentPlaces()
        var summary = Summary()
        var batch: [Document] = []
        // The ids of `batch`, which the engine does not hold yet; earlier ids it looks up itself.
        var batchIDs: [String: Int] = [:]
        let input = CommandInput(reader: reader, io: io, tool: "simdedup")
        while let record = try input.next(clearing: progress) {
            let id = record.document.id
            if let first = batchIDs[id] ?? deduplicator.document(withID: id) {
                try input.reject(
                    CorpusError(path: record.path, line: record.line, reason: .duplicateID(record.id.description, first: places.place(of: first))),
                    clearing: progress)
                continue
            }
            batchIDs[id] = numericIDs.count
            places.append(path: record.path, line: record.line)
            numericIDs.append(record.id.isNumber)
            summary.bytes += record.document.utf8.count
            batch.append(record.document)
            if batch.count == 4096 {
                deduplicator.insert(contentsOf: batch, threads: options.threads)
                batch.removeAll(keepingCapacity: true)
                batchIDs.removeAll(keepingCapacity: true)
                progress?.update(documents: numericIDs.count, bytes: summary.bytes)
            }
        }
        deduplicator.insert(contentsOf: batch, threads: options.threads)
        progress?.finish()

        let assignments = deduplicator.assignments()
        func id(_ document: Int) -> DocumentID {
            DocumentID(text: deduplicator.id(of: document), isNumber: numericIDs[document])
        }
        var line: [UInt8] = []
        for assignment in assignments {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: #"{"id":"#.utf8)
            id(assignment.document).appendJSON(to: &line)
            line.append(contentsOf: #","cluster":"#.utf8)
            id(assignment.cluster).appendJSON(to: &line)
            line.append(contentsOf: (assignment.isRepresentative ? #","representative":true"# : #","representative":false"#).utf8)
            line.append(contentsOf: #","match":"#.utf8)
            if case .duplicate(let match, let similarity) = assignment.verdict {
                id(match).appendJSON(to: &line)
                line.append(contentsOf: #","similarity":"#.utf8)
                line.append(contentsOf: String(similarity).utf8)
            } else {
                line.append(contentsOf: #"null,"similarity":null"#.utf8)
            }
            line.append(contentsOf: "}\n".utf8)
            try io.standardOutput.write(bytes: line)
        }
        summary.documents = assignments.count
        summary.clusters = assignments.reduce(0) { $0 + ($1.isRepresentative ? 1 : 0) }
        summary.duplicates = summary.documents - summary.clusters
        summary.rejected = input.rejectedCount
        summary.seconds = (clock.now - start).seconds
        return summary
    }
}

/// Where each accepted document came from, for messages about a later one (`file:line`, or the
/// file of a `.txt` document): one line number per document and one path per run of documents
/// from the same file (8 bytes a document from a JSON Lines file).
struct DocumentPlaces {
    private var lines: [Int] = []
    private var runStarts: [Int] = []
    private var runPaths: [String] = []

    /// Records the next document's place.
    mutating func append(path: String, line: Int?) {
        if runPaths.last != path {
            runStarts.append(lines.count)
            runPaths.append(path)
        }
        lines.append(line ?? 0)
    }

    /// `path:line` of document `document`, or its path for a whole file.
    func place(of document: Int) -> String {
        var low = 0
        var high = runStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if runStarts[middle] <= document { low = middle } else { high = middle - 1 }
        }
        let line = lines[document]
        return line > 0 ? "\(runPaths[low]):\(line)" : runPaths[low]
    }
}
