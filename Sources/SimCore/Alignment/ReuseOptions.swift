/// How ``ReuseIndex`` finds reuse in a corpus: how pairs are aligned, and which n-grams are too
/// common to make two documents a candidate pair.
///
/// ```swift
/// var options = ReuseOptions()
/// options.maximumDocumentFrequency = 500   // a passage carried by up to 500 documents still pairs them
/// ```
public struct ReuseOptions: Sendable, Hashable, Codable {
    /// How each candidate pair is aligned (n-gram width, shortest passage, widest gap).
    public var alignment: AlignmentOptions
    /// An n-gram held by more documents than this is left out of the index, as passim does:
    /// common phrases and boilerplate then make no candidate pairs. Default 100.
    public var maximumDocumentFrequency: Int

    /// Creates reuse options.
    ///
    /// - Parameters:
    ///   - alignment: Alignment options (default ``AlignmentOptions/init(ngramWidth:minimumPassageWords:maximumGap:seed:normalization:)``).
    ///   - maximumDocumentFrequency: The document-frequency cap, at least 2 (default 100).
    public init(alignment: AlignmentOptions = AlignmentOptions(), maximumDocumentFrequency: Int = 100) {
        precondition(maximumDocumentFrequency >= 2, "maximumDocumentFrequency must be at least 2")
        self.alignment = alignment
        self.maximumDocumentFrequency = maximumDocumentFrequency
    }

    /// The index keeps one n-gram per window of this many consecutive n-grams (the smallest
    /// hash, "winnowing"): every exact run of `anchorWindow + ngramWidth - 1` shared words shares
    /// an indexed n-gram, while the index holds about 2 / (window + 1) of all n-grams. The window
    /// is half the n-grams of a shortest passage, so a verbatim passage of
    /// ``AlignmentOptions/minimumPassageWords`` words shares at least two anchors (one in each
    /// half), which is what makes two documents a candidate pair.
    public var anchorWindow: Int {
        Swift.max(1, (alignment.minimumPassageWords - alignment.ngramWidth + 1) / 2)
    }
}

/// Two documents of a corpus and the passages they share.
///
/// ```swift
/// let pair = ReuseIndex.pairs(in: documents)[0]
/// pair.first, pair.second                  // document indices, first < second
/// pair.alignment.passages[0].bytesA       // bytes in documents[pair.first]
/// ```
public struct ReusedPair: Sendable, Hashable {
    /// The earlier document (index in input order); its text is side A of ``alignment``.
    public var first: Int
    /// The later document; side B.
    public var second: Int
    /// The passages and coverage.
    public var alignment: Alignment

    /// Creates a pair.
    ///
    /// - Parameters:
    ///   - first: The earlier document.
    ///   - second: The later document.
    ///   - alignment: Their alignment, `first` as side A.
    public init(first: Int, second: Int, alignment: Alignment) {
        self.first = first
        self.second = second
        self.alignment = alignment
    }
}
