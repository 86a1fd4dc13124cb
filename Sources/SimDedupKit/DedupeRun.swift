import SimCommandLine
import SimCore
import SimCoreIO
import SimCoreInternals

/// `simdedup dedupe`: a corpus in, one verdict line per document out, in input order.
///
/// Output format (one line per accepted document of this run, input order, no spaces):
/// ```
/// {"id":"a","cluster":"a","representative":true,"match":null,"similarity":null}
/// {"id":"b","cluster":"a","representative":false,"match":"a","similarity":0.9140625}
/// ```
/// - `cluster`: the smallest id of the document's cluster (byte-wise UTF-8 order, as in
///   `simdedup cluster`), which may be a document of an earlier run (`--state`);
/// - `representative`: whether this is the one document kept from its cluster (the longest, the
///   earliest among equals), exactly one per cluster;
/// - `match`, `similarity`: the most similar *earlier* document that passed verification, and the
///   similarity (Jaccard, or the overlap coefficient), or `null` for none.
///
/// The engine keeps the ids (``EngineID`` marks numbers, so that they are echoed as the input
/// wrote them, in this run and in later ones) and hands back each document's cluster by number
/// (``Deduplicator/assignments()``).
///
/// At the end, in this order: the verdict lines, the kept records (`--keep`, atomically), the
/// engine state (`--state`, atomically); a failure to write any of them is exit status 3.
public enum DedupeRun {
    /// What a run did, for the summary line.
    public struct Summary: Equatable, Sendable {
        /// The settings, as ``DedupeSettings`` describes them.
        public var settings = ""
        /// Documents accepted in this run.
        public var documents = 0
        /// Distinct clusters this run's documents belong to (singletons included).
        public var clusters = 0
        /// This run's documents that are not their cluster's representative.
        public var duplicates = 0
        /// Records skipped as invalid.
        public var rejected = 0
        /// Records written to `--keep` (`nil` without it).
        public var kept: Int?
        /// Documents the loaded state held before this run (`nil` without `--state`).
        public var documentsBefore: Int?
        /// Bytes of text accepted.
        public var bytes = 0
        /// Wall-clock seconds.
        public var seconds = 0.0
        /// Seconds of ``seconds`` spent loading the state (`--state` of a file that existed).
        public var loadSeconds: Double?
        /// Seconds of ``seconds`` spent saving the state (`--state`).
        public var saveSeconds = 0.0
        /// Bytes the engine held at the end (signatures, index, ids, clusters).
        public var stateBytes = 0

        /// The summary line printed on standard error (without a newline).
        public var description: String {
            // Rates over this run's own work: loading and saving a state take time of their own
            // (ten million documents' state, 20 s for a run of a thousand).
            let working = Swift.max(0, seconds - (loadSeconds ?? 0) - saveSeconds)
            let rate = working > 0 ? Double(documents) / working : 0
            let megabytesPerSecond = working > 0 ? Double(bytes) / 1e6 / working : 0
            var line = "simdedup: \(settings): \(grouped(documents + rejected)) documents in, \(grouped(rejected)) rejected, "
                + "\(grouped(clusters)) clusters, \(grouped(duplicates)) duplicates"
            if let kept { line += ", \(grouped(kept)) kept" }
            if let documentsBefore {
                line += "; state: \(grouped(documentsBefore)) documents before, \(grouped(documentsBefore + documents)) after"
            }
            let engineDocuments = (documentsBefore ?? 0) + documents
            var time = "\(formatted(seconds, 2)) s"
            if documentsBefore != nil {
                let loading = loadSeconds.map { "loading the state \(formatted($0, 2)) s, " } ?? ""
                time += " (\(loading)saving the state \(formatted(saveSeconds, 2)) s)"
            }
            return line + "; \(time), \(groupedRate(rate)) docs/s, \(formatted(megabytesPerSecond, 1)) MB/s"
                + "; engine state \(formatted(Double(stateBytes) / 1e6, 1)) MB "
                + "(\(grouped(engineDocuments > 0 ? stateBytes / engineDocuments : 0)) bytes/doc)"
        }
    }

    /// Reads, deduplicates and writes.
    ///
    /// - Parameters:
    ///   - reader: The documents (its options decide whether bad records fail or are skipped;
    ///     ``CorpusOptions/keepsSourceLines`` must be on with `keepPath`).
    ///   - settings: Scheme, k, seed and engine options.
    ///   - state: The state file, and whether it exists (it is loaded first when it does).
    ///   - keepPath: Where the kept records go, if anywhere.
    ///   - io: Receives the verdict lines (all at the end) and skipped-record lines.
    ///   - progress: The progress display.
    ///   - boilerplate: With `--boilerplate auto`, every document of this run is read first, its
    ///     boilerplate lines are found (``BoilerplateLines``), and the engine sees each text with
    ///     them blanked; by default (`off`) documents stream straight into the engine.
    /// - Returns: The summary.
    /// - Throws: ``CommandError``: exit status 1 for a bad record (when not skipping), no documents,
    ///   or an unreadable state file, and nothing is written then; exit status 3 when an output
    ///   cannot be written.
    static func run(
        reader: CorpusReader, settings: DedupeSettings, state: (path: String, exists: Bool)?, keepPath: String?,
        io: CommandIO, progress: ProgressDisplay, boilerplate: BoilerplateOptionGroup = BoilerplateOptionGroup()
    ) throws -> Summary {
        func open<Scheme: SignatureScheme>(_ scheme: Scheme) throws -> Summary {
            let clock = ContinuousClock()
            let start = clock.now
            let deduplicator: Deduplicator<Scheme>
            var loadSeconds: Double?
            if let state, state.exists {
                do {
                    // Progress in documents filed once the file is checked (a state of ten
                    // million documents takes about 10 s to load).
                    deduplicator = try Deduplicator(source: .path(state.path), scheme: scheme, options: settings.options) { done, total in
                        // A state of no documents (the library can save one) has nothing to show.
                        guard total > 0 else { return }
                        if done == 0 { progress.start("loading the state", total: total, unit: .items("documents")) }
                        progress.update(done)
                    }
                    progress.finish()
                    loadSeconds = (clock.now - start).seconds
                } catch {
                    progress.finish()
                    throw CommandError("\(state.path): cannot load the state: \(error)")
                }
            } else {
                deduplicator = Deduplicator(scheme: scheme, options: settings.options)
            }
            var summary = try run(
                reader: reader, deduplicator: deduplicator, keepPath: keepPath, io: io, progress: progress,
                boilerplate: boilerplate)
            summary.settings = settings.description
            summary.loadSeconds = loadSeconds
            if let state {
                summary.documentsBefore = deduplicator.count - summary.documents
                let saving = clock.now
                do {
                    // Progress in bytes written (a state of ten million documents is 2 GB).
                    try deduplicator.save(to: state.path) { done, total in
                        if done == 0 { progress.start("saving the state", total: total, unit: .bytes(itemName: "documents")) }
                        progress.update(done)
                    }
                    progress.finish()
                } catch {
                    progress.finish()
                    throw CommandError("cannot save the state to \(state.path): \(error)", status: .outputFailure)
                }
                summary.saveSeconds = (clock.now - saving).seconds
            }
            summary.seconds = (clock.now - start).seconds
            return summary
        }
        return try open(settings.makeScheme())
    }

    /// Feeds `reader` to `deduplicator` (which may hold documents of earlier runs), then writes
    /// this run's verdicts and kept records.
    ///
    /// Batches are cut by `limits`, the engine's (``_BatchLimits/standard``) but in tests, which
    /// cross batches with small ones.
    static func run<Scheme: SignatureScheme>(
        reader: CorpusReader, deduplicator: Deduplicator<Scheme>, keepPath: String?, io: CommandIO, progress: ProgressDisplay,
        boilerplate: BoilerplateOptionGroup, limits: _BatchLimits = .standard
    ) throws -> Summary {
        let first = deduplicator.count
        let threads = deduplicator.options.threads
        var summary = Summary()
        let spool = try keepPath.map { path throws(CommandError) in try KeptRecordSpool(besides: path) }
        let blanksBoilerplate = boilerplate.isOn(defaultMode: .off)
        var held: [Document] = []
        let input = CommandInput(reader: reader, io: io, tool: "simdedup", progress: progress)
        // Batches cut by `limits` (4,096 documents; short ones up to 8 MiB of text and 16,384
        // documents), read while the engine works on the two before them
        // (Deduplicator.insert(batchesFrom:)): reading, parsing (in the reader's background
        // blocks), signing and querying share the cores. With boilerplate blanking every
        // document is held until the end (the blanking needs the whole corpus), then filed.
        //
        // Ids must be unique: the engine finds the ones it holds (earlier runs, filed batches);
        // `recent` holds those of the batch being read and of (at least) the two handed over
        // before it, which the engine may not have filed yet.
        var unique = UniqueIDs(documentsBefore: first)
        var recent = RecentIDs()
        func earlierDocument(withID key: RecentIDs.Key) -> Int? {
            if let found = recent.document(withID: key) ?? deduplicator.document(withID: key.text, idHash: key.hash) { return found }
            // A number and a string of the same text are one id (JSON consumers often key by
            // text). The engine holds a number as its literal and a NUL (EngineID), so only a
            // text that is a number literal can name one: most ids are refused at their first
            // byte, without a second lookup.
            guard EngineID.isNumberLiteral(key.text) else { return nil }
            return deduplicator.document(withID: EngineID.encode(DocumentID(text: key.text, isNumber: true)))
        }
        var upcoming: [UInt64] = []
        var recordsRead = 0
        try deduplicator.insert(batchesFrom: { () throws(CommandError) -> [Document]? in
            var batch: [Document] = []
            var bytes = 0
            batch.reserveCapacity(limits.documents)
            recent.startBatch()
            while limits.takesMore(count: batch.count, textBytes: bytes), let record = try input.next() {
                let number = unique.nextDocument
                // The slots of the ids of the next group of records, some records ahead, are
                // asked for now, so that their lookups find them in cache (each one missed:
                // 3.5% of a million paragraphs' run).
                if recordsRead % Self.idPrefetchGroup == 0 {
                    upcoming.removeAll(keepingCapacity: true)
                    for distance in Self.idPrefetchDistance..<Self.idPrefetchDistance + Self.idPrefetchGroup {
                        guard let hash = reader.upcomingIDHash(distance) else { break }
                        recent.prefetch(hash: hash)
                        upcoming.append(hash)
                    }
                    if !upcoming.isEmpty { deduplicator.prefetchIDs(hashes: upcoming) }
                }
                recordsRead &+= 1
                let key = RecentIDs.Key(record.id.text)
                guard try unique.admit(record, input: input, earlier: earlierDocument(withID: key)) else { continue }
                recent.insert(key, document: number)
                let document = Document(id: EngineID.encode(record.id), utf8: record.document.utf8)
                try spool?.append(record)
                if blanksBoilerplate {
                    held.append(document)
                } else {
                    bytes += record.document.utf8.count
                    batch.append(document)
                }
            }
            return batch.isEmpty ? nil : batch
        }, threads: threads) { _ throws(CommandError) in }
        try input.finish()
        if blanksBoilerplate {
            let blanked = try boilerplate.blanking(held, threads: threads, io: io, tool: "simdedup").documents
            held = []
            deduplicator.insert(contentsOf: blanked, threads: threads, limits: limits)
        }
        summary.bytes = input.textBytes
        summary.rejected = input.rejectedCount

        // The batches' working memory, freed on the workers' arenas, back to the kernel before
        // the verdicts' tables are built on this thread (Platform.releaseFreeHeapMemory).
        Platform.releaseFreeHeapMemory()
        let assignments = deduplicator.assignmentTable()
        let kept = try writeVerdicts(of: assignments, first: first, deduplicator: deduplicator, threads: threads, to: io.standardOutput)
        summary.documents = assignments.count - first
        summary.clusters = kept.clusters
        // Counted through the table's own subscript: a slice's generic accessors cost two
        // allocations a document (a million paragraphs: 2.2 million, on one thread).
        for document in first..<assignments.count where !assignments[document].isRepresentative { summary.duplicates += 1 }
        summary.stateBytes = deduplicator.byteCount
        if let spool, let keepPath { summary.kept = try spool.write(kept: kept.kept, to: keepPath) }
        return summary
    }

    /// How far ahead `simdedup dedupe` asks for ids' slots: every ``idPrefetchGroup`` records,
    /// those of the records from `idPrefetchDistance + 1` to `idPrefetchDistance +
    /// idPrefetchGroup` places after the current one (the 9th to the 24th), counted in parsed
    /// lines (``CorpusReader/upcomingIDHash(_:)``).
    static let idPrefetchDistance = 8
    /// How many ids' slots `simdedup dedupe` asks for at a time (the engine's under one lock).
    static let idPrefetchGroup = 16

    /// Assignments formatted per window: enough lines for every worker to get several chunks,
    /// few enough that a window's text stays a few MiB however large the corpus.
    static let verdictWindow = 1 << 16

    /// Writes the verdict line of each of this run's documents (`assignments[first...]`), in
    /// document order, and says which to keep (`--keep`).
    ///
    /// The lines are formatted on `threads` workers, a window of ``verdictWindow`` documents at
    /// a time (each worker a chunk of it, into its own buffer), and written in order through
    /// `output`, the command's one checked writer: the bytes never depend on `threads`. Ids are
    /// copied from the engine as bytes and written from them (``EngineID/appendJSON(engineID:to:)``),
    /// and the table is read through its concrete type: strings made per id and a generic
    /// collection's accessors (a runtime metadata lookup per element) were 5% of a run on a
    /// million paragraphs.
    ///
    /// ```swift
    /// let kept = try DedupeRun.writeVerdicts(of: deduplicator.assignmentTable(), first: 0, deduplicator: deduplicator, threads: 2, to: sink)
    /// kept.clusters   // distinct clusters of this run's documents
    /// ```
    ///
    /// - Parameters:
    ///   - assignments: Every document's assignment, indexed by document number from 0 (the
    ///     engine's ``Deduplicator/assignmentTable()``, 17 bytes a document).
    ///   - first: The first document of this run (those before came from a state file).
    ///   - deduplicator: The engine, which names the documents.
    ///   - threads: Workers formatting the lines.
    ///   - output: Receives the lines.
    ///   - window: Documents formatted at a time (default ``verdictWindow``; tests cross windows
    ///     with small ones).
    /// - Returns: For each of this run's documents, whether it is kept (its cluster's
    ///   representative, in a cluster with no document of an earlier run), and the number of
    ///   distinct clusters this run's documents belong to.
    /// - Throws: ``OutputError`` when a write fails.
    /// - Complexity: O(documents · id length), the formatting spread over `threads`.
    static func writeVerdicts<Scheme: SignatureScheme>(
        of assignments: _AssignmentTable, first: Int, deduplicator: Deduplicator<Scheme>, threads: Int, to output: OutputSink,
        window: Int = verdictWindow
    ) throws(OutputError) -> (kept: [Bool], clusters: Int) {
        // A cluster that holds a document of an earlier run had a member kept by that run.
        // Clusters are labelled by a member's number, so flags indexed by label do for sets.
        var hasEarlierMember = [Bool](repeating: false, count: assignments.count)
        for document in 0..<first { hasEarlierMember[assignments[document].cluster] = true }
        var seen = [Bool](repeating: false, count: assignments.count)
        var clusters = 0
        var kept: [Bool] = []
        kept.reserveCapacity(assignments.count - first)
        for document in first..<assignments.count {
            let assignment = assignments[document]
            if !seen[assignment.cluster] {
                seen[assignment.cluster] = true
                clusters += 1
            }
            kept.append(assignment.isRepresentative && !hasEarlierMember[assignment.cluster])
        }
        // Chunks of at least 1,024 lines (a sixteenth of a small window, for tests).
        let minimumChunk = Swift.max(1, Swift.min(1_024, window / 16))
        var start = first
        while start < assignments.count {
            let slice = start..<Swift.min(start + window, assignments.count)
            let chunks = concurrentChunks(count: slice.count, threads: threads, minimumChunk: minimumChunk) { range in
                // Every id the chunk names, fetched under one lock: document, cluster, match.
                var named: [Int] = []
                named.reserveCapacity(range.count * 3)
                for index in range { appendDocumentsNamed(by: assignments[slice.lowerBound + index], to: &named) }
                var ids = NamedIDs()
                ids.ends.reserveCapacity(named.count)
                deduplicator.appendIDs(of: named, to: &ids.bytes, ends: &ids.ends)
                var lines: [UInt8] = []
                lines.reserveCapacity(range.count * 96)
                var next = 0
                for index in range {
                    let assignment = assignments[slice.lowerBound + index]
                    appendVerdictLine(of: assignment, ids: ids, from: next, to: &lines)
                    next += assignment.verdict.isDuplicate ? 3 : 2
                }
                return lines
            }
            for lines in chunks { try output.write(bytes: lines) }
            start = slice.upperBound
        }
        try output.flush()
        return (kept, clusters)
    }

    /// The ids a chunk of verdict lines names, as the engine keeps them (``EngineID``), one
    /// after another: id `i` is `bytes[ends[i − 1]..<ends[i]]` (from 0 for the first).
    struct NamedIDs {
        /// The ids' UTF-8 bytes.
        var bytes: [UInt8] = []
        /// Where each id ends in ``bytes``.
        var ends: [Int] = []

        /// Appends id `index` as the input wrote it (``EngineID/appendJSON(engineID:to:)``).
        func appendJSON(_ index: Int, to line: inout [UInt8]) {
            // SAFETY: ends are offsets into bytes, increasing (Deduplicator.appendIDs); the
            // slice is checked in debug builds.
            let start = index == 0 ? 0 : ends[index - 1]
            bytes.withUnsafeBytes { EngineID.appendJSON(engineID: UnsafeRawBufferPointer(rebasing: $0[start..<ends[index]]), to: &line) }
        }
    }

    /// Appends the documents a verdict line names, in the order ``appendVerdictLine(of:ids:from:to:)``
    /// takes their ids: the document, its cluster, and its match if it has one.
    static func appendDocumentsNamed(by assignment: DocumentAssignment, to named: inout [Int]) {
        named.append(assignment.document)
        named.append(assignment.cluster)
        if case .duplicate(let match, _) = assignment.verdict { named.append(match) }
    }

    /// Appends one document's verdict line (with its newline).
    ///
    /// - Parameters:
    ///   - assignment: The document's assignment.
    ///   - ids: The ids of the documents ``appendDocumentsNamed(by:to:)`` lists for this and
    ///     the chunk's other lines.
    ///   - first: The place of this line's first id in `ids`.
    ///   - line: Receives the line.
    static func appendVerdictLine(of assignment: DocumentAssignment, ids: NamedIDs, from first: Int, to line: inout [UInt8]) {
        // Static strings: their bytes are copied as they are, not transcoded through String's
        // UTF-8 view (about 180 instructions an append).
        func append(_ literal: StaticString) { literal.withUTF8Buffer { line.append(contentsOf: $0) } }
        append(#"{"id":"#)
        ids.appendJSON(first, to: &line)
        append(#","cluster":"#)
        ids.appendJSON(first + 1, to: &line)
        append(assignment.isRepresentative ? #","representative":true"# : #","representative":false"#)
        append(#","match":"#)
        if case .duplicate(_, let similarity) = assignment.verdict {
            ids.appendJSON(first + 2, to: &line)
            append(#","similarity":"#)
            line.append(contentsOf: String(similarity).utf8)
        } else {
            append(#"null,"similarity":null"#)
        }
        append("}\n")
    }
}
