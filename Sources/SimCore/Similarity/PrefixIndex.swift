import SimCoreInternals

/// The inverted index of exact all-pairs search, with each document's prefix in rarity order.
///
/// Built in three steps, all on contiguous arrays:
/// 1. every shingle hash of the corpus is radix-sorted once; the hashes that more than one
///    document holds become the `keys`, with their document frequencies. A shingle only one
///    document holds is the rarest kind, first in every prefix, and can never lead to a
///    candidate: it is counted, not indexed;
/// 2. each document's prefix — its first |A| − ⌈t·|A|⌉ + 1 shingles in (frequency, hash) order —
///    is kept as positions in `keys`, without the shingles no other document holds (on all
///    cores); a document whose whole prefix is such shingles cannot match anyone;
/// 3. the postings (documents per key, in increasing document order) are laid out CSR-style:
///    every shared shingle for containment and overlap, prefix shingles only for Jaccard.
///
/// Memory: 16 bytes per shingle of the corpus while building (the sort), then 4 bytes per
/// indexed shingle, 4 per prefix shingle and 12 per shared distinct shingle.
struct _PrefixIndex: Sendable {
    /// For each document, its prefix as positions in the distinct keys, rarest first.
    let prefixes: [[Int32]]
    /// `postings[offsets[k]..<offsets[k + 1]]` are the documents indexed under key k.
    let offsets: [Int]
    let postings: [Int32]

    init(sets: [ShingleSet], measure: SimilarityMeasure, threshold: Double, threads: Int) {
        let (keys, frequencies) = Self.documentFrequencies(of: sets, threads: threads)
        let filter = _SharedHashFilter(keys)
        // Each document's shingles as key positions, and its prefix in rarity order.
        let perDocument: [[(positions: [Int32], prefix: [Int32])]] = concurrentChunks(
            count: sets.count, threads: threads, minimumChunk: 32
        ) { range in
            range.map { document in
                let hashes = sets[document].hashes
                var positions: [Int32] = []
                // (frequency << 32 | position): sorting these orders the document's shared
                // shingles by (frequency, hash), since keys are sorted by hash.
                var rarityOrder: [UInt64] = []
                var unshared = 0
                keys.withUnsafeBufferPointer { keys in
                    frequencies.withUnsafeBufferPointer { frequencies in
                        for hash in hashes {
                            guard filter.mayContain(hash), let position = Self.position(of: hash, in: keys) else {
                                unshared += 1
                                continue
                            }
                            positions.append(Int32(truncatingIfNeeded: position))
                            rarityOrder.append(UInt64(UInt32(bitPattern: frequencies[position])) << 32 | UInt64(position))
                        }
                    }
                }
                let length = ExactAllPairs.prefixLength(count: hashes.count, threshold: threshold) - unshared
                guard length > 0 else { return (measure == .jaccard ? [] : positions, []) }
                rarityOrder.sort()
                let prefix = rarityOrder.prefix(length).map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
                return (measure == .jaccard ? [] : positions, prefix)
            }
        }
        prefixes = perDocument.flatMap { $0.map(\.prefix) }
        let indexed = measure == .jaccard ? prefixes : perDocument.flatMap { $0.map(\.positions) }
        var counts = [Int](repeating: 0, count: keys.count + 1)
        for positions in indexed {
            for position in positions { counts[Int(position) + 1] += 1 }
        }
        for key in 0..<keys.count { counts[key + 1] += counts[key] }
        offsets = counts
        var cursor = counts
        var postings = [Int32](repeating: 0, count: counts[keys.count])
        for (document, positions) in indexed.enumerated() {
            for position in positions {
                postings[cursor[Int(position)]] = Int32(truncatingIfNeeded: document)
                cursor[Int(position)] += 1
            }
        }
        self.postings = postings
    }

    /// The position of `hash` in the sorted, uniformly distributed `keys`, or `nil` if it is not
    /// there: interpolation gives a guess close to the answer, and a galloping search around it
    /// touches nearby memory only.
    static func position(of hash: UInt64, in keys: UnsafeBufferPointer<UInt64>) -> Int? {
        let count = keys.count
        guard count > 0 else { return nil }
        let guess = Swift.min(Swift.max(Int(Double(hash) / 18_446_744_073_709_551_616.0 * Double(count)), 0), count - 1)
        // Find [low, high) with keys[low - 1] < hash ≤ keys[high - 1] (bounds standing in).
        var low = guess
        var high = guess + 1
        var step = 1
        if keys[guess] < hash {
            while high < count && keys[high - 1] < hash {
                low = high
                high = Swift.min(high + step, count)
                step *= 2
            }
        } else {
            while low > 0 && keys[low - 1] >= hash {
                high = low
                low = Swift.max(low - step, 0)
                step *= 2
            }
        }
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low < count && keys[low] == hash ? low : nil
    }

    /// The hashes more than one set holds, sorted, and how many sets hold each.
    ///
    /// Partitioned by the top ``frequencyBucketBits`` bits of the hash on all cores: each chunk
    /// of documents counts its hashes per bucket, the counts give every (chunk, bucket) its own
    /// slice, the chunks scatter their hashes in parallel, and then each bucket — a few hundred
    /// KiB for a corpus of 100 M shingles, so its sort runs in cache — is radix-sorted and
    /// counted by one worker. Buckets in order are the hashes in order, so the result is the one
    /// a single global sort gives, on any thread count.
    ///
    /// - Complexity: O(total shingles); 16 bytes per shingle while it runs.
    static func documentFrequencies(of sets: [ShingleSet], threads: Int = Parallelism.defaultThreadCount) -> (keys: [UInt64], frequencies: [Int32]) {
        let total = sets.reduce(0) { $0 + $1.count }
        guard total > 0 else { return ([], []) }
        let bucketBits = frequencyBucketBits
        let bucketCount = 1 << bucketBits
        let shift = UInt64(64 - bucketBits)
        // 1. Per chunk of documents, hashes per bucket.
        let chunkCounts: [(range: Range<Int>, counts: [Int])] = concurrentChunks(
            count: sets.count, threads: threads, minimumChunk: 256
        ) { range in
            var counts = [Int](repeating: 0, count: bucketCount)
            for document in range {
                for hash in sets[document].hashes { counts[Int(truncatingIfNeeded: hash >> shift)] &+= 1 }
            }
            return (range, counts)
        }
        // 2. Each (bucket, chunk) slice starts where the previous one ends: bucket-major order.
        var bucketStarts = [Int](repeating: 0, count: bucketCount + 1)
        var sliceStarts = [[Int]](repeating: [], count: chunkCounts.count)
        var running = 0
        for chunk in chunkCounts.indices { sliceStarts[chunk] = [Int](repeating: 0, count: bucketCount) }
        for bucket in 0..<bucketCount {
            bucketStarts[bucket] = running
            for chunk in chunkCounts.indices {
                sliceStarts[chunk][bucket] = running
                running += chunkCounts[chunk].counts[bucket]
            }
        }
        bucketStarts[bucketCount] = running
        let starts = bucketStarts
        let slices = sliceStarts
        // 3. Scatter, each chunk into its own slices.
        var all = [UInt64](unsafeUninitializedCapacity: total) { _, count in count = total }
        all.withUnsafeMutableBufferPointer { all in
            let target = SendableMutablePointer(base: all.baseAddress!)
            _ = concurrentChunks(count: chunkCounts.count, threads: threads) { chunks in
                for chunk in chunks {
                    var cursor = slices[chunk]
                    for document in chunkCounts[chunk].range {
                        for hash in sets[document].hashes {
                            let bucket = Int(truncatingIfNeeded: hash >> shift)
                            // SAFETY: slice (bucket, chunk) belongs to this chunk alone and holds
                            // exactly its counted hashes.
                            target.base[cursor[bucket]] = hash
                            cursor[bucket] &+= 1
                        }
                    }
                }
                return 0
            }
        }
        // 4. Sort and count each bucket.
        let perBucket: [(keys: [UInt64], frequencies: [Int32])] = all.withUnsafeMutableBufferPointer { all in
            let source = SendableMutablePointer(base: all.baseAddress!)
            return concurrentChunks(count: bucketCount, threads: threads) { buckets in
                var keys: [UInt64] = []
                var frequencies: [Int32] = []
                var scratch: [UInt64] = []
                for bucket in buckets {
                    let start = starts[bucket]
                    let count = starts[bucket + 1] - start
                    guard count > 1 else { continue }
                    // SAFETY: buckets are disjoint ranges of `all`, one worker each.
                    let hashes = UnsafeMutableBufferPointer(start: source.base + start, count: count)
                    if scratch.count < count { scratch = [UInt64](repeating: 0, count: count) }
                    scratch.withUnsafeMutableBufferPointer { radixSort(hashes, scratch: $0) }
                    var runStart = 0
                    while runStart < count {
                        var end = runStart + 1
                        while end < count && hashes[end] == hashes[runStart] { end += 1 }
                        if end - runStart > 1 {
                            keys.append(hashes[runStart])
                            frequencies.append(Int32(truncatingIfNeeded: end - runStart))
                        }
                        runStart = end
                    }
                }
                return (keys, frequencies)
            }
        }
        return (perBucket.flatMap(\.keys), perBucket.flatMap(\.frequencies))
    }

    /// Bits of the hash that pick a frequency-count bucket: 4,096 buckets.
    static let frequencyBucketBits = 12

    /// The candidates' verified pairs for the documents in `range`.
    func search(
        _ range: Range<Int>, sets: [ShingleSet], measure: SimilarityMeasure, threshold: Double
    ) -> [SimilarPair] {
        var found: [SimilarPair] = []
        var stamp = [Int32](repeating: -1, count: sets.count)
        for a in range {
            let setA = sets[a]
            let sizeA = setA.count
            for key in prefixes[a] {
                for position in offsets[Int(key)]..<offsets[Int(key) + 1] {
                    let b = Int(postings[position])
                    guard b != a, stamp[b] != Int32(a) else { continue }
                    stamp[b] = Int32(a)
                    let sizeB = sets[b].count
                    switch measure {
                    case .jaccard:
                        guard b > a,
                              Double(Swift.min(sizeA, sizeB)) >= threshold * Double(Swift.max(sizeA, sizeB)) - 1e-9
                        else { continue }
                    case .overlap:
                        guard (sizeA, a) < (sizeB, b) else { continue }
                    case .containment:
                        break
                    }
                    let similarity = measure.value(
                        intersection: setA.intersectionCount(with: sets[b]), first: sizeA, second: sizeB)
                    guard similarity >= threshold else { continue }
                    found.append(SimilarPair(
                        first: measure == .containment ? a : Swift.min(a, b),
                        second: measure == .containment ? b : Swift.max(a, b),
                        similarity: similarity))
                }
            }
        }
        return found
    }
}

/// A bitmap over the top bits of the shared hashes: one bit per eight keys or more, so that most
/// hashes no other document holds are rejected by one probe into a small array instead of a
/// search of the (much larger) key array. No false negatives.
struct _SharedHashFilter: Sendable {
    private let words: [UInt64]
    private let shift: UInt64

    init(_ keys: [UInt64]) {
        var bitCountLog2 = 6
        while (1 << bitCountLog2) < keys.count * 8 && bitCountLog2 < 34 { bitCountLog2 += 1 }
        shift = UInt64(64 - bitCountLog2)
        var words = [UInt64](repeating: 0, count: (1 << bitCountLog2) / 64)
        for key in keys {
            let bit = Int(key >> shift)
            words[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.words = words
    }

    /// Whether `hash` may be one of the keys (`false`: it certainly is not).
    @inline(__always)
    func mayContain(_ hash: UInt64) -> Bool {
        let bit = Int(hash >> shift)
        return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }
}
