/// Documents' 64-bit hashes scattered into shards by their top bits, each hash with the number
/// of the document it came from: the first step of every "partition by top bits, then work on
/// each shard in cache on all cores" pass (the reuse index's anchor table, exact all-pairs'
/// frequency count).
///
/// Shards are laid out one after another (``starts``); inside a shard the hashes keep document
/// order, and each document's hashes keep their own order, so the layout is the same for every
/// thread count. Owns its two buffers; a pass may overwrite ``hashes`` in place (each shard by
/// one worker) once it has read them.
///
/// ```swift
/// let groups = ShardedHashes(documentCount: 2, shardBits: 1, threads: 2) { [[1, 1 << 63], [2]][$0] }
/// groups.starts                                 // [0, 2, 3]
/// (0..<3).map { groups.hashes.base[$0] }        // [1, 2, 1 << 63]
/// (0..<3).map { groups.owners.base[$0] }        // [0, 1, 0]
/// ```
package final class ShardedHashes: @unchecked Sendable {
    // SAFETY: written only while it is built (each chunk of documents into its own places), then
    // read, or rewritten shard by shard with one worker per shard, by its owner's passes.

    /// Bits of the hash that pick a shard: `1 << shardBits` shards.
    package let shardBits: Int
    /// Where each shard starts in ``hashes`` and ``owners``; one more entry than shards.
    package let starts: [Int]
    /// The hashes, shard after shard.
    package let hashes: SendableMutablePointer<UInt64>
    /// The document number of each hash.
    package let owners: SendableMutablePointer<UInt32>

    /// The number of shards.
    package var shardCount: Int { 1 << shardBits }

    /// The shard of `hash` among `1 << shardBits`.
    @inline(__always)
    package static func shard(of hash: UInt64, shardBits: Int) -> Int {
        shardBits == 0 ? 0 : Int(truncatingIfNeeded: hash >> UInt64(64 - shardBits))
    }

    /// Scatters the hashes of documents `0..<documentCount` on `threads` cores: each chunk of
    /// documents counts its hashes per shard, then writes them into its own places.
    ///
    /// - Parameters:
    ///   - documentCount: The number of documents.
    ///   - shardBits: Bits of the hash that pick a shard, 0 to 24.
    ///   - firstOwner: The number of document 0 (later documents are numbered on from it).
    ///   - threads: Worker threads; the layout is the same for every count.
    ///   - hashesOf: The hashes of one document; called twice per document, from any thread.
    /// - Complexity: O(hashes + chunks × shards); 12 bytes per hash, 8 per shard per chunk.
    package init(
        documentCount: Int, shardBits: Int, firstOwner: Int = 0, threads: Int,
        hashesOf: @Sendable (Int) -> [UInt64]
    ) {
        precondition((0...24).contains(shardBits), "shardBits must be in 0...24")
        precondition(firstOwner >= 0 && firstOwner + documentCount <= Int(UInt32.max), "document numbers must fit 32 bits")
        self.shardBits = shardBits
        let shardCount = 1 << shardBits
        let workers = Swift.max(1, threads)
        let chunkSize = Swift.max(64, (documentCount + 4 * workers - 1) / (4 * workers))
        let chunkCount = (documentCount + chunkSize - 1) / chunkSize
        @Sendable func chunkDocuments(_ chunk: Int) -> Range<Int> {
            (chunk * chunkSize)..<Swift.min(documentCount, (chunk + 1) * chunkSize)
        }
        let counts = concurrentChunks(count: chunkCount, threads: threads) { chunks in
            chunks.map { chunk in
                var perShard = [Int](repeating: 0, count: shardCount)
                perShard.withUnsafeMutableBufferPointer { perShard in
                    for document in chunkDocuments(chunk) {
                        hashesOf(document).withUnsafeBufferPointer { hashes in
                            for hash in hashes { perShard[Self.shard(of: hash, shardBits: shardBits)] &+= 1 }
                        }
                    }
                }
                return perShard
            }
        }.flatMap { $0 }
        // Each chunk's place in each shard: chunks in document order inside a shard.
        var places = [Int](repeating: 0, count: chunkCount * shardCount)
        var starts = [Int](repeating: 0, count: shardCount + 1)
        var next = 0
        for shard in 0..<shardCount {
            starts[shard] = next
            for chunk in 0..<chunkCount {
                places[chunk * shardCount + shard] = next
                next += counts[chunk][shard]
            }
        }
        starts[shardCount] = next
        self.starts = starts
        hashes = SendableMutablePointer(base: .allocate(capacity: Swift.max(1, next)))
        owners = SendableMutablePointer(base: .allocate(capacity: Swift.max(1, next)))
        let hashes = hashes, owners = owners, firstPlaces = places
        _ = concurrentChunks(count: chunkCount, threads: threads) { chunks in
            var places = [Int](repeating: 0, count: shardCount)
            places.withUnsafeMutableBufferPointer { place in
                for chunk in chunks {
                    for shard in 0..<shardCount { place[shard] = firstPlaces[chunk * shardCount + shard] }
                    for document in chunkDocuments(chunk) {
                        let number = UInt32(truncatingIfNeeded: firstOwner + document)
                        hashesOf(document).withUnsafeBufferPointer { documentHashes in
                            for hash in documentHashes {
                                let shard = Self.shard(of: hash, shardBits: shardBits)
                                // SAFETY: places [firstPlaces[chunk, shard], + counts[chunk][shard])
                                // belong to this chunk alone, and it writes exactly that many there.
                                hashes.base[place[shard]] = hash
                                owners.base[place[shard]] = number
                                place[shard] &+= 1
                            }
                        }
                    }
                }
            }
            return 0
        }
    }

    deinit {
        hashes.base.deallocate()
        owners.base.deallocate()
    }

    /// The positions of shard `shard` in ``hashes`` and ``owners``.
    package func range(ofShard shard: Int) -> Range<Int> { starts[shard]..<starts[shard + 1] }
}
