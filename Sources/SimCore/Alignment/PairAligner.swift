import SimCoreInternals

/// The alignment kernel: seeds from shared word n-grams, runs along diagonals, chains of runs.
///
/// 1. **Index A.** An open-addressing table maps each of A's n-gram hashes to its occurrences
///    (a chain through `next`, in increasing position) and counts them.
/// 2. **Seeds.** Each n-gram of B is looked up (once, the slot remembered); an n-gram that occurs
///    at most ``AlignmentOptions/maximumSeedRepeats`` times on both sides gives a seed (i, j) for
///    every pair of occurrences. Seeds come out in order of j.
/// 3. **Runs.** A seed extends the run on its diagonal j − i when it starts within
///    `width + maximumGap` words of that run's last seed (a substituted word removes `width`
///    seeds but keeps the diagonal); otherwise it opens a run. A run covers its seeds' words and
///    counts the words its seeds cover as matched.
/// 4. **Chains.** Runs, in order of their start in A, join the best open chain (most matched
///    words, then smallest gap) that they follow on both sides, with at most `maximumGap` words
///    between them on either side: this bridges inserted and deleted words, which move the
///    diagonal. A chain with at least `minimumPassageWords` matched words is a passage.
/// 5. **No overlap.** Where a text repeats itself, chains can overlap on one side (one stretch of
///    A chained to each copy of it in B, or two diagonals through the same words). When any two
///    passages share a word or a byte on either side, passages are taken best first (most
///    matched words, then first in A, then in B: a total order, so the result is deterministic);
///    each later chain loses the words taken before it on either side, run by run along its
///    diagonals, keeps the words its seeds still cover, and is chained again from what is left
///    (never across a taken word). What still has `minimumPassageWords` matched words is a
///    passage. Chains that overlap nothing come out exactly as step 4 made them.
///
/// Work is linear in the two lengths plus the seeds, which the repeat cap bounds by
/// `maximumSeedRepeats` per n-gram of B: never quadratic (step 5, taken only when passages
/// overlap, adds a sort of the chains and one look at each word of each run, against a bit per
/// word of each text). A `_PairAligner` owns its buffers and reuses them; A's table stays valid
/// across calls to ``align(_:with:)`` until the next ``index(_:)``.
final class _PairAligner {
    let width: Int
    let maximumGap: Int
    let minimumPassageWords: Int
    let maximumRepeats: Int

    private let slots = ScratchBuffer<_GramSlot>()
    private var slotMask = 0
    /// One bit per hash of A (bits 40 and up pick it): most of B's n-grams that A lacks are
    /// turned away here, in a few kilobytes that stay in L1, before any probe of the table.
    private let filter = ScratchBuffer<UInt64>()
    private var filterMask = 0
    private let next = ScratchBuffer<Int32>()
    private let slotOfB = ScratchBuffer<Int32>()
    private let active = ScratchBuffer<_Run>()
    private let runs = ScratchBuffer<_Run>()
    private let chains = ScratchBuffer<_Chain>()
    private let open = ScratchBuffer<Int32>()
    /// The chain each run (in the order step 4 sorts them) joined.
    private let runChains = ScratchBuffer<Int32>()
    private var chainCount = 0
    private var indexedGrams = 0

    init(options: AlignmentOptions) {
        width = options.ngramWidth
        maximumGap = options.maximumGap
        minimumPassageWords = options.minimumPassageWords
        maximumRepeats = AlignmentOptions.maximumSeedRepeats
    }

    /// Builds A's n-gram table.
    func index(_ a: _WordTokens) {
        let grams = a.gramCount
        indexedGrams = grams
        var capacity = 16
        while capacity < grams &* 2 { capacity &<<= 1 }
        let slotMask = capacity &- 1
        self.slotMask = slotMask
        let table = slots.reserve(capacity).baseAddress!
        for slot in 0..<capacity { table[slot].countA = 0 }
        // Eight bits per n-gram: about one miss in eight gets past the filter.
        let filterWords = Swift.max(1, capacity / 16)
        filterMask = filterWords &* 64 &- 1
        let bits = filter.reserve(filterWords).baseAddress!
        bits.update(repeating: 0, count: filterWords)
        guard grams > 0 else { return }
        let chain = next.reserve(grams).baseAddress!
        let hashes = a.gramHashes.storage.baseAddress!
        let filterMask = filterMask
        for position in 0..<grams {
            let bit = Int(truncatingIfNeeded: hashes[position] >> 40) & filterMask
            bits[bit &>> 6] |= 1 &<< UInt64(bit & 63)
        }
        // Backwards, so that each chain lists positions in increasing order.
        for position in stride(from: grams &- 1, through: 0, by: -1) {
            let hash = hashes[position]
            var slot = Int(truncatingIfNeeded: hash) & slotMask
            while table[slot].countA != 0 && table[slot].key != hash { slot = (slot &+ 1) & slotMask }
            if table[slot].countA == 0 {
                table[slot] = _GramSlot(key: hash, head: Int32(truncatingIfNeeded: position), countA: 1, countB: 0)
                chain[position] = -1
            } else {
                chain[position] = table[slot].head
                table[slot].head = Int32(truncatingIfNeeded: position)
                if table[slot].countA < UInt16.max { table[slot].countA &+= 1 }
            }
        }
    }

    /// The slot of `hash` in A's table, or -1.
    @inline(__always)
    private static func find(_ hash: UInt64, _ table: UnsafeMutablePointer<_GramSlot>, mask slotMask: Int) -> Int {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while table[slot].countA != 0 {
            if table[slot].key == hash { return slot }
            slot = (slot &+ 1) & slotMask
        }
        return -1
    }

    /// Aligns B against the indexed A.
    ///
    /// - Parameters:
    ///   - a: The tokens ``index(_:)`` was given.
    ///   - b: The other text's tokens.
    /// - Returns: The alignment, byte ranges into the texts the tokens came from.
    func align(_ a: _WordTokens, with b: _WordTokens) -> Alignment {
        assert(a.gramCount == indexedGrams, "align(_:with:) needs index(_:) of the same tokens")
        let runCount = seeds(b)
        // B's counts in A's table stay until step 5 is done: it tells seeds apart by them.
        defer { clearCountsOfB(b) }
        var passages = chainRuns(runCount)
        if Self.overlap(passages, a, b) { passages = separate(runCount: runCount, a, b) }
        var result: [AlignedPassage] = []
        result.reserveCapacity(passages.count)
        for chain in passages {
            let iStart = Int(chain.iStart), iEnd = Int(chain.iEnd), jStart = Int(chain.jStart), jEnd = Int(chain.jEnd)
            result.append(AlignedPassage(
                bytesA: Int(a.starts.storage[iStart])..<Int(a.ends.storage[iEnd - 1]),
                bytesB: Int(b.starts.storage[jStart])..<Int(b.ends.storage[jEnd - 1]),
                wordsA: iStart..<iEnd, wordsB: jStart..<jEnd, matchedWords: Int(chain.matched)))
        }
        return Alignment(passages: result, wordCountA: a.count, wordCountB: b.count)
    }

    /// Steps 2 and 3: seeds of B against A's table, grown into runs; returns the number of runs.
    private func seeds(_ b: _WordTokens) -> Int {
        let grams = b.gramCount
        guard grams > 0, indexedGrams > 0 else { return 0 }
        let table = slots.storage.baseAddress!
        let hashes = b.gramHashes.storage.baseAddress!
        let slotOf = slotOfB.reserve(grams).baseAddress!
        let mask = slotMask, filterMask = filterMask
        let bits = UnsafePointer(filter.storage.baseAddress!)
        for position in 0..<grams {
            let hash = hashes[position]
            let bit = Int(truncatingIfNeeded: hash >> 40) & filterMask
            guard bits[bit &>> 6] & (1 &<< UInt64(bit & 63)) != 0 else {
                slotOf[position] = -1
                continue
            }
            let slot = Self.find(hash, table, mask: mask)
            slotOf[position] = Int32(truncatingIfNeeded: slot)
            if slot >= 0 && table[slot].countB < UInt16.max { table[slot].countB &+= 1 }
        }
        let chain = UnsafePointer(next.storage.baseAddress!)
        var activeCount = 0
        var runCount = 0
        // Buffers are read once here and again only after they grow: a class property read per
        // seed costs an exclusivity check.
        var activeRuns = active.storage.baseAddress!
        var activeCapacity = active.storage.count
        var finished = runs.storage.baseAddress!
        var finishedCapacity = runs.storage.count
        @inline(__always) func finish(_ run: _Run) {
            if runCount == finishedCapacity {
                let grown = runs.grow(to: runCount &* 2, keeping: runCount)
                finished = grown.baseAddress!
                finishedCapacity = grown.count
            }
            finished[runCount] = run
            runCount &+= 1
        }
        let reach = width &+ maximumGap
        let width = width
        let repeats = UInt16(truncatingIfNeeded: maximumRepeats)
        for j in 0..<grams {
            let slot = Int(slotOf[j])
            guard slot >= 0, table[slot].countA <= repeats, table[slot].countB <= repeats else { continue }
            var i = Int(table[slot].head)
            while i >= 0 {
                let diagonal = j &- i
                var extended = false
                var index = 0
                while index < activeCount {
                    let run = activeRuns[index]
                    if Int(run.jEnd) &- width &+ reach < j {
                        // Too far behind to be extended on its diagonal: finished.
                        finish(run)
                        activeCount &-= 1
                        activeRuns[index] = activeRuns[activeCount]
                        continue
                    }
                    if Int(run.jEnd) &- Int(run.iEnd) == diagonal {
                        let lastJ = Int(run.jEnd) &- width
                        activeRuns[index].matched &+= Int32(truncatingIfNeeded: Swift.min(width, j &- lastJ))
                        activeRuns[index].iEnd = Int32(truncatingIfNeeded: i &+ width)
                        activeRuns[index].jEnd = Int32(truncatingIfNeeded: j &+ width)
                        extended = true
                        break
                    }
                    index &+= 1
                }
                if !extended {
                    if activeCount == activeCapacity {
                        let grown = active.grow(to: activeCount &* 2, keeping: activeCount)
                        activeRuns = grown.baseAddress!
                        activeCapacity = grown.count
                    }
                    activeRuns[activeCount] = _Run(
                        iStart: Int32(truncatingIfNeeded: i), iEnd: Int32(truncatingIfNeeded: i &+ width),
                        jStart: Int32(truncatingIfNeeded: j), jEnd: Int32(truncatingIfNeeded: j &+ width),
                        matched: Int32(truncatingIfNeeded: width))
                    activeCount &+= 1
                }
                i = Int(chain[i])
            }
        }
        for index in 0..<activeCount { finish(activeRuns[index]) }
        return runCount
    }

    /// Resets the counts of B's n-grams in A's table that ``seeds(_:)`` made.
    private func clearCountsOfB(_ b: _WordTokens) {
        let grams = b.gramCount
        guard grams > 0, indexedGrams > 0 else { return }
        let table = slots.storage.baseAddress!
        let slotOf = slotOfB.storage.baseAddress!
        for position in 0..<grams where slotOf[position] >= 0 { table[Int(slotOf[position])].countB = 0 }
    }

    /// Step 4: runs into chains; returns the chains that are passages, by position in A then B.
    /// Every chain stays in `chains` (``chainCount`` of them) and each run's chain in `runChains`,
    /// for step 5.
    private func chainRuns(_ runCount: Int) -> [_Chain] {
        chainCount = 0
        guard runCount > 0 else { return [] }
        var sorted = UnsafeMutableBufferPointer(rebasing: runs.storage[0..<runCount])
        sorted.sort { $0.order < $1.order }
        // At most one chain per run, and at most one open chain per chain.
        let chainList = chains.reserve(runCount).baseAddress!
        let openList = open.reserve(runCount).baseAddress!
        let owners = runChains.reserve(runCount).baseAddress!
        var chainCount = 0
        var openCount = 0
        let gap = maximumGap
        for (position, run) in sorted.enumerated() {
            var best = -1
            var bestScore = Int32.min
            var bestGap = Int.max
            var index = 0
            while index < openCount {
                let candidate = Int(openList[index])
                let chain = chainList[candidate]
                if Int(chain.iEnd) &+ gap < Int(run.iStart) {
                    // Runs come in order of their start in A: nothing later can follow it.
                    openCount &-= 1
                    openList[index] = openList[openCount]
                    continue
                }
                if chain.canTake(run, gap: gap) {
                    let widest = Swift.max(Int(run.iStart) &- Int(chain.iEnd), Int(run.jStart) &- Int(chain.jEnd))
                    if chain.matched > bestScore || (chain.matched == bestScore && widest < bestGap) {
                        best = index
                        bestScore = chain.matched
                        bestGap = widest
                    }
                }
                index &+= 1
            }
            if best >= 0 {
                let chainIndex = Int(openList[best])
                chainList[chainIndex].take(run)
                owners[position] = Int32(truncatingIfNeeded: chainIndex)
            } else {
                chainList[chainCount] = _Chain(run)
                owners[position] = Int32(truncatingIfNeeded: chainCount)
                openList[openCount] = Int32(truncatingIfNeeded: chainCount)
                openCount &+= 1
                chainCount &+= 1
            }
        }
        self.chainCount = chainCount
        let minimum = Int32(truncatingIfNeeded: minimumPassageWords)
        return UnsafeBufferPointer(start: chainList, count: chainCount).filter { $0.matched >= minimum }
    }

    /// Whether any two of `passages` (by position in A, then B) share a byte, or a word, of A or
    /// of B. Two words share bytes where one character folds to two words (`½` is `1 2`).
    private static func overlap(_ passages: [_Chain], _ a: _WordTokens, _ b: _WordTokens) -> Bool {
        guard passages.count > 1 else { return false }
        // Word positions of passages index the token arrays (step 4 builds them from runs).
        let startsA = a.starts.storage, endsA = a.ends.storage
        let startsB = b.starts.storage, endsB = b.ends.storage
        var reach = Int32.min
        for passage in passages {
            if startsA[Int(passage.iStart)] < reach { return true }
            reach = Swift.max(reach, endsA[Int(passage.iEnd) - 1])
        }
        let inB = passages.map { (startsB[Int($0.jStart)], endsB[Int($0.jEnd) - 1]) }.sorted { $0.0 < $1.0 }
        reach = Int32.min
        for (start, end) in inB {
            if start < reach { return true }
            reach = Swift.max(reach, end)
        }
        return false
    }

    /// Step 5: the passages again, none sharing a word or a byte with another on either side
    /// (see the type's description), by position in A then B.
    private func separate(runCount: Int, _ a: _WordTokens, _ b: _WordTokens) -> [_Chain] {
        // SAFETY: step 4 filled `chainCount` chains, and `runCount` sorted runs with their
        // chains; nothing here grows those buffers.
        let chainList = chains.storage.baseAddress!
        let sorted = runs.storage.baseAddress!
        let owners = runChains.storage.baseAddress!
        // Each chain's runs, in the order step 4 took them (a counting sort by chain).
        var firstRun = [Int](repeating: 0, count: chainCount + 1)
        for position in 0..<runCount { firstRun[Int(owners[position]) + 1] += 1 }
        for chain in 0..<chainCount { firstRun[chain + 1] += firstRun[chain] }
        var filled = firstRun
        var order = [Int](repeating: 0, count: runCount)
        for position in 0..<runCount {
            let chain = Int(owners[position])
            order[filled[chain]] = position
            filled[chain] += 1
        }
        let minimum = Int32(truncatingIfNeeded: minimumPassageWords)
        var candidates = (0..<chainCount).filter { chainList[$0].matched >= minimum }
        candidates.sort { x, y in
            let first = chainList[x], second = chainList[y]
            if first.matched != second.matched { return first.matched > second.matched }
            return (first.iStart, first.jStart) < (second.iStart, second.jStart)
        }
        var taken = _TakenWords(a: a, b: b)
        var result: [_Chain] = []
        // The parts of the run at hand, and room to clip them again (reused, run after run).
        var pending: [_Run] = []
        var reclipped: [_Run] = []
        let gap = maximumGap
        for candidate in candidates {
            var piece: _Chain?
            // Closes the piece: a passage, and its words taken, when it still has enough.
            func close() -> Bool {
                defer { piece = nil }
                guard let done = piece, done.matched >= minimum else { return false }
                result.append(done)
                taken.take(done)
                return true
            }
            for position in order[firstRun[candidate]..<firstRun[candidate + 1]] {
                pending.removeAll(keepingCapacity: true)
                clip(sorted[position], taken, a, b, into: &pending)
                var index = 0
                while index < pending.count {
                    let part = pending[index]
                    index += 1
                    if let current = piece, current.canTake(part, gap: gap), !taken.between(current, and: part) {
                        piece!.take(part)
                        continue
                    }
                    if close() {
                        // The closed piece's words are taken now: what is left of this run's
                        // parts loses them too.
                        reclipped.removeAll(keepingCapacity: true)
                        for left in pending[(index - 1)...] { clip(left, taken, a, b, into: &reclipped) }
                        swap(&pending, &reclipped)
                        guard !pending.isEmpty else { break }
                        piece = _Chain(pending[0])
                        index = 1
                    } else {
                        piece = _Chain(part)
                    }
                }
            }
            _ = close()
        }
        return result.sorted { ($0.iStart, $0.jStart) < ($1.iStart, $1.jStart) }
    }

    /// Appends to `parts` the parts of `run` (words along one diagonal) outside the words
    /// `taken` holds on either side, each cut down to the words its seeds cover, which it counts
    /// as matched. A run that loses nothing is appended as it is.
    ///
    /// - Complexity: O(words of the run / 64) when it loses nothing, O(words of the run) otherwise.
    private func clip(_ run: _Run, _ taken: _TakenWords, _ a: _WordTokens, _ b: _WordTokens, into parts: inout [_Run]) {
        guard taken.anyInA(run.iStart, run.iEnd) || taken.anyInB(run.jStart, run.jEnd) else {
            parts.append(run)
            return
        }
        // Stretches of B's positions on this diagonal whose words are free on both sides.
        let diagonal = run.jStart &- run.iStart
        var j = run.jStart
        while j < run.jEnd {
            while j < run.jEnd && (taken.isTakenInB(j) || taken.isTakenInA(j &- diagonal)) { j &+= 1 }
            let start = j
            while j < run.jEnd && !taken.isTakenInB(j) && !taken.isTakenInA(j &- diagonal) { j &+= 1 }
            if j > start, let part = seedCover(run, from: start, to: j, a, b) { parts.append(part) }
        }
    }

    /// The words of B's positions `from..<to` that seeds on `run`'s diagonal cover (each seed
    /// n-gram covers `width` words), as a run from the first to the last of them with their
    /// count as matched; `nil` when no seed reaches in. A seed is a shared n-gram that occurs at
    /// most ``AlignmentOptions/maximumSeedRepeats`` times in each text, as in step 2; for
    /// `from..<to` inside the run, the seeds that reach in are the run's own (another run on
    /// the diagonal is more than `width + maximumGap` words away), so an uncut run counts its
    /// matched words again.
    private func seedCover(_ run: _Run, from: Int32, to: Int32, _ a: _WordTokens, _ b: _WordTokens) -> _Run? {
        let table = slots.storage.baseAddress!
        let slotOf = slotOfB.storage.baseAddress!
        let hashesA = a.gramHashes.storage.baseAddress!, hashesB = b.gramHashes.storage.baseAddress!
        let repeats = UInt16(truncatingIfNeeded: maximumRepeats)
        let width = Int32(truncatingIfNeeded: self.width)
        let diagonal = run.jStart &- run.iStart
        var first = Int32.max
        var coveredEnd = from
        var matched: Int32 = 0
        // Seeds j (and j − diagonal in A) that are n-grams of both texts and reach into from..<to.
        // SAFETY: j stays in 0..<b.gramCount and j − diagonal in 0..<a.gramCount (the bounds
        // below), where step 2 set `slotOfB` and both hash arrays hold values.
        var j = Swift.max(from &- width &+ 1, 0, diagonal)
        let last = Swift.min(to &- 1, Int32(truncatingIfNeeded: b.gramCount) &- 1, Int32(truncatingIfNeeded: a.gramCount) &- 1 &+ diagonal)
        while j <= last {
            let slot = Int(slotOf[Int(j)])
            if slot >= 0, table[slot].countA <= repeats, table[slot].countB <= repeats,
               hashesA[Int(j &- diagonal)] == hashesB[Int(j)] {
                let low = Swift.max(j, coveredEnd)
                let high = Swift.min(j &+ width, to)
                if high > low {
                    first = Swift.min(first, low)
                    matched &+= high &- low
                    coveredEnd = high
                }
            }
            j &+= 1
        }
        guard matched > 0 else { return nil }
        return _Run(iStart: first &- diagonal, iEnd: coveredEnd &- diagonal, jStart: first, jEnd: coveredEnd, matched: matched)
    }
}

/// The words step 5 has given to passages so far, one bit per word of each text. A passage
/// takes its words and every word that shares a byte with them (two words of one character that
/// folds to two), so that passages never share a byte either. Bits, not sorted ranges: taking a
/// passage costs its length and a question about a stretch the stretch's length over 64, so
/// step 5 stays linear in the words however many passages it gives out.
struct _TakenWords {
    private var inA: [UInt64]
    private var inB: [UInt64]
    let a: _WordTokens
    let b: _WordTokens

    init(a: _WordTokens, b: _WordTokens) {
        self.a = a
        self.b = b
        inA = [UInt64](repeating: 0, count: (a.count + 63) / 64)
        inB = [UInt64](repeating: 0, count: (b.count + 63) / 64)
    }

    /// Takes `chain`'s words on both sides.
    mutating func take(_ chain: _Chain) {
        let (lowA, highA) = Self.sharingBytes(chain.iStart, chain.iEnd, a)
        Self.set(&inA, Int(lowA), Int(highA))
        let (lowB, highB) = Self.sharingBytes(chain.jStart, chain.jEnd, b)
        Self.set(&inB, Int(lowB), Int(highB))
    }

    /// Whether word `word` of A is taken.
    @inline(__always)
    func isTakenInA(_ word: Int32) -> Bool { inA[Int(word) &>> 6] & (1 &<< UInt64(word & 63)) != 0 }

    /// Whether word `word` of B is taken.
    @inline(__always)
    func isTakenInB(_ word: Int32) -> Bool { inB[Int(word) &>> 6] & (1 &<< UInt64(word & 63)) != 0 }

    /// Whether a word of A in `start..<end` is taken.
    func anyInA(_ start: Int32, _ end: Int32) -> Bool { Self.any(inA, Int(start), Int(end)) }

    /// Whether a word of B in `start..<end` is taken.
    func anyInB(_ start: Int32, _ end: Int32) -> Bool { Self.any(inB, Int(start), Int(end)) }

    /// Whether a taken word lies between the end of `chain` and the start of `run` on either side.
    func between(_ chain: _Chain, and run: _Run) -> Bool {
        anyInA(chain.iEnd, run.iStart) || anyInB(chain.jEnd, run.jStart)
    }

    /// Words `start..<end` of `tokens` widened to every word that shares a byte with them.
    static func sharingBytes(_ start: Int32, _ end: Int32, _ tokens: _WordTokens) -> (Int32, Int32) {
        let starts = tokens.starts.storage, ends = tokens.ends.storage
        var low = Int(start), high = Int(end)
        while low > 0 && ends[low - 1] > starts[Int(start)] { low -= 1 }
        while high < tokens.count && starts[high] < ends[Int(end) - 1] { high += 1 }
        return (Int32(truncatingIfNeeded: low), Int32(truncatingIfNeeded: high))
    }

    /// Sets bits `start..<end`.
    private static func set(_ bits: inout [UInt64], _ start: Int, _ end: Int) {
        var bit = start
        while bit < end {
            let word = bit &>> 6, offset = bit & 63
            let count = Swift.min(64 &- offset, end &- bit)
            let mask = count == 64 ? UInt64.max : ((1 &<< UInt64(count)) &- 1) &<< UInt64(offset)
            bits[word] |= mask
            bit &+= count
        }
    }

    /// Whether a bit in `start..<end` is set (an empty or reversed range has none).
    private static func any(_ bits: [UInt64], _ start: Int, _ end: Int) -> Bool {
        var bit = start
        while bit < end {
            let word = bit &>> 6, offset = bit & 63
            let count = Swift.min(64 &- offset, end &- bit)
            let mask = count == 64 ? UInt64.max : ((1 &<< UInt64(count)) &- 1) &<< UInt64(offset)
            if bits[word] & mask != 0 { return true }
            bit &+= count
        }
        return false
    }
}

/// One slot of A's n-gram table: the hash, its first position in A, and how often it occurs in
/// A and (during one alignment) in B. `countA == 0` marks an empty slot.
struct _GramSlot {
    var key: UInt64
    var head: Int32
    var countA: UInt16
    var countB: UInt16
}

/// Words `iStart..<iEnd` of A matched along one diagonal to words `jStart..<jEnd` of B.
struct _Run {
    var iStart: Int32
    var iEnd: Int32
    var jStart: Int32
    var jEnd: Int32
    var matched: Int32

    /// Start in A, then in B, as one number (both are non-negative): the order step 4 sorts by.
    @inline(__always)
    var order: UInt64 { UInt64(UInt32(bitPattern: iStart)) &<< 32 | UInt64(UInt32(bitPattern: jStart)) }
}

/// A chain of runs: its extent on both sides, where its last run starts, and its matched words.
struct _Chain {
    var iStart: Int32
    var iEnd: Int32
    var jStart: Int32
    var jEnd: Int32
    var lastIStart: Int32
    var lastJStart: Int32
    var matched: Int32

    /// Whether `run` follows the chain on both sides (it starts after the chain's last run
    /// and ends after the chain) with at most `gap` words between them, or overlapping it by at
    /// most `gap`, on either side.
    @inline(__always)
    func canTake(_ run: _Run, gap: Int) -> Bool {
        let gapA = Int(run.iStart) &- Int(iEnd)
        let gapB = Int(run.jStart) &- Int(jEnd)
        return run.iStart > lastIStart && run.jStart > lastJStart && run.iEnd > iEnd && run.jEnd > jEnd
            && gapA <= gap && gapB <= gap && gapA >= -gap && gapB >= -gap
    }

    /// Extends the chain by `run`; words both cover count once.
    @inline(__always)
    mutating func take(_ run: _Run) {
        let overlap = Swift.max(0, Int(iEnd) &- Int(run.iStart), Int(jEnd) &- Int(run.jStart))
        matched &+= Int32(truncatingIfNeeded: Swift.max(0, Int(run.matched) &- overlap))
        iEnd = run.iEnd
        jEnd = run.jEnd
        lastIStart = run.iStart
        lastJStart = run.jStart
    }
}

extension _Chain {
    /// A chain of one run (an initializer out here keeps the memberwise one).
    @inline(__always)
    init(_ run: _Run) {
        self.init(
            iStart: run.iStart, iEnd: run.iEnd, jStart: run.jStart, jEnd: run.jEnd,
            lastIStart: run.iStart, lastJStart: run.jStart, matched: run.matched)
    }
}
