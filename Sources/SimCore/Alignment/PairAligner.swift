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
///
/// Work is linear in the two lengths plus the seeds, which the repeat cap bounds by
/// `maximumSeedRepeats` per n-gram of B: never quadratic. A `_PairAligner` owns its buffers and
/// reuses them; A's table stays valid across calls to ``align(_:with:)`` until the next ``index(_:)``.
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
        let passages = chainRuns(seeds(b))
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
        defer {
            for position in 0..<grams where slotOf[position] >= 0 { table[Int(slotOf[position])].countB = 0 }
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

    /// Step 4: runs into chains; returns the chains that are passages, by position in A then B.
    private func chainRuns(_ runCount: Int) -> [_Chain] {
        guard runCount > 0 else { return [] }
        var sorted = UnsafeMutableBufferPointer(rebasing: runs.storage[0..<runCount])
        sorted.sort { ($0.iStart, $0.jStart) < ($1.iStart, $1.jStart) }
        // At most one chain per run, and at most one open chain per chain.
        let chainList = chains.reserve(runCount).baseAddress!
        let openList = open.reserve(runCount).baseAddress!
        var chainCount = 0
        var openCount = 0
        let gap = maximumGap
        for run in sorted {
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
                let gapA = Int(run.iStart) &- Int(chain.iEnd)
                let gapB = Int(run.jStart) &- Int(chain.jEnd)
                if run.iStart > chain.lastIStart && run.jStart > chain.lastJStart && run.iEnd > chain.iEnd
                    && run.jEnd > chain.jEnd && gapA <= gap && gapB <= gap && gapA >= -gap && gapB >= -gap {
                    let widest = Swift.max(gapA, gapB)
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
                // Words both runs cover count once.
                let overlap = Swift.max(0, Int(chainList[chainIndex].iEnd) &- Int(run.iStart),
                                        Int(chainList[chainIndex].jEnd) &- Int(run.jStart))
                chainList[chainIndex].matched &+= Int32(truncatingIfNeeded: Swift.max(0, Int(run.matched) &- overlap))
                chainList[chainIndex].iEnd = run.iEnd
                chainList[chainIndex].jEnd = run.jEnd
                chainList[chainIndex].lastIStart = run.iStart
                chainList[chainIndex].lastJStart = run.jStart
            } else {
                chainList[chainCount] = _Chain(
                    iStart: run.iStart, iEnd: run.iEnd, jStart: run.jStart, jEnd: run.jEnd,
                    lastIStart: run.iStart, lastJStart: run.jStart, matched: run.matched)
                openList[openCount] = Int32(truncatingIfNeeded: chainCount)
                openCount &+= 1
                chainCount &+= 1
            }
        }
        let minimum = Int32(truncatingIfNeeded: minimumPassageWords)
        return UnsafeBufferPointer(start: chainList, count: chainCount).filter { $0.matched >= minimum }
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
}
