import SimCore

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
///   similarity (Jaccard, or containment of the smaller in the larger), or `null` for none.
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

        /// The summary line printed on standard error.
        public var description: String {
            let rate = seconds > 0 ? Double(documents) / seconds : 0
            let megabytesPerSecond = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
            return "simdedup: \(documents + rejected) documents in, \(rejected) rejected, \(clusters) clusters, "
                + "\(duplicates) duplicates; \(formatted(seconds, 2)) s, \(formatted(rate, 0)) docs/s, "
                + "\(formatted(megabytesPerSecond, 1)) MB/s\n"
        }
    }

    /// Reads, deduplicates and writes.
    ///
    /// - Parameters:
    ///   - reader: The documents (its options decide whether bad records fail or are skipped).
    ///   - scheme: The signature scheme.
    ///   - options: Threshold, measure, shingling, verification, threads.
    ///   - output: Receives the verdict lines (all at the end).
    ///   - messages: Receives skipped-record lines and the progress bar.
    ///   - showProgress: Whether to draw a progress bar on `messages`.
    /// - Returns: The summary.
    /// - Throws: ``SimDedupError`` (exit status 1) at the first bad record when not skipping;
    ///   nothing is written to `output` then.
    public static func run<Scheme: SignatureScheme>(
        reader: CorpusReader, scheme: Scheme, options: DeduplicationOptions,
        output: OutputSink, messages: OutputSink, showProgress: Bool
    ) throws(SimDedupError) -> Summary {
        let clock = ContinuousClock()
        let start = clock.now
        let deduplicator = Deduplicator(scheme: scheme, options: options)
        let progress = showProgress ? ProgressBar(sink: messages) : nil
        var ids: [DocumentID] = []
        var match: [Int] = []
        var similarity: [Double] = []
        var summary = Summary()
        var batch: [Document] = []
        var reported = 0
        func file(_ batch: [Document]) {
            for result in deduplicator.insert(contentsOf: batch, threads: options.threads) {
                if case .duplicate(let other, let value) = result.verdict {
                    match.append(other)
                    similarity.append(value)
                } else {
                    match.append(-1)
                    similarity.append(0)
                }
            }
        }
        while true {
            let next: Document?
            do {
                next = try reader.next()
            } catch {
                progress?.finish()
                throw .corpus(error)
            }
            while reported < reader.rejected.count {
                progress?.finish()
                messages.write("simdedup: skipped \(reader.rejected[reported])\n")
                reported += 1
            }
            guard let document = next else { break }
            ids.append(DocumentID(document))
            summary.bytes += document.utf8.count
            batch.append(document)
            if batch.count == 4096 {
                file(batch)
                batch.removeAll(keepingCapacity: true)
                progress?.update(documents: ids.count, bytes: summary.bytes)
            }
        }
        file(batch)
        progress?.finish()

        var label = [Int](repeating: -1, count: ids.count)
        var representative = [Bool](repeating: false, count: ids.count)
        let clusters = deduplicator.clusters(includingSingletons: true)
        for cluster in clusters {
            let smallest = cluster.members.min { ids[$0] < ids[$1] }!
            for member in cluster.members { label[member] = smallest }
            representative[cluster.representative] = true
        }
        var line: [UInt8] = []
        for document in ids.indices {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: #"{"id":"#.utf8)
            JSONText.appendID(ids[document], to: &line)
            line.append(contentsOf: #","cluster":"#.utf8)
            JSONText.appendID(ids[label[document]], to: &line)
            line.append(contentsOf: (representative[document] ? #","representative":true"# : #","representative":false"#).utf8)
            line.append(contentsOf: #","match":"#.utf8)
            if match[document] >= 0 {
                JSONText.appendID(ids[match[document]], to: &line)
                line.append(contentsOf: #","similarity":"#.utf8)
                line.append(contentsOf: String(similarity[document]).utf8)
            } else {
                line.append(contentsOf: #"null,"similarity":null"#.utf8)
            }
            line.append(contentsOf: "}\n".utf8)
            output.write(bytes: line)
        }
        summary.documents = ids.count
        summary.clusters = clusters.count
        summary.duplicates = ids.count - clusters.count
        summary.rejected = reader.rejected.count
        summary.seconds = (clock.now - start).seconds
        return summary
    }
}
