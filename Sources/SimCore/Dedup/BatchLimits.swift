/// How many documents one batch of the engine's pipeline takes: in
/// ``Deduplicator/insert(contentsOf:threads:)``, and in `simdedup dedupe`, which reads its
/// batches as it goes.
///
/// A batch takes ``documents`` documents, then more while its text is under ``bytes``, up to
/// ``maximumDocuments``. Batches, rather than everything at once, let the pipeline sign batch
/// N+1 while batch N is filed and queried (one batch of 200,000 paragraphs left the second core
/// mostly idle), and hold one batch's signatures at a time. Short documents get larger batches
/// because a batch has costs that do not grow with its text (a pipeline step, a filing of every
/// band, the tasks' hand-offs): 4,096 paragraphs are 1.6 MB of text, against 29 MB of news
/// stories, and on 1,080,000 paragraphs (about 400 bytes each, so 16,384 a batch) 16,384 ran in
/// 0.93× the time of 4,096 (README, Measurements). Batches of news documents stay at 4,096.
///
/// ```swift
/// let limits = _BatchLimits.standard
/// limits.end(ofBatchFrom: 0, in: paragraphs)   // 16,384 for 20,000 paragraphs of 400 bytes
/// ```
package struct _BatchLimits: Sendable, Hashable {
    /// Documents a batch takes whatever their length (fewer only at the end).
    package var documents: Int
    /// Text a batch grows to past ``documents`` documents; 0 keeps every batch at exactly
    /// ``documents`` (tests that cross many batches).
    package var bytes: Int

    /// 4,096 documents, growing to 8 MiB of text and 16,384 documents.
    package static let standard = _BatchLimits(documents: 4_096, bytes: 8 << 20)

    /// Limits of `documents` documents (at least 1), growing to `bytes` of text.
    package init(documents: Int, bytes: Int) {
        precondition(documents >= 1 && bytes >= 0, "a batch takes at least one document")
        self.documents = documents
        self.bytes = bytes
    }

    /// The most documents a batch takes: 4 × ``documents``, or ``documents`` when ``bytes`` is 0.
    package var maximumDocuments: Int { bytes > 0 ? 4 * documents : documents }

    /// Whether a batch of `count` documents holding `textBytes` bytes of text takes another.
    package func takesMore(count: Int, textBytes: Int) -> Bool {
        count < documents || (count < maximumDocuments && textBytes < bytes)
    }

    /// The end of the batch that starts at `start` in `documents` (below `documents.count`).
    package func end(ofBatchFrom start: Int, in documents: [Document]) -> Int {
        var end = start
        var textBytes = 0
        while end < documents.count && takesMore(count: end - start, textBytes: textBytes) {
            textBytes += documents[end].utf8.count
            end += 1
        }
        return end
    }
}
