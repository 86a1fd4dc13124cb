import SimCoreInternals

/// The postings of one shard of an LSH index (a band of ``MinHashLSH``, a band of all prefix
/// levels of ``ContainmentIndex``): a multimap from 64-bit keys to document numbers in layers,
/// as a log-structured merge tree keeps them.
///
/// - ``layers``: a few compact, immutable, sorted layers (``_FrozenPostings``: about
///   `keyBits + 2` bits per entry), oldest and largest first, shared by reference between
///   copies of the index;
/// - ``recent``: a small hash table (``_RecentPostings``) that takes single inserts, small
///   batches and every batch filed by ``insertFindingEarlier(keys:documents:firstDocument:rowCount:finds:)``,
///   and becomes a new frozen layer once it is large enough (``mergeThreshold``).
///
/// **Merge policy.** When ``recent`` reaches ``mergeThreshold``, its entries, sorted, become a
/// run of x entries; while the newest frozen layer holds fewer than ``layerRatio`` · x entries
/// (or the shard already has ``maximumLayers`` layers), that layer joins the run (x grows by its
/// size); then the run and the layers it took are written, in one k-way merge, as one new
/// layer. Every layer is thus at least ``layerRatio`` times the one after it, so a shard of n
/// entries has at most 1 + log₄(n / 2¹⁴) layers (while runs are a quarter of the frozen
/// entries, below the 2¹⁶ ceiling, at most 2: a third layer needs runs smaller than that), and
/// an entry is rewritten only when its layer is merged into one at least 5/4 times larger:
/// O(log n) times in all. A simulation of this policy (fewer than 64 key bits, entries filed
/// one at a time, each write into a frozen layer counted) gives at most 2, 2, 3 and 4 layers,
/// 2.5, 3.7, 5.1 and 6.9 writes per entry and 1.3, 1.5, 1.9 and 2.3 layers per lookup at
/// 300 K, 1 M, 3 M and 10 M entries. The 2¹⁷ ceiling before wrote 2.5, 2.9, 4.3 and 6.0 times
/// (1.3, 1.4, 1.6 and 2.1 layers per lookup) for tables twice as large: on 1,080,000
/// paragraphs with 4-bit verification the peak fell 15 MB (301 → 286 MB) in the same time.
/// Runs of an eighth of the frozen entries, the policy before that, wrote 3.9, 4.4, 4.7 and
/// 6.1 times. One frozen layer rewritten every 2¹⁷ inserts, the first policy, wrote each entry
/// 8.1, 12.8 and 38 times at 1, 3 and 10 M.
///
/// ``mergeThreshold`` bounds the hash table: as large as all frozen layers for an exact shard
/// (64 key bits, where a document's signature dwarfs its postings; the newest layer is then
/// never 4 times larger, so an exact shard keeps one layer) up to ``exactMergeCeiling`` (2²⁰
/// entries, a 32 MB table; past about two million entries runs of that size pile up as layers
/// do below), a quarter of them, at most 2¹⁶ entries (a 1.5 MB table), for a shard of fewer
/// key bits, where the postings are most of the memory. (An eighth, as before, cost the merges
/// 1.57 times the instructions on 300,000 paragraphs with 4-bit verification, for a table at
/// most half as large between 130,000 and a million entries.) Without the ceiling an exact
/// shard's table grew to half its entries: at ten million documents 4 M keys a band, 130 MB
/// each, faulted in and rehashed doubling after doubling.
///
/// A batch filed into an empty shard by ``insert(keys:documents:)`` becomes its only frozen
/// layer directly.
///
/// **Key bits.** With `keyBits` 64 the shard is exact: a lookup returns exactly the documents
/// filed under the key. With fewer (a ``Deduplicator`` keeping truncated signatures uses 32),
/// every layer files each key's top `keyBits` bits, and a lookup returns every document whose
/// key shares them: the documents filed under the key, plus, for n entries, about n·2^−keyBits
/// others, which the caller's verification rejects. Which documents a lookup returns depends
/// only on what was filed, never on how the layers split it.
struct _PostingShard: Sendable {
    /// Bits of each key kept (64: exact).
    let keyBits: Int
    /// The compact layers, oldest (largest) first.
    private(set) var layers: _FrozenLayers
    /// The recent inserts, filed under their prefixes (shared between copies until one of
    /// them inserts: copied on write).
    private(set) var recent: _RecentPostings
    /// A filter over every prefix filed (``_KeyFilter``), for a shard made `filtered` or given
    /// one by ``addFilter()``; `nil` otherwise. Shared between copies until one of them inserts.
    private(set) var filter: _KeyFilter?

    /// The smallest ``recent`` layer that triggers a merge (entries): 2¹⁴ unless a test
    /// chooses a smaller one to cross many merges with few entries.
    let mergeFloor: Int
    /// The largest ``recent`` layer of a shard that keeps fewer than 64 key bits (entries):
    /// 2¹⁶ unless a test chooses a smaller one; an exact shard's is 16 times larger
    /// (``exactMergeCeiling``).
    let mergeCeiling: Int
    /// The default ``mergeFloor``.
    static let defaultMergeFloor = 1 << 14
    /// The default ``mergeCeiling``.
    static let defaultMergeCeiling = 1 << 16
    /// The largest ``recent`` layer of an exact shard (entries): 16 × ``mergeCeiling``, 2²⁰ by
    /// default. On ten million 1 KB documents with whole signatures (14 exact bands) it took
    /// 66.1 / 58.6 s to 57.5 / 52.7 s, 3.6 / 3.5 M page faults to 2.8 / 3.0 M, and the peak
    /// 10.51 / 10.45 GB to 10.32 / 10.01 GB; below two million documents nothing changes.
    var exactMergeCeiling: Int { 16 * mergeCeiling }
    /// A merge takes in the newest frozen layer while that layer holds fewer than this many
    /// times the entries merged so far.
    static let layerRatio = 4
    /// The most frozen layers a shard keeps (a safety bound: with ``layerRatio`` 4 and runs of
    /// at least 2¹⁴ entries, 2³¹ entries need at most 10); at most `SIMK_POSTINGS_MAX_LAYERS`
    /// (16), the most the merge kernel takes.
    static let maximumLayers = 12

    /// An empty shard, with a ``filter`` if `filtered`.
    init(
        keyBits: Int = 64, filtered: Bool = false, mergeFloor: Int = _PostingShard.defaultMergeFloor,
        mergeCeiling: Int = _PostingShard.defaultMergeCeiling
    ) {
        precondition((1...64).contains(keyBits) && mergeFloor >= 1 && mergeCeiling >= mergeFloor)
        self.keyBits = keyBits
        self.mergeFloor = mergeFloor
        self.mergeCeiling = mergeCeiling
        layers = _FrozenLayers(keyBits: keyBits, [])
        recent = _RecentPostings(keyBits: keyBits)
        if filtered { filter = _KeyFilter(expectedKeys: 0) }
    }

    /// A shard whose entries are all in one frozen layer.
    init(frozen: _FrozenPostings) {
        keyBits = frozen.keyBits
        mergeFloor = Self.defaultMergeFloor
        mergeCeiling = Self.defaultMergeCeiling
        layers = _FrozenLayers(keyBits: frozen.keyBits, frozen.count > 0 ? [frozen] : [])
        recent = _RecentPostings(keyBits: frozen.keyBits)
    }

    /// The number of (key, document) entries.
    var entryCount: Int { layers.entryCount + recent.entryCount }

    /// Bytes held by all layers and the filter.
    var byteCount: Int { layers.byteCount + recent.byteCount + (filter?.byteCount ?? 0) }

    /// The top ``keyBits`` bits of `key`, under which it is filed.
    @inline(__always)
    func prefix(of key: UInt64) -> UInt64 { Self.prefix(of: key, keyBits: keyBits) }

    /// The top `keyBits` bits of `key`.
    @inline(__always)
    static func prefix(of key: UInt64, keyBits: Int) -> UInt64 { keyBits == 64 ? key : key >> UInt64(64 - keyBits) }

    /// The size of ``recent`` at which it becomes a frozen layer (see "Merge policy" above): an
    /// exact shard merges when ``recent`` holds as many entries as the frozen layers (each
    /// entry is rewritten about twice in all), at most ``exactMergeCeiling``; a shard of fewer
    /// key bits at a quarter of them, at least 2¹⁴ and at most 2¹⁶ entries, so the hash table
    /// never holds much.
    var mergeThreshold: Int {
        let frozen = layers.entryCount
        return keyBits == 64
            ? Swift.max(mergeFloor, Swift.min(frozen, exactMergeCeiling))
            : Swift.max(mergeFloor, Swift.min(frozen / 4, mergeCeiling))
    }

    /// A read-only view of all layers for lookups without reference counting, valid until
    /// the shard is next mutated.
    var view: _ShardView { _ShardView(keyBits: keyBits, frozen: layers.views, recent: recent.view, filter: filter?.view ?? .all) }

    /// Calls `body` with every document filed under `key` (see "Key bits" above).
    func forEachDocument(withKey key: UInt64, _ body: (Int32) -> Void) {
        view.forEachDocument(withKey: key, body)
    }

    /// Files `document` under `key`; `document` is not below any document filed before.
    mutating func insert(key: UInt64, document: Int32) {
        let prefix = prefix(of: key)
        addToFilter(1) { _ in prefix }
        if !isKnownUniquelyReferenced(&recent) { recent = _RecentPostings(copying: recent) }
        recent.insert(key: prefix, document: document)
        if recent.entryCount >= mergeThreshold { merge(adding: []) }
    }

    /// Files a batch: `keys[i]` under `documents[i]`, documents not decreasing and not below any
    /// document filed before. An empty shard becomes one frozen layer; otherwise the batch goes
    /// into ``recent``, or, when that would reach the merge threshold, ``recent`` and the batch
    /// become a frozen layer.
    mutating func insert(keys: UnsafeBufferPointer<UInt64>, documents: UnsafeBufferPointer<Int32>) {
        precondition(keys.count == documents.count)
        guard !keys.isEmpty else { return }
        let keyBits = keyBits
        addToFilter(keys.count) { Self.prefix(of: keys[$0], keyBits: keyBits) }
        if entryCount == 0 || recent.entryCount + keys.count >= mergeThreshold {
            var run = (0..<keys.count).map { _PostingEntry(prefix: prefix(of: keys[$0]), document: UInt32(documents[$0])) }
            _sortByPrefix(&run, keyBits: keyBits)
            merge(adding: run)
        } else {
            if !isKnownUniquelyReferenced(&recent) { recent = _RecentPostings(copying: recent) }
            let table = recent
            let distance = Self.insertPrefetchDistance
            // The slots of the key `distance` places ahead are asked for first: each insert's
            // probe is a cache miss in a table of megabytes, which nothing else overlapped.
            for i in 0..<Swift.min(distance, keys.count) { table.prefetchSlot(of: prefix(of: keys[i])) }
            for i in 0..<keys.count {
                if i &+ distance < keys.count { table.prefetchSlot(of: prefix(of: keys[i &+ distance])) }
                table.insert(key: prefix(of: keys[i]), document: documents[i])
            }
        }
    }

    /// Files a batch as single inserts would, entry after entry, and finds for each entry the
    /// documents filed before it under its prefix (``_BatchCandidates``): the frozen layers are
    /// looked up, and the recent table's insert hands back the list the entry joins, so each
    /// entry probes its slot once.
    ///
    /// ``recent`` becomes a frozen layer whenever it reaches ``mergeThreshold``, as it does
    /// under single inserts; the layers differ from those of
    /// ``insert(keys:documents:)``, what lookups return does not.
    ///
    /// With `finds`, only the entries it marks find their earlier documents (a
    /// ``ContainmentIndex`` files each document under several keys and queries one of them in
    /// its own partition); the others are filed alone, with no lookup.
    ///
    /// - Parameters:
    ///   - keys: One key per entry.
    ///   - documents: The document of each entry, not decreasing, from `firstDocument` on (row
    ///     `documents[i] − firstDocument` of the batch, below `rowCount`), not below any filed
    ///     before; increasing over the entries that find (one per row at most).
    ///   - firstDocument: The document of the batch's row 0.
    ///   - rowCount: The batch's rows (rows without an entry that finds find nothing).
    ///   - finds: Whether each entry finds its earlier documents; `nil`: every entry does.
    /// - Returns: The documents found, by row.
    /// - Complexity: O(entries + entries that find · layers + documents found), amortized.
    mutating func insertFindingEarlier(
        keys: UnsafeBufferPointer<UInt64>, documents: UnsafeBufferPointer<Int32>, firstDocument: Int32, rowCount: Int,
        finds: UnsafeBufferPointer<Bool>? = nil
    ) -> _RowCandidates {
        precondition(keys.count == documents.count && (finds == nil || finds!.count == keys.count))
        var found = _RowCandidates(rowCount: rowCount)
        let keyBits = keyBits
        addToFilter(keys.count) { Self.prefix(of: keys[$0], keyBits: keyBits) }
        let group = Self.lookupGroup
        let limit = Self.foundLimit
        // The frozen layers' documents found for the current group, at most `limit` per entry:
        // (lookup: the entry's number among the group's members that find, document), and how
        // many each lookup has.
        var frozenFound: [(lookup: Int, document: Int32)] = []
        var frozenCounts = [Int](repeating: 0, count: group)
        // SAFETY: `prefixes` holds a group's prefixes, then those of its members that find.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * group) { prefixes in
            let lookedUp = prefixes.baseAddress! + group
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * group * Self.maximumLayers) { scratch in
                var entry = 0
                while entry < keys.count {
                    if !isKnownUniquelyReferenced(&recent) { recent = _RecentPostings(copying: recent) }
                    let threshold = mergeThreshold
                    // Until the next merge the frozen layers and the recent table stay the same
                    // objects. Their local references end before the merge below, which finds
                    // the recent table uniquely referenced and empties it in place.
                    do {
                        let frozen = layers
                        let table = recent
                        withExtendedLifetime(frozen) {
                            let views = frozen.views
                            // `scratch` holds two integers per (entry of a group, layer).
                            precondition(views.count <= Self.maximumLayers, "more frozen layers than the merge policy keeps")
                            while entry < keys.count && table.entryCount < threshold {
                                // A group ends before the recent table reaches the threshold, so no
                                // merge happens between a group's lookups and its inserts.
                                let count = Swift.min(group, keys.count &- entry, threshold &- table.entryCount)
                                // SAFETY: entry + member < keys.count == documents.count, and
                                // member < count ≤ group, the room of `prefixes`.
                                for member in 0..<count {
                                    prefixes[member] = Self.prefix(of: keys[entry &+ member], keyBits: keyBits)
                                    table.prefetchSlot(of: prefixes[member])
                                }
                                // The next group's directory entries are asked for now: its
                                // lookups' first step then finds them in cache.
                                // SAFETY: ahead < keys.count.
                                for ahead in (entry &+ count)..<Swift.min(keys.count, entry &+ count &+ group) where finds?[ahead] ?? true {
                                    let prefix = Self.prefix(of: keys[ahead], keyBits: keyBits)
                                    for layer in views { layer.prefetchDirectory(ofPrefix: prefix) }
                                }
                                frozenFound.removeAll(keepingCapacity: true)
                                // The members that find, in order: the frozen layers' lookups
                                // number them 0..<finding.
                                var finding = 0
                                for member in 0..<count where finds?[entry &+ member] ?? true {
                                    lookedUp[finding] = prefixes[member]
                                    frozenCounts[finding] = 0
                                    finding &+= 1
                                }
                                _FrozenView.forEachDocument(
                                    in: views, withPrefixes: UnsafeBufferPointer(start: lookedUp, count: finding),
                                    scratch: scratch.baseAddress!
                                ) { lookup, document in
                                    if frozenCounts[lookup] < limit { frozenFound.append((lookup, document)) }
                                    frozenCounts[lookup] &+= 1
                                }
                                var next = 0
                                var lookup = 0
                                for member in 0..<count {
                                    let document = documents[entry &+ member]
                                    let previous = table.insert(key: prefixes[member], document: document)
                                    guard finds?[entry &+ member] ?? true else { continue }
                                    let row = Int(document) &- Int(firstDocument)
                                    precondition(
                                        row >= found.rowStarts.count && row < rowCount, "documents not increasing within the batch's rows")
                                    found.start(row: row)
                                    var rowFound = frozenCounts[lookup]
                                    while next < frozenFound.count && frozenFound[next].lookup == lookup {
                                        found.append(frozenFound[next].document)
                                        next &+= 1
                                    }
                                    lookup &+= 1
                                    table.view.forEachDocument(fromEntry: previous) { earlier in
                                        if rowFound < limit { found.append(earlier) }
                                        rowFound &+= 1
                                    }
                                    if rowFound > limit { found.overflow(row: row) }
                                }
                                entry &+= count
                            }
                        }
                    }
                    if recent.entryCount >= threshold { merge(adding: []) }
                }
            }
        }
        found.finish(rowCount: rowCount)
        return found
    }

    /// How many keys ahead ``insert(keys:documents:)`` asks for a key's slots in ``recent`` (and
    /// ``addToFilter(_:_:)`` for its filter block).
    static let insertPrefetchDistance = 8

    /// Entries whose frozen-layer lookups ``insertFindingEarlier(keys:documents:firstDocument:rowCount:finds:)``
    /// runs together, step by step, so that their cache misses overlap.
    static let lookupGroup = 32

    /// The most earlier documents ``insertFindingEarlier(keys:documents:firstDocument:rowCount:finds:)``
    /// keeps for one entry: past it the row is marked overflowed (``_RowCandidates/overflowRows``)
    /// and its query looks its keys up, as it did before candidates were found while filing.
    /// Near-duplicate clusters stay below it; a key that thousands of copies share would
    /// otherwise hold a batch's rows times those copies in memory at once.
    static let foundLimit = 64

    /// Adds `count` prefixes, `prefix(0)` to `prefix(count − 1)`, to ``filter`` if the shard has
    /// one: copied first if another copy of the shard shares it, or made anew, twice as large,
    /// from every entry when they would take it past its capacity.
    private mutating func addToFilter(_ count: Int, _ prefix: (Int) -> UInt64) {
        // No local reference to the filter before the uniqueness check: it would count.
        guard filter != nil else { return }
        if filter!.count + count > filter!.capacity {
            filter = filterOfEntries(expectedKeys: entryCount + count)
        } else if !isKnownUniquelyReferenced(&filter) {
            filter = _KeyFilter(copying: filter!)
        }
        let target = filter!
        let distance = Self.insertPrefetchDistance
        for index in 0..<Swift.min(distance, count) { target.prefetchBlock(of: prefix(index)) }
        for index in 0..<count {
            if index &+ distance < count { target.prefetchBlock(of: prefix(index &+ distance)) }
            target.insert(prefix(index))
        }
    }

    /// Gives the shard a ``filter`` of the prefixes it holds (a shard read from a file, which
    /// does not save one).
    mutating func addFilter() {
        filter = filterOfEntries(expectedKeys: entryCount)
    }

    /// A filter sized for `expectedKeys` (at least ``entryCount``) holding the prefix of every
    /// entry: each frozen layer's, read in order, and each key of ``recent``.
    private func filterOfEntries(expectedKeys: Int) -> _KeyFilter {
        let made = _KeyFilter(expectedKeys: expectedKeys)
        // Region by region (``_KeyFilterFiller``): the entries come in key order, scattered
        // over a filter of megabytes.
        let filler = _KeyFilterFiller(filling: made)
        withExtendedLifetime(layers) {
            for layer in layers.views {
                var cursor = _FrozenView.Cursor(layer)
                while let entry = cursor.next() { filler.insert(entry.prefix) }
            }
        }
        recent.forEachKey { filler.insert($0) }
        filler.flush()
        return made
    }

    /// Writes ``recent`` and `run` (sorted by (prefix, document), documents after ``recent``'s)
    /// as a new frozen layer, merged with the newest layers as "Merge policy" above says, or
    /// with every layer when `everything` is set.
    private mutating func merge(adding run: [_PostingEntry], everything: Bool = false) {
        var newer = recent.sortedEntries
        if !run.isEmpty { newer = _mergeSorted(newer, run) }
        var kept = layers.layers
        var merged: [_FrozenPostings] = []
        var size = newer.count
        while let newest = kept.last, everything || newest.count < Self.layerRatio * size || kept.count >= Self.maximumLayers {
            merged.append(kept.removeLast())
            size += newest.count
        }
        if size > 0 { kept.append(_FrozenPostings(keyBits: keyBits, merging: merged, with: newer)) }
        layers = _FrozenLayers(keyBits: keyBits, kept)
        if keyBits < 64 && !everything && isKnownUniquelyReferenced(&recent) {
            // The table fills to this size again before the next merge (the threshold only
            // rises with the frozen entries, up to the ceiling: 1.5 MiB at most): emptied in
            // place, not grown anew.
            recent.removeAll()
        } else {
            // A small table that grows as inserts come: for an exact shard, whose table grows
            // to tens of megabytes and which (in a containment index) fills at its own pace, so
            // that keeping every shard's at its largest held more at once (overlap measure,
            // 300,000 paragraphs: peak 1.06-1.11 -> 1.20-1.23 GB); after a compaction (which ends
            // a run or precedes a measurement: an engine reads `byteCount` as its footprint);
            // and where another copy of the shard still reads this one.
            recent = _RecentPostings(keyBits: keyBits)
        }
    }

    /// Merges ``recent`` and every frozen layer into one frozen layer (a saved or measured
    /// shard is then all compact, and a lookup reads one layer).
    mutating func compact() {
        if recent.entryCount > 0 || layers.layers.count > 1 { merge(adding: [], everything: true) }
    }

    /// Every entry in (prefix, document) order.
    var sortedEntries: [_PostingEntry] {
        var entries: [_PostingEntry] = []
        entries.reserveCapacity(entryCount)
        forEachSortedEntry { entries.append(_PostingEntry(prefix: $0, document: $1)) }
        return entries
    }

    /// Calls `body` with every entry's prefix and document in (prefix, document) order, merged
    /// from the layers as it goes: ``sortedEntries`` without the array (16 bytes an entry, 160 MB
    /// a band at ten million documents, faulted in fresh at each save and load check).
    func forEachSortedEntry(_ body: (UInt64, UInt32) -> Void) {
        let newer = recent.sortedEntries
        withExtendedLifetime(layers) { _FrozenView.merge(Array(layers.views), with: newer, body) }
    }

    /// Files a batch into a set of shards on `threads` cores, one worker per shard, no locks.
    /// The result does not depend on `threads`.
    ///
    /// - Parameters:
    ///   - shards: The shards (bands).
    ///   - documents: The document of each key, the same list for every shard, not decreasing.
    ///   - keys: Shard `i`'s keys, one per element of `documents`.
    static func fill(
        _ shards: inout [_PostingShard], documents: [Int32], threads: Int, keys: @Sendable (Int) -> [UInt64]
    ) {
        shards.withUnsafeMutableBufferPointer { shards in
            let box = SendableMutablePointer(base: shards.baseAddress!)
            _ = concurrentChunks(count: shards.count, threads: threads) { range in
                for shard in range {
                    let shardKeys = keys(shard)
                    // SAFETY: each shard is touched only by the chunk that owns it.
                    shardKeys.withUnsafeBufferPointer { k in
                        documents.withUnsafeBufferPointer { box.base[shard].insert(keys: k, documents: $0) }
                    }
                }
                return 0
            }
        }
    }

    /// Files a batch into a set of shards on `threads` cores, one task per shard, no locks, and
    /// finds each row's earlier documents in every shard
    /// (``insertFindingEarlier(keys:documents:firstDocument:rowCount:finds:)``). The result does not
    /// depend on `threads`.
    ///
    /// - Parameters:
    ///   - shards: The shards (bands).
    ///   - documents: The document of each key, the same list for every shard, not decreasing,
    ///     from `firstDocument` (the batch's row 0) on, and increasing over the keys that find.
    ///   - rowCount: The batch's rows.
    ///   - alongside: Work of the caller's that touches no shard, run as one more task (the
    ///     first, so that the shards' tasks balance around it).
    ///   - keys: Shard `i`'s keys, one per element of `documents`.
    ///   - finds: Which of shard `i`'s keys find their earlier documents, one per key; `nil`:
    ///     all (then `documents` has one entry per row that is filed).
    static func fillFindingEarlier(
        _ shards: inout [_PostingShard], documents: [Int32], firstDocument: Int32, rowCount: Int, threads: Int,
        alongside: @Sendable () -> Void, keys: @Sendable (Int) -> [UInt64], finds: (@Sendable (Int) -> [Bool])? = nil
    ) -> _BatchCandidates {
        let found = UnsafeMutableBufferPointer<_RowCandidates>.allocate(capacity: shards.count)
        found.initialize(repeating: _RowCandidates(rowCount: 0))
        defer { found.deinitialize().deallocate() }
        let output = SendableMutablePointer(base: found.baseAddress!)
        shards.withUnsafeMutableBufferPointer { shards in
            let box = SendableMutablePointer(base: shards.baseAddress!)
            // One task per shard, taken by whichever worker is free: shards differ in cost.
            concurrentTasks(count: shards.count + 1, threads: threads) { task in
                guard task > 0 else { return alongside() }
                let shard = task - 1
                let shardKeys = keys(shard)
                let shardFinds = finds?(shard)
                // SAFETY: each shard and its slot of `found` are touched only by its task.
                output.base[shard] = shardKeys.withUnsafeBufferPointer { k in
                    documents.withUnsafeBufferPointer { d in
                        Self.withOptionalBuffer(of: shardFinds) { f in
                            box.base[shard].insertFindingEarlier(
                                keys: k, documents: d, firstDocument: firstDocument, rowCount: rowCount, finds: f)
                        }
                    }
                }
            }
        }
        return _BatchCandidates(rowCount: rowCount, shards: Array(found))
    }

    /// Calls `body` with a buffer over `array`'s elements, or with `nil` when there is no array.
    private static func withOptionalBuffer<Element, Result>(
        of array: [Element]?, _ body: (UnsafeBufferPointer<Element>?) -> Result
    ) -> Result {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0) }
    }

    /// Gives every shard a filter of its entries (``addFilter()``), on `threads` cores.
    static func addFilters(_ shards: inout [_PostingShard], threads: Int) {
        forEach(&shards, threads: threads) { $0.addFilter() }
    }

    /// Merges every shard's layers into one frozen layer (``compact()``), on `threads` cores.
    static func compact(_ shards: inout [_PostingShard], threads: Int) {
        forEach(&shards, threads: threads) { $0.compact() }
    }

    /// Calls `body` on every shard, on `threads` cores, each shard on one of them.
    private static func forEach(_ shards: inout [_PostingShard], threads: Int, _ body: @Sendable (inout _PostingShard) -> Void) {
        shards.withUnsafeMutableBufferPointer { shards in
            guard let base = shards.baseAddress else { return }
            let box = SendableMutablePointer(base: base)
            _ = concurrentChunks(count: shards.count, threads: threads) { range in
                // SAFETY: each shard is touched only by the chunk that owns it.
                for shard in range { body(&box.base[shard]) }
                return 0
            }
        }
    }
}

/// One posting: a key's top bits and a document.
struct _PostingEntry: Sendable, Equatable {
    var prefix: UInt64
    var document: UInt32
}

/// The frozen layers of a shard (``_PostingShard/layers``), oldest first, with a view of each
/// for lookups; immutable, so copies of a shard share it.
final class _FrozenLayers: @unchecked Sendable {
    // SAFETY: `views` is allocated and written by the initializer only, read-only afterwards,
    // and freed by deinit; its views point into `layers`, which this object keeps alive.
    /// The layers.
    let layers: [_FrozenPostings]
    /// A view of each layer.
    let views: UnsafeBufferPointer<_FrozenView>
    /// Entries in all layers.
    let entryCount: Int

    /// Layers of `keyBits`-bit prefixes, oldest first.
    init(keyBits: Int, _ layers: [_FrozenPostings]) {
        precondition(layers.allSatisfy { $0.keyBits == keyBits }, "layers of other key bits")
        self.layers = layers
        let views = UnsafeMutableBufferPointer<_FrozenView>.allocate(capacity: layers.count)
        _ = views.initialize(fromContentsOf: layers.map(\.view))
        self.views = UnsafeBufferPointer(views)
        entryCount = layers.reduce(0) { $0 + $1.count }
    }

    deinit { views.deallocate() }

    /// Bytes held by the layers.
    var byteCount: Int { layers.reduce(0) { $0 + $1.byteCount } }
}

/// All layers of a shard as raw pointers (``_PostingShard/view``).
struct _ShardView {
    let keyBits: Int
    /// The frozen layers' views (owned by the shard's ``_FrozenLayers``).
    let frozen: UnsafeBufferPointer<_FrozenView>
    let recent: _RecentView
    /// The shard's filter, or ``_KeyFilterView/all`` for a shard without one.
    let filter: _KeyFilterView

    /// Whether a document may be filed under `key`: false only if none certainly is (the
    /// shard's ``_PostingShard/filter``; always true without one).
    @inline(__always)
    func mayHold(key: UInt64) -> Bool { filter.mayContain(prefix(of: key)) }

    /// Asks for the cache line that ``mayHold(key:)`` of `key` reads (a hint: nothing changes).
    @inline(__always)
    func prefetchFilter(key: UInt64) { filter.prefetch(prefix(of: key)) }

    /// Calls `body` with every document filed under `key`'s top ``keyBits`` bits: each frozen
    /// layer's in increasing order, then the recent one's.
    @inline(__always)
    func forEachDocument(withKey key: UInt64, _ body: (Int32) -> Void) {
        let prefix = prefix(of: key)
        for layer in frozen { layer.forEachDocument(withPrefix: prefix, body) }
        recent.forEachDocument(withKey: prefix, body)
    }

    /// Calls `body` with every document filed under `keys[i]` in shard `views[i]`, for every
    /// i: the same documents as one ``forEachDocument(withKey:_:)`` per shard, in another order.
    ///
    /// A lookup in a frozen layer is three dependent loads, usually cache misses in a large
    /// index (the directory, the upper bits, the fingerprints). One shard after another, each
    /// lookup waits for its own misses; here each step is done for every (shard, layer) before
    /// the next step, so the loads of one step are independent and the processor overlaps
    /// them.
    ///
    /// - Parameters:
    ///   - views: One view per shard.
    ///   - keys: One key per shard.
    ///   - scratch: Room for two integers per frozen layer of all the views.
    ///   - body: Receives each document (a document filed under several keys, several times).
    /// - Complexity: O(layers + documents found).
    @inline(__always)
    static func forEachDocument(
        in views: UnsafeMutableBufferPointer<_ShardView>, withKeys keys: UnsafeBufferPointer<UInt64>,
        scratch: UnsafeMutablePointer<Int>, _ body: (Int32) -> Void
    ) {
        // SAFETY: keys.count ≥ views.count (the caller's precondition); `scratch` holds two
        // integers per layer, and `lookup` counts layers in the same order in every pass.
        /// Calls `step` with every lookup (a shard's prefix, one of its layers, the lookup's
        /// number), and `shardDone` after each shard's layers.
        @inline(__always)
        func forEachLookup(_ step: (UInt64, _FrozenView, Int) -> Void, shardDone: (_ShardView, UInt64) -> Void) {
            var lookup = 0
            for shard in 0..<views.count {
                let view = views[shard]
                let prefix = view.prefix(of: keys[shard])
                for layer in view.frozen {
                    step(prefix, layer, lookup)
                    lookup &+= 1
                }
                shardDone(view, prefix)
            }
        }
        // Pass 1: the directory entry of every lookup; the recent layers' slots asked for.
        forEachLookup({ prefix, layer, lookup in
            scratch[lookup &* 2] = layer.count > 0 ? layer.directoryPosition(ofBucket: layer.bucket(of: prefix)) : -1
        }, shardDone: { view, prefix in view.recent.prefetchSlot(of: prefix) })
        // Pass 2: each lookup's entries, from the upper bits; the recent layers' first entries
        // asked for.
        forEachLookup({ prefix, layer, lookup in
            let position = scratch[lookup &* 2]
            (scratch[lookup &* 2], scratch[lookup &* 2 &+ 1]) = position >= 0 ? layer.entries(ofBucket: layer.bucket(of: prefix), from: position) : (0, 0)
        }, shardDone: { view, prefix in view.recent.prefetchFirstEntry(withKey: prefix) })
        // Pass 3: the fingerprints of the entries found, and the recent layers.
        forEachLookup({ prefix, layer, lookup in
            let (start, end) = (scratch[lookup &* 2], scratch[lookup &* 2 &+ 1])
            if start < end { layer.forEachDocument(withPrefix: prefix, in: start, end, body) }
        }, shardDone: { view, prefix in view.recent.forEachDocument(withKey: prefix, body) })
    }

    /// The top ``keyBits`` bits of `key`.
    @inline(__always)
    func prefix(of key: UInt64) -> UInt64 { keyBits == 64 ? key : key >> UInt64(64 &- keyBits) }
}

extension _PostingTable {
    /// Calls `body` with every (key, entry index) of every list.
    func forEachList(_ body: (UInt64, Int) -> Void) {
        for slot in slotKeys.indices where slotHeads[slot] >= 0 {
            var entry = slotHeads[slot]
            while entry >= 0 {
                body(slotKeys[slot], Int(entry))
                entry = entryNext[Int(entry)]
            }
        }
    }
}

/// Merges two runs sorted by (prefix, document).
func _mergeSorted(_ a: [_PostingEntry], _ b: [_PostingEntry]) -> [_PostingEntry] {
    guard !a.isEmpty else { return b }
    guard !b.isEmpty else { return a }
    var merged: [_PostingEntry] = []
    merged.reserveCapacity(a.count + b.count)
    var i = 0
    var j = 0
    while i < a.count && j < b.count {
        if (a[i].prefix, a[i].document) <= (b[j].prefix, b[j].document) {
            merged.append(a[i])
            i += 1
        } else {
            merged.append(b[j])
            j += 1
        }
    }
    merged.append(contentsOf: a[i...])
    merged.append(contentsOf: b[j...])
    return merged
}

/// Sorts entries by (prefix, document): counting passes scatter them by their prefix's top bits
/// (about one entry per bucket at the end: prefixes are hash bits, so buckets stay small), then
/// each bucket is sorted in place (insertion sort, which is linear on the usual run of one key's
/// documents in increasing order; the standard library's sort for a large bucket of mixed keys).
///
/// Up to 2¹² buckets take one pass. More take two: the top 10 bits first, then the next bits
/// within each of those 1,024 buckets. A single pass into 2²⁰ buckets (a loaded state's run of
/// 2²⁰ entries) wrote each entry to a random place in 16 MB, a cache and TLB miss apiece: 17% of
/// loading a million paragraphs' state. The first of two passes writes to 1,024 places at a
/// time, the second to at most 4,096 inside one of those buckets.
func _sortByPrefix(_ entries: inout [_PostingEntry], keyBits: Int) {
    let count = entries.count
    guard count > 256 else {
        entries.sort(by: _precedes)
        return
    }
    let bucketBits = Swift.min(keyBits, Swift.min(22, Int.bitWidth - count.leadingZeroBitCount))
    // Uninitialized: the first scatter writes every entry (a trivial type needs no deinit).
    let scratch = UnsafeMutableBufferPointer<_PostingEntry>.allocate(capacity: count)
    defer { scratch.deallocate() }
    entries.withUnsafeMutableBufferPointer { entries in
        guard bucketBits > 12 else {
            let starts = _scatterByPrefix(entries, into: scratch, bits: bucketBits, shift: keyBits - bucketBits)
            _sortBuckets(scratch, starts: starts)
            _ = entries.update(fromContentsOf: scratch)
            return
        }
        let topBits = 10
        let top = _scatterByPrefix(entries, into: scratch, bits: topBits, shift: keyBits - topBits)
        for bucket in 0..<(top.count - 1) where top[bucket + 1] > top[bucket] {
            let range = top[bucket]..<top[bucket + 1]
            let source = UnsafeMutableBufferPointer(rebasing: scratch[range])
            let target = UnsafeMutableBufferPointer(rebasing: entries[range])
            // Every entry of the bucket shares its top ten bits: the next ones group it.
            let starts = _scatterByPrefix(source, into: target, bits: bucketBits - topBits, shift: keyBits - bucketBits)
            _sortBuckets(target, starts: starts)
        }
    }
}

/// Whether `a` sorts before `b`: by prefix, then by document.
@inline(__always)
private func _precedes(_ a: _PostingEntry, _ b: _PostingEntry) -> Bool {
    a.prefix < b.prefix || (a.prefix == b.prefix && a.document < b.document)
}

/// Writes `input` to `output` (as many entries) grouped by the `bits` bits of each prefix above
/// its lowest `shift`, in increasing order of those bits, each group in input order; returns
/// where each group starts, then the end (2^`bits` + 1 offsets).
private func _scatterByPrefix(
    _ input: UnsafeMutableBufferPointer<_PostingEntry>, into output: UnsafeMutableBufferPointer<_PostingEntry>, bits: Int, shift: Int
) -> [Int] {
    let mask = UInt64(1) << UInt64(bits) &- 1
    let shift = UInt64(shift)
    var starts = [Int](repeating: 0, count: (1 << bits) + 1)
    starts.withUnsafeMutableBufferPointer { starts in
        // SAFETY: every bucket index is masked below 2^bits, and the offsets partition
        // 0..<input.count, which is output.count: each place of `output` is written once (it
        // may be uninitialized; entries are a trivial type).
        for entry in input { starts[Int(truncatingIfNeeded: (entry.prefix &>> shift) & mask) &+ 1] &+= 1 }
        for bucket in 1..<starts.count { starts[bucket] &+= starts[bucket &- 1] }
        var next = Array(starts.dropLast())
        next.withUnsafeMutableBufferPointer { next in
            for entry in input {
                let bucket = Int(truncatingIfNeeded: (entry.prefix &>> shift) & mask)
                (output.baseAddress! + next[bucket]).initialize(to: entry)
                next[bucket] &+= 1
            }
        }
    }
    return starts
}

/// Sorts each group of `entries` that `starts` delimits (see ``_scatterByPrefix(_:into:bits:shift:)``).
private func _sortBuckets(_ entries: UnsafeMutableBufferPointer<_PostingEntry>, starts: [Int]) {
    for bucket in 0..<(starts.count &- 1) where starts[bucket &+ 1] &- starts[bucket] > 1 {
        var run = UnsafeMutableBufferPointer(rebasing: entries[starts[bucket]..<starts[bucket &+ 1]])
        if run.count > 32 {
            run.sort(by: _precedes)
            continue
        }
        for i in 1..<run.count {
            let entry = run[i]
            var j = i
            while j > 0 && _precedes(entry, run[j &- 1]) {
                run[j] = run[j &- 1]
                j &-= 1
            }
            run[j] = entry
        }
    }
}
