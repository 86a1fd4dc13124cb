import SimCoreInternals
internal import CSimKernels

/// The compact, immutable layer of an LSH shard's postings: every (key, document) entry filed
/// before the last merge, sorted, in about `keyBits − log₂ n + log₂ N + 2` bits per entry
/// (n entries, N documents) instead of the 20–40 bytes of a hash table with linked lists.
///
/// **Layout (Elias–Fano over key prefixes).** Each entry's key is cut to its top `keyBits`
/// bits, its *prefix* (all 64 for an exact index). Entries are sorted by (prefix, document).
/// The top `bucketBits` bits of a prefix (B = ⌊log₂ n⌋, so about one entry per bucket) are its
/// bucket and are not stored: the *upper* bit vector holds, bucket by bucket, a 1 per entry and
/// a 0 closing the bucket (n + 2ᴮ bits). The remaining `keyBits − B` bits, the *fingerprint*,
/// and the document number are stored in two packed arrays of fixed width. A directory gives
/// the first entry of every 64th bucket (32 bits per 64 buckets).
///
/// **Lookup.** A prefix's bucket is found from the directory and at most 15 skipped buckets in
/// the upper bits (usually one word, a popcount); the bucket's entries (about one) are compared by
/// fingerprint, which sorts them, so the scan stops at the first larger one. Every read is a
/// bounded pointer access into memory the object owns; no allocation, no reference counting.
///
/// **Merging.** ``init(keyBits:merging:with:)`` streams the entries of older layers and a sorted
/// run of new ones into a new object (the layout depends on n, so a merge rewrites all of its
/// inputs, in one sequential pass); ``_PostingShard`` decides which layers to merge.
///
/// Immutable after its initializer, so any number of threads read it at once.
final class _FrozenPostings: @unchecked Sendable {
    // SAFETY: the four buffers (one block) are allocated and written by the initializer only,
    // read-only afterwards, and freed by deinit; every read is within the sizes fixed there (the readers
    // below say why each index is in range).

    /// Buckets per directory entry: a lookup skips fewer than this many buckets.
    static let blockBuckets = 16

    /// Entries.
    let count: Int
    /// Bits of each key kept: 64 (exact) or fewer (candidates then include documents whose key
    /// shares the prefix).
    let keyBits: Int
    /// B: the prefix bits that pick the bucket (2ᴮ buckets, 2ᴮ ≤ max(1, n)).
    let bucketBits: Int
    /// keyBits − B: the prefix bits stored per entry.
    let fingerprintBits: Int
    /// Bits per document number.
    let documentBits: Int
    /// 2ᴮ.
    let bucketCount: Int
    private let upper: UnsafeMutablePointer<UInt64>
    private let upperWords: Int
    /// The first entry of buckets 0, 16, 32, …, then `count`.
    private let blockStarts: UnsafeMutablePointer<UInt32>
    private let blockCount: Int
    private let fingerprints: UnsafeMutablePointer<UInt64>
    private let fingerprintWords: Int
    private let documents: UnsafeMutablePointer<UInt64>
    private let documentWords: Int
    /// The block holding the four arrays.
    private let storage: UnsafeMutableRawPointer
    /// Bytes held by the arrays (the block's size).
    let byteCount: Int

    /// The empty layer.
    convenience init(keyBits: Int) {
        self.init(keyBits: keyBits, count: 0, documentLimit: 1) { _ in }
    }

    /// Builds a layer from `count` entries that `fill` appends in (prefix, document) order.
    ///
    /// - Parameters:
    ///   - keyBits: Bits of each key kept (1...64); prefixes are below 2^keyBits.
    ///   - count: The number of entries `fill` appends, fewer than 2³¹.
    ///   - documentLimit: Every document number is below this.
    ///   - fill: Appends the entries through the writer, in order.
    init(keyBits: Int, count: Int, documentLimit: Int, _ fill: (inout _FrozenPostingsWriter) -> Void) {
        precondition((1...64).contains(keyBits) && count >= 0 && count < Int(Int32.max) && documentLimit >= 1)
        self.keyBits = keyBits
        self.count = count
        let bucketBits = count <= 1 ? 0 : Swift.min(keyBits, Int.bitWidth - 1 - count.leadingZeroBitCount)
        self.bucketBits = bucketBits
        fingerprintBits = keyBits - bucketBits
        documentBits = Swift.max(1, Int.bitWidth - (documentLimit - 1).leadingZeroBitCount)
        bucketCount = 1 << bucketBits
        // Two zero words of padding after every array: readers load a word past a value's
        // first one (see `_PackedBits.value`) and run-length scans stop at a 0 bit.
        upperWords = (count + bucketCount + 63) / 64 + 2
        blockCount = (bucketCount + _FrozenPostings.blockBuckets - 1) / _FrozenPostings.blockBuckets + 1
        fingerprintWords = (count * fingerprintBits + 63) / 64 + 2
        documentWords = (count * documentBits + 63) / 64 + 2
        // One zeroed block holds the four arrays; the whole 2 MiB pages of a large one (a layer
        // of about a million entries or more) in huge pages, so that the random reads of lookups
        // rarely miss the TLB.
        let words = upperWords + fingerprintWords + documentWords
        byteCount = words * 8 + blockCount * 4
        storage = .allocate(byteCount: byteCount, alignment: MemoryLayout<UInt64>.alignment)
        if byteCount >= 2 * Platform.hugePageBytes { Platform.adviseHugePages(storage, bytes: byteCount) }
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        // SAFETY: the four arrays partition the block: 64-bit words first, then the directory.
        let wordBase = storage.bindMemory(to: UInt64.self, capacity: words)
        upper = wordBase
        fingerprints = wordBase + upperWords
        documents = wordBase + upperWords + fingerprintWords
        blockStarts = (storage + words * 8).bindMemory(to: UInt32.self, capacity: blockCount)
        var writer = _FrozenPostingsWriter(
            upper: upper, blockStarts: blockStarts, fingerprints: fingerprints, documents: documents, count: count,
            keyBits: keyBits, fingerprintBits: fingerprintBits, documentBits: documentBits, documentLimit: documentLimit)
        fill(&writer)
        writer.finish(bucketCount: bucketCount)
    }

    deinit {
        storage.deallocate()
    }

    /// The top `keyBits` bits of `key`.
    @inline(__always)
    func prefix(of key: UInt64) -> UInt64 { keyBits == 64 ? key : key >> UInt64(64 - keyBits) }

    /// A read-only view for lookups without reference counting, valid while the object lives.
    var view: _FrozenView {
        _FrozenView(
            count: count, fingerprintBits: fingerprintBits, documentBits: documentBits, upper: upper, blockStarts: blockStarts,
            fingerprints: fingerprints, documents: documents)
    }

    /// The layer's document limit: every document number is below it.
    var documentLimit: Int { 1 << documentBits }

    /// Builds one layer from `layers` and `run` (each sorted by (prefix, document)) in one
    /// sequential pass: a k-way merge that picks, entry by entry, the least head of the k + 1
    /// sources (k is 1 or 2 in practice: see ``_PostingShard/merge(adding:everything:)``).
    ///
    /// - Parameters:
    ///   - keyBits: The key bits of every layer; `run`'s prefixes are below 2^keyBits.
    ///   - layers: Frozen layers of the same key bits, in any order.
    ///   - run: New entries, sorted by (prefix, document), documents below 2³¹.
    /// - Complexity: O((n + |run|)·k) for n entries in `layers`.
    convenience init(keyBits: Int, merging layers: [_FrozenPostings], with run: [_PostingEntry]) {
        var count = run.count
        var limit = 1
        for layer in layers where layer.count > 0 {
            precondition(layer.keyBits == keyBits, "layers of other key bits")
            count += layer.count
            limit = Swift.max(limit, layer.documentLimit)
        }
        for entry in run { limit = Swift.max(limit, Int(entry.document) + 1) }
        self.init(keyBits: keyBits, count: count, documentLimit: limit) { writer in
            withExtendedLifetime(layers) { writer.appendMerging(layers.map(\.view), with: run) }
        }
    }
}

/// Raw pointers into a ``_FrozenPostings`` and its parameters: lookups without reference
/// counting, valid while the object is alive.
struct _FrozenView {
    let count: Int
    let fingerprintBits: Int
    let documentBits: Int
    let upper: UnsafePointer<UInt64>
    let blockStarts: UnsafePointer<UInt32>
    let fingerprints: UnsafePointer<UInt64>
    let documents: UnsafePointer<UInt64>

    init(
        count: Int, fingerprintBits: Int, documentBits: Int, upper: UnsafeMutablePointer<UInt64>,
        blockStarts: UnsafeMutablePointer<UInt32>, fingerprints: UnsafeMutablePointer<UInt64>, documents: UnsafeMutablePointer<UInt64>
    ) {
        self.count = count
        self.fingerprintBits = fingerprintBits
        self.documentBits = documentBits
        self.upper = UnsafePointer(upper)
        self.blockStarts = UnsafePointer(blockStarts)
        self.fingerprints = UnsafePointer(fingerprints)
        self.documents = UnsafePointer(documents)
    }

    /// Calls `body` with every document filed under `prefix` (a value below 2^keyBits), in
    /// increasing order.
    @inline(__always)
    func forEachDocument(withPrefix prefix: UInt64, _ body: (Int32) -> Void) {
        guard count > 0 else { return }
        let bucket = bucket(of: prefix)
        let (start, end) = entries(ofBucket: bucket, from: directoryPosition(ofBucket: bucket))
        forEachDocument(withPrefix: prefix, in: start, end, body)
    }

    /// Calls `body` with every (lookup, document) of `prefixes.count` lookups, `prefixes[i]`
    /// in every layer of `layers`: lookup after lookup, each lookup's documents layer after
    /// layer, each layer's in increasing order.
    ///
    /// A lookup is three dependent loads, usually cache misses in a large layer (the
    /// directory, the upper bits, the fingerprints): here each step is taken for every
    /// (lookup, layer) before the next step, so the loads of one step are independent and the
    /// processor overlaps them.
    ///
    /// - Parameters:
    ///   - layers: The layers (views of live objects).
    ///   - prefixes: The prefixes looked up, each below 2^keyBits.
    ///   - scratch: Room for `2 · prefixes.count · layers.count` integers.
    ///   - body: Receives each lookup's index in `prefixes` and a document.
    @inline(__always)
    static func forEachDocument(
        in layers: UnsafeBufferPointer<_FrozenView>, withPrefixes prefixes: UnsafeBufferPointer<UInt64>,
        scratch: UnsafeMutablePointer<Int>, _ body: (Int, Int32) -> Void
    ) {
        let count = prefixes.count
        // SAFETY: slot (layer · count + lookup) · 2 and the one after it lie in `scratch`.
        // Step 1: the directory entry of every lookup; the upper bits it points at are asked for.
        for (index, layer) in layers.enumerated() where layer.count > 0 {
            for lookup in 0..<count {
                let position = layer.directoryPosition(ofBucket: layer.bucket(of: prefixes[lookup]))
                scratch[(index &* count &+ lookup) &* 2] = position
                layer.prefetchUpper(at: position)
            }
        }
        // Step 2: each lookup's entries, from the upper bits; the first one's fingerprint is
        // asked for.
        for (index, layer) in layers.enumerated() where layer.count > 0 {
            for lookup in 0..<count {
                let slot = (index &* count &+ lookup) &* 2
                let (start, end) = layer.entries(ofBucket: layer.bucket(of: prefixes[lookup]), from: scratch[slot])
                (scratch[slot], scratch[slot &+ 1]) = (start, end)
                if start < end { layer.prefetchFingerprint(of: start) }
            }
        }
        // Step 3: the fingerprints of the entries found.
        for lookup in 0..<count {
            for (index, layer) in layers.enumerated() where layer.count > 0 {
                let slot = (index &* count &+ lookup) &* 2
                let (start, end) = (scratch[slot], scratch[slot &+ 1])
                if start < end { layer.forEachDocument(withPrefix: prefixes[lookup], in: start, end) { body(lookup, $0) } }
            }
        }
    }

    /// Asks for the cache line of the directory entry of `prefix`'s bucket (a hint: nothing
    /// changes).
    @inline(__always)
    func prefetchDirectory(ofPrefix prefix: UInt64) {
        guard count > 0 else { return }
        // SAFETY: the block of a bucket lies in the directory (see directoryPosition(ofBucket:));
        // a prefetch reads nothing.
        simk_prefetch(blockStarts + (bucket(of: prefix) &>> 4))
    }

    /// Asks for the cache line of the upper bits at `position` (a hint: nothing changes).
    @inline(__always)
    func prefetchUpper(at position: Int) {
        // SAFETY: `position` is a directory position, inside the upper bits (as
        // ``entries(ofBucket:from:)`` reads them); a prefetch reads nothing.
        simk_prefetch(upper + (position &>> 6))
    }

    /// Asks for the cache line of `entry`'s fingerprint (a hint: nothing changes).
    @inline(__always)
    func prefetchFingerprint(of entry: Int) {
        // SAFETY: entry < count, so its first word lies in the fingerprints; a prefetch reads
        // nothing.
        simk_prefetch(fingerprints + ((entry &* fingerprintBits) &>> 6))
    }

    /// The bucket of `prefix`.
    @inline(__always)
    func bucket(of prefix: UInt64) -> Int {
        // Smart shifts: a shift by 64 gives 0, so B = 0 (one bucket) and f = 64 need no case.
        Int(truncatingIfNeeded: prefix >> UInt64(fingerprintBits))
    }

    /// The first step of a lookup, one load from the directory: where the upper bits of
    /// `bucket`'s block of 16 buckets start (for ``entries(ofBucket:from:)``). The layer is not
    /// empty.
    @inline(__always)
    func directoryPosition(ofBucket bucket: Int) -> Int {
        let block = bucket &>> 4
        // SAFETY: block ≤ bucket count / 16 < the directory's length.
        // The block's first bucket starts after `blockStarts[block]` ones and `block · 16` zeros.
        return Int(blockStarts[block]) &+ block &<< 4
    }

    /// Calls `body` with the documents of the entries `start..<end` (one bucket's, from
    /// ``entries(ofBucket:from:)``) whose fingerprint is `prefix`'s, in increasing order.
    @inline(__always)
    func forEachDocument(withPrefix prefix: UInt64, in start: Int, _ end: Int, _ body: (Int32) -> Void) {
        let f = fingerprintBits
        let target = f == 64 ? prefix : prefix & ((1 << UInt64(f)) &- 1)
        var entry = start
        while entry < end {
            // SAFETY: start ≤ entry < end ≤ count.
            let fingerprint = _PackedBits.value(fingerprints, index: entry, width: f)
            if fingerprint == target {
                body(Int32(truncatingIfNeeded: _PackedBits.value(documents, index: entry, width: documentBits)))
            } else if fingerprint > target {
                return
            }
            entry &+= 1
        }
    }

    /// The entries of `bucket` (below the bucket count): `start..<end`, read from the upper
    /// bits at `position`, the ``directoryPosition(ofBucket:)`` of `bucket`.
    @inline(__always)
    func entries(ofBucket bucket: Int, from position: Int) -> (Int, Int) {
        var position = position
        var skip = bucket & 15
        while skip > 0 {
            // SAFETY: the skipped zeros close buckets below `bucket`, so every word read lies
            // before the zero closing the last bucket, plus the padding.
            let word = _PackedBits.window(upper, bit: position)
            let zeros = 64 &- word.nonzeroBitCount
            if zeros >= skip {
                position &+= _PackedBits.positionOfZero(word, rank: skip &- 1) &+ 1
                break
            }
            skip &-= zeros
            position &+= 64
        }
        let start = position &- bucket
        var end = start
        while true {
            // SAFETY: a run of ones ends at the zero closing `bucket`, inside the vector.
            let ones = (~_PackedBits.window(upper, bit: position)).trailingZeroBitCount
            end &+= ones
            guard ones == 64 else { break }
            position &+= 64
        }
        return (start, end)
    }

    /// Reads the entries in (prefix, document) order (the view's object must stay alive).
    struct Cursor {
        private let view: _FrozenView
        private var word = 0
        private var bits: UInt64 = 0
        private var entry = 0

        init(_ view: _FrozenView) {
            self.view = view
            bits = view.count > 0 ? view.upper[0] : 0
        }

        /// The next entry, or `nil` after the last.
        @inline(__always)
        mutating func next() -> _PostingEntry? {
            guard entry < view.count else { return nil }
            while bits == 0 {
                // SAFETY: entries remain, so a 1 bit remains before the end of `upper`.
                word &+= 1
                bits = view.upper[word]
            }
            // The entry's 1 sits after `bucket` zeros and `entry` ones.
            let bucket = UInt64(word &* 64 &+ bits.trailingZeroBitCount &- entry)
            let f = view.fingerprintBits
            // SAFETY: entry < count: both arrays hold `count` values plus padding.
            let fingerprint = _PackedBits.value(view.fingerprints, index: entry, width: f)
            let document = _PackedBits.value(view.documents, index: entry, width: view.documentBits)
            bits &= bits &- 1
            entry &+= 1
            return _PostingEntry(prefix: f == 64 ? fingerprint : bucket << UInt64(f) | fingerprint, document: UInt32(truncatingIfNeeded: document))
        }
    }

    /// Streams the entries of `layers` and `run` (each sorted by (prefix, document)) to `emit`
    /// in (prefix, document) order. The views' objects must stay alive.
    ///
    /// Each step emits the least of the k + 1 heads; an exhausted source holds a sentinel above
    /// every real entry (documents are below 2³¹, the sentinel's is 2³² − 1), so the loop runs
    /// exactly once per entry with no optional in it.
    ///
    /// - Complexity: O((n + |run|)·k) for n entries in the k layers.
    @inline(__always)
    static func merge(_ layers: [_FrozenView], with run: [_PostingEntry], _ emit: (UInt64, UInt32) -> Void) {
        let sentinel = _PostingEntry(prefix: .max, document: .max)
        let k = layers.count
        var total = run.count
        for layer in layers { total += layer.count }
        if k == 1 {
            // One layer and the run (nearly every merge): the heads and the cursor in local
            // variables, which the compiler keeps in registers.
            var cursor = Cursor(layers[0])
            var head = cursor.next() ?? sentinel
            run.withUnsafeBufferPointer { run in
                var next = 0
                // SAFETY: next < run.count before it is read.
                var other = run.first ?? sentinel
                for _ in 0..<total {
                    let fromLayer = head.prefix < other.prefix || (head.prefix == other.prefix && head.document < other.document)
                    let least = fromLayer ? head : other
                    emit(least.prefix, least.document)
                    if fromLayer {
                        head = cursor.next() ?? sentinel
                    } else {
                        next &+= 1
                        other = next < run.count ? run[next] : sentinel
                    }
                }
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Cursor.self, capacity: Swift.max(1, k)) { cursors in
            withUnsafeTemporaryAllocation(of: _PostingEntry.self, capacity: k + 1) { heads in
                run.withUnsafeBufferPointer { run in
                    // SAFETY: sources 0..<k are cursors, source k is the run; every index below
                    // is below k + 1, and `next` stays below run.count before it is read.
                    for source in 0..<k {
                        (cursors.baseAddress! + source).initialize(to: Cursor(layers[source]))
                        (heads.baseAddress! + source).initialize(to: cursors[source].next() ?? sentinel)
                    }
                    (heads.baseAddress! + k).initialize(to: run.first ?? sentinel)
                    var next = 1
                    for _ in 0..<total {
                        var best = k
                        var least = heads[k]
                        for source in 0..<k {
                            let head = heads[source]
                            if head.prefix < least.prefix || (head.prefix == least.prefix && head.document < least.document) {
                                best = source
                                least = head
                            }
                        }
                        emit(least.prefix, least.document)
                        if best == k {
                            heads[k] = next < run.count ? run[next] : sentinel
                            next &+= 1
                        } else {
                            heads[best] = cursors[best].next() ?? sentinel
                        }
                    }
                }
            }
        }
    }
}

/// Appends sorted entries to a ``_FrozenPostings`` being built.
struct _FrozenPostingsWriter {
    fileprivate let upper: UnsafeMutablePointer<UInt64>
    fileprivate let blockStarts: UnsafeMutablePointer<UInt32>
    fileprivate let fingerprints: UnsafeMutablePointer<UInt64>
    fileprivate let documents: UnsafeMutablePointer<UInt64>
    fileprivate let count: Int
    fileprivate let keyBits: Int
    fileprivate let fingerprintBits: Int
    fileprivate let documentBits: Int
    fileprivate let documentLimit: Int
    private var written = 0
    /// The next bucket whose directory entry is unwritten (a multiple of 16).
    private var nextBlockBucket = 0
    private var last: (prefix: UInt64, document: UInt32)?
    /// The word of the upper bits that the last entry's 1 went into, and its bits so far (the
    /// words are stored when the next 1 lies past them, and by ``finish(bucketCount:)``).
    private var upperWord = 0
    private var upperBits: UInt64 = 0
    private var fingerprintAppender: _BitAppender
    private var documentAppender: _BitAppender

    fileprivate init(
        upper: UnsafeMutablePointer<UInt64>, blockStarts: UnsafeMutablePointer<UInt32>, fingerprints: UnsafeMutablePointer<UInt64>,
        documents: UnsafeMutablePointer<UInt64>, count: Int, keyBits: Int, fingerprintBits: Int, documentBits: Int, documentLimit: Int
    ) {
        self.upper = upper
        self.blockStarts = blockStarts
        self.fingerprints = fingerprints
        self.documents = documents
        self.count = count
        self.keyBits = keyBits
        self.fingerprintBits = fingerprintBits
        self.documentBits = documentBits
        self.documentLimit = documentLimit
        fingerprintAppender = _BitAppender(words: fingerprints)
        documentAppender = _BitAppender(words: documents)
    }

    /// Appends one entry: `prefix` below 2^keyBits, not before the previous entry in (prefix,
    /// document) order (a document may repeat under one prefix: two keys of one document can
    /// share their top bits).
    @inline(__always)
    mutating func append(prefix: UInt64, document: UInt32) {
        // Callers merge sorted runs or append entries a loader has checked; the checks that keep
        // the buffers in bounds stay on, the order (which only lookups rely on) is asserted.
        precondition(written < count && fits(prefix: prefix, document: document))
        assert(last.map { ($0.prefix, $0.document) <= (prefix, document) } ?? true, "entries out of order")
        #if DEBUG
        last = (prefix, document)
        #endif
        let f = fingerprintBits
        let bucket = Int(truncatingIfNeeded: prefix >> UInt64(f))
        while nextBlockBucket <= bucket {
            // SAFETY: nextBlockBucket / 16 < blockCount while nextBlockBucket ≤ bucket < bucketCount.
            blockStarts[nextBlockBucket / _FrozenPostings.blockBuckets] = UInt32(written)
            nextBlockBucket &+= _FrozenPostings.blockBuckets
        }
        // The 1 bits rise with every entry: they are gathered in a register a word at a time.
        let bit = written &+ bucket
        if bit &>> 6 != upperWord {
            // SAFETY: upperWord < bit / 64 < the upper words (the last 1 lies before the padding).
            upper[upperWord] = upperBits
            upperWord = bit &>> 6
            upperBits = 0
        }
        upperBits |= 1 &<< UInt64(bit & 63)
        // SAFETY: written < count, so each appender stays within its array's count · width bits.
        if f > 0 { fingerprintAppender.append(f == 64 ? prefix : prefix & ((1 << UInt64(f)) &- 1), width: f) }
        documentAppender.append(UInt64(document), width: documentBits)
        written &+= 1
    }

    /// Appends the entries of `layers` and `run` (each sorted by (prefix, document)) merged, as
    /// ``_FrozenView/merge(_:with:_:)`` and ``append(prefix:document:)`` entry by entry would,
    /// by the C kernel `simk_postings_merge` (`CSimKernels/postings_merge.c`). In Swift a merged
    /// entry took about 170 instructions: the loop's state (cursor, heads, writer) did not fit
    /// the registers, and the writer's, reached through a pointer that stores into the new
    /// layer might alias, was reloaded and stored around every entry.
    ///
    /// - Parameters:
    ///   - layers: Views of live layers of this writer's key bits, their documents below this
    ///     writer's limit.
    ///   - run: Entries with prefixes below 2^keyBits and documents below the limit.
    mutating func appendMerging(_ layers: [_FrozenView], with run: [_PostingEntry]) {
        // A shard merges at most `_PostingShard.maximumLayers` (12) layers at once.
        precondition(layers.count <= Int(SIMK_POSTINGS_MAX_LAYERS), "more layers than the merge kernel takes")
        precondition(layers.reduce(run.count) { $0 + $1.count } <= count &- written, "more entries than announced")
        for layer in layers {
            precondition(layer.count == 0 || 1 << layer.documentBits <= documentLimit, "a layer of larger documents")
        }
        for entry in run { precondition(fits(prefix: entry.prefix, document: entry.document)) }
        var state = simk_postings_writer(
            upper: upper, block_starts: blockStarts, fingerprints: fingerprints, documents: documents,
            fingerprint_bits: Int32(fingerprintBits), document_bits: Int32(documentBits), written: Int64(written),
            next_block_bucket: Int64(nextBlockBucket), upper_word: Int64(upperWord), upper_bits: upperBits,
            fingerprint_index: Int64(fingerprintAppender.index), fingerprint_pending: fingerprintAppender.pending,
            fingerprint_filled: Int64(fingerprintAppender.filled), document_index: Int64(documentAppender.index),
            document_pending: documentAppender.pending, document_filled: Int64(documentAppender.filled))
        let sources = layers.map {
            simk_postings_layer(
                upper: $0.upper, fingerprints: $0.fingerprints, documents: $0.documents, count: Int64($0.count),
                fingerprint_bits: Int32($0.fingerprintBits), document_bits: Int32($0.documentBits))
        }
        // SAFETY: `_PostingEntry` and `simk_posting` are both a 64-bit prefix and a 32-bit
        // document in 16 bytes; the kernel reads `run.count` of them and the layers' arrays
        // within their counts, and writes the new layer within the room this writer was made
        // with (checked above).
        sources.withUnsafeBufferPointer { sources in
            run.withUnsafeBufferPointer { entries in
                entries.withMemoryRebound(to: simk_posting.self) {
                    simk_postings_merge(&state, sources.baseAddress, Int64(sources.count), $0.baseAddress, Int64($0.count))
                }
            }
        }
        written = Int(state.written)
        nextBlockBucket = Int(state.next_block_bucket)
        upperWord = Int(state.upper_word)
        upperBits = state.upper_bits
        fingerprintAppender.index = Int(state.fingerprint_index)
        fingerprintAppender.pending = state.fingerprint_pending
        fingerprintAppender.filled = Int(state.fingerprint_filled)
        documentAppender.index = Int(state.document_index)
        documentAppender.pending = state.document_pending
        documentAppender.filled = Int(state.document_filled)
        #if DEBUG
        last = nil
        #endif
    }

    /// Whether an entry fits this layer: `prefix` below 2^keyBits, `document` below the limit
    /// (the checks that keep the arrays' writes in bounds).
    @inline(__always)
    private func fits(prefix: UInt64, document: UInt32) -> Bool {
        Int(document) < documentLimit && (keyBits == 64 || prefix >> UInt64(keyBits) == 0)
    }

    /// Closes the directory once every entry is in.
    fileprivate mutating func finish(bucketCount: Int) {
        precondition(written == count, "fewer entries than announced")
        if count > 0 { upper[upperWord] = upperBits }
        fingerprintAppender.finish()
        documentAppender.finish()
        while nextBlockBucket <= bucketCount {
            blockStarts[nextBlockBucket / _FrozenPostings.blockBuckets] = UInt32(written)
            nextBlockBucket &+= _FrozenPostings.blockBuckets
        }
    }
}

/// Reads fixed-width values and single bits packed into 64-bit words, least significant bit
/// first (as ``_BitAppender`` and the writer's upper bits store them). Every buffer these read
/// from is followed by at least one zero word of padding.
enum _PackedBits {
    /// The 64 bits starting at bit `bit`.
    @inline(__always)
    static func window(_ words: UnsafePointer<UInt64>, bit: Int) -> UInt64 {
        let word = bit &>> 6
        let shift = UInt64(bit & 63)
        // The next word's bits shifted in by 64 − shift in two steps, so that shift 0 brings
        // none of them, with no branch.
        return words[word] &>> shift | (words[word &+ 1] &<< 1) &<< (63 &- shift)
    }

    /// Value `index` of `width` bits (1...64; 0 gives 0).
    @inline(__always)
    static func value(_ words: UnsafePointer<UInt64>, index: Int, width: Int) -> UInt64 {
        guard width > 0 else { return 0 }
        let bits = window(words, bit: index &* width)
        return width == 64 ? bits : bits & ((1 &<< UInt64(width)) &- 1)
    }

    /// The position of zero bit number `rank` (0-based, below 16) of `word`, which has more
    /// than `rank` zero bits.
    @inline(__always)
    static func positionOfZero(_ word: UInt64, rank: Int) -> Int {
        var bits = ~word
        var rank = rank
        while rank > 0 {
            bits &= bits &- 1
            rank &-= 1
        }
        return bits.trailingZeroBitCount
    }
}

/// Appends fixed-width values to packed 64-bit words, least significant bit first, from word 0
/// on: the partial word is kept in a register and stored whole after every value, so no value
/// reads memory (a read-modify-write of the word the previous value wrote waits for that store).
/// The bits of a value that spill into the next word are stored with the next value or by
/// ``finish()``.
struct _BitAppender {
    private let words: UnsafeMutablePointer<UInt64>
    /// The word being filled.
    fileprivate var index = 0
    /// Its bits so far.
    fileprivate var pending: UInt64 = 0
    /// How many of them (0..<64).
    fileprivate var filled = 0

    init(words: UnsafeMutablePointer<UInt64>) {
        self.words = words
    }

    /// Appends `value`, below 2^width, as `width` bits (1...64). The words must have room for
    /// the bits of every value appended: each store is to the word holding the value's first
    /// bit, never past the word of the last bit appended.
    @inline(__always)
    mutating func append(_ value: UInt64, width: Int) {
        pending |= value &<< UInt64(filled)
        // SAFETY: `index` is the word holding the next bit, inside the room the caller gave.
        words[index] = pending
        let total = filled &+ width
        let carry = total &>> 6
        // A full word: start the next one with the value's bits that did not fit (64 − filled
        // of them were stored; shifting in two steps gives 0, not the value, when filled is 0).
        let rest = (value &>> 1) &>> UInt64(63 &- filled)
        pending = carry == 0 ? pending : rest
        index &+= carry
        filled = total & 63
    }

    /// Stores the bits of the last word that no value has stored yet (those a value spilled into it).
    mutating func finish() {
        // SAFETY: bits are pending only in a word that holds some of the values appended.
        if filled > 0 { words[index] = pending }
    }
}
