/// How corpus readers treat their input.
///
/// Defaults: JSON Lines fields `id` and `text`, stop at the first bad document, reject invalid
/// UTF-8, parse on one thread.
public struct CorpusOptions: Sendable, Hashable {
    /// What to do with a document that cannot be read.
    public enum InvalidInputPolicy: String, Sendable, Hashable, CaseIterable {
        /// Throw a ``CorpusError`` naming the file and line (the default).
        case fail
        /// Record it in ``CorpusReader/rejected`` and go on; documents in = documents out +
        /// rejects.
        case skip
    }

    /// The JSON Lines field holding the id (a string or a number). Default: `id`.
    public var idField: String
    /// The JSON Lines field holding the text (a string). Default: `text`.
    public var textField: String
    /// What to do with a bad document. Default: ``InvalidInputPolicy/fail``.
    public var invalidInput: InvalidInputPolicy
    /// Let invalid UTF-8 through (normalization then replaces it) instead of treating it as a
    /// bad document. Default: `false`.
    public var replaceInvalidUTF8: Bool
    /// Threads that parse JSON Lines: blocks of about 4 MiB of whole lines are split among them
    /// and the records come back in input order, so every result, reject and `file:line` is the
    /// same for every count. Default: 1.
    public var threads: Int
    /// Keep each JSON Lines record's input line, byte for byte, in ``CorpusRecord/sourceLine``
    /// (for writing kept records back out with every field intact). Default: `false`, which
    /// copies nothing.
    public var keepsSourceLines = false

    /// Creates corpus options.
    ///
    /// - Parameters:
    ///   - idField: The JSON Lines id field (default `id`).
    ///   - textField: The JSON Lines text field (default `text`).
    ///   - invalidInput: Fail on, or skip and count, bad documents (default: fail).
    ///   - replaceInvalidUTF8: Accept invalid UTF-8 and let normalization replace it (default `false`).
    ///   - threads: JSON Lines parsing threads, at least 1 (default 1).
    public init(
        idField: String = "id", textField: String = "text", invalidInput: InvalidInputPolicy = .fail,
        replaceInvalidUTF8: Bool = false, threads: Int = 1
    ) {
        precondition(threads >= 1, "threads must be at least 1")
        self.idField = idField
        self.textField = textField
        self.invalidInput = invalidInput
        self.replaceInvalidUTF8 = replaceInvalidUTF8
        self.threads = threads
    }
}
