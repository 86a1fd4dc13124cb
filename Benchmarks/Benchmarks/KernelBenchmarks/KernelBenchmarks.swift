import Benchmark
import SimCore
import SimCoreFixtures

/// The hot kernels on one fixed generated corpus (200 news-like documents, seed 1, about 1.3 MB):
/// normalize, XXH3 hashing, shingling (hashes and sorted sets), exact Jaccard estimates between
/// neighbours, exact all-pairs, signing per scheme, signature estimates, and LSH queries.
/// Every result goes through `blackHole`, and the throughput scaling factor is documents.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    var generator = CorpusGenerator(options: CorpusGeneratorOptions(documentCount: 200, seed: 1))
    var documents: [[UInt8]] = []
    while let (document, _) = generator.next() { documents.append(document.utf8) }
    let corpus = documents
    let normalizer = TextNormalizer()
    let words = ShinglingOptions(unit: .words(5))
    let characters = ShinglingOptions(unit: .characters(5))
    let sets = corpus.map { Shingler(options: words).shingles(ofUTF8: $0) }

    Benchmark("normalize (200 documents)") { benchmark in
        for _ in benchmark.scaledIterations {
            for document in corpus { blackHole(normalizer.normalize(utf8: document)) }
        }
    }

    Benchmark("XXH3-64 whole documents (200)") { benchmark in
        for _ in benchmark.scaledIterations {
            for document in corpus { blackHole(XXH3.hash64(document, seed: 0)) }
        }
    }

    for (name, options) in [("words:5", words), ("chars:5", characters)] {
        Benchmark("shingle hashes \(name) (200 documents)") { benchmark in
            let shingler = Shingler(options: options)
            for _ in benchmark.scaledIterations {
                for document in corpus {
                    document.withUnsafeBytes { bytes in
                        shingler.withShingleHashes(ofUTF8: bytes) { blackHole($0.count) }
                    }
                }
            }
        }
        Benchmark("shingle sets \(name) (200 documents)") { benchmark in
            let shingler = Shingler(options: options)
            for _ in benchmark.scaledIterations {
                for document in corpus { blackHole(shingler.shingles(ofUTF8: document)) }
            }
        }
    }

    Benchmark("exact Jaccard estimate (199 neighbour pairs)") { benchmark in
        for _ in benchmark.scaledIterations {
            for index in 1..<sets.count { blackHole(sets[index - 1].jaccard(with: sets[index])) }
        }
    }

    Benchmark("exact all-pairs Jaccard >= 0.5 (200 documents)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ExactAllPairs.pairs(in: sets, measure: .jaccard, threshold: 0.5, threads: 1))
        }
    }

    let schemes: [(String, any SignatureScheme)] = [
        ("minhash", MinHash(signatureLength: 128)), ("oph", OnePermutationMinHash(signatureLength: 128)),
        ("superminhash", SuperMinHash(signatureLength: 128)),
    ]
    for (name, scheme) in schemes {
        Benchmark("sign \(name) k=128 (200 shingle sets)") { benchmark in
            for _ in benchmark.scaledIterations {
                for set in sets { blackHole(scheme.signature(of: set)) }
            }
        }
    }

    let oph = OnePermutationMinHash(signatureLength: 128)
    let signatures = sets.map { oph.signature(of: $0) }
    Benchmark("estimated Jaccard from OPH signatures (199 neighbour pairs)") { benchmark in
        for _ in benchmark.scaledIterations {
            for index in 1..<signatures.count {
                blackHole(oph.estimatedJaccard(signatures[index - 1], signatures[index]))
            }
        }
    }

    var index = MinHashLSH(signatureLength: 128, banding: BandingParameters(bandCount: 14, rowsPerBand: 9))
    for signature in signatures { _ = index.insert(signature) }
    let lsh = index
    Benchmark("LSH query b=14 r=9 (200 queries against 200 documents)") { benchmark in
        for _ in benchmark.scaledIterations {
            for signature in signatures { blackHole(lsh.candidates(for: signature)) }
        }
    }
}
