import ArgumentParser
import SimBenchKit
import SimCommandLine
import SimCore

/// `simbench lengths`: what a document costs whatever its length: the dedupe engine and its
/// signing floor on generated corpora of 50-, 200- and 1,000-word documents that hold the same
/// text (``DocumentLengthWorkload``).
struct LengthsBenchmarkCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "lengths",
        abstract: "Cost per document of signing and of dedupe end to end, on generated 50-, 200- and 1,000-word documents.",
        discussion: """
            Each length gets its own generated corpus of --corpus-words words (stories with planted \
            reprints, cut to exactly N words), so every corpus holds the same text and the time left \
            that grows with the number of documents is per-document work: densifying the signature, \
            band keys, postings, ids. The slope of each stage's time over the documents (least \
            squares across the lengths) is its cost per document whatever the length. Thread counts \
            run from 1 up to --threads, doubling.
            """)

    @Option(name: .customLong("words"), help: "Words per document (repeat for several; default: 50, 200 and 1000).")
    var lengths: [Int] = []

    @Option(parsing: .unconditional, help: "Words in each length's corpus (default: 5,000,000; at 50 words, 100,000 documents).")
    var corpusWords: Int = 5_000_000

    @OptionGroup var corpusSeed: CorpusSeedOption

    @OptionGroup var engine: EngineOptions

    @OptionGroup var threads: ThreadOptionGroup

    @OptionGroup var sampling: SamplingOptions

    @OptionGroup var result: ResultOptions

    @OptionGroup var quiet: QuietOption

    /// The lengths measured: as given, or 50, 200 and 1,000.
    var chosenLengths: [Int] { lengths.isEmpty ? [50, 200, 1_000] : lengths }

    func validate() throws {
        for words in chosenLengths where !(1...100_000).contains(words) {
            throw ValidationError("--words must be in 1...100000, not \(words)")
        }
        guard (chosenLengths.max()!...100_000_000).contains(corpusWords) else {
            throw ValidationError("--corpus-words must be in \(chosenLengths.max()!) (the longest --words)...100000000, not \(corpusWords)")
        }
    }

    func execute(io: CommandIO) throws {
        try result.checkWritable()
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        let engine = engine.workload(computesTruth: false, includesBaselines: false)
        let workload = DocumentLengthWorkload(lengths: chosenLengths, wordsPerCorpus: corpusWords, seed: corpusSeed.corpusSeed, engine: engine)
        let counts = chosenLengths.map { "\(corpusWords / $0) × \($0)" }.joined(separator: ", ")
        var outcome = BenchResult(
            machine: .current(),
            corpus: CorpusSummary(name: "generated, \(counts) words", documents: chosenLengths.reduce(0) { $0 + corpusWords / $1 }, bytes: 0,
                                  seed: corpusSeed.corpusSeed),
            label: result.label)
        try printHeader(outcome, io: io)
        let context = BenchmarkContext(
            documents: [], threadCounts: BenchmarkContext.defaultThreadCounts(cores: threads.threads), sampler: sampling.sampler(),
            progress: progress)
        try io.print("corpora: \(counts) words (documents × words each); dedupe: \(engine.variant); threads \(context.threadCounts.map(String.init).joined(separator: ","))")
        progress.start("lengths", total: workload.measurementCount(in: context), unit: .steps)
        outcome.records = workload.run(in: context).records
        progress.finish()
        // The corpora's text, now that they are made: each length's, once.
        let firstThreads = context.threadCounts[0]
        outcome.corpus.bytes = outcome.records
            .filter { $0.threads == firstThreads && DocumentLengthWorkload.stage(of: $0) == DocumentLengthWorkload.signingStage }
            .reduce(0) { $0 + $1.units.bytes }
        try io.print()
        try io.print(TextTable.pad("measurement", 52) + TextTable.pad("threads", 8) + TextTable.pad("docs/s", 11) + TextTable.pad("MB/s", 9)
            + TextTable.pad("µs/doc", 9) + "ns/word")
        for record in outcome.records {
            let metrics = record.metrics
            try io.print(TextTable.pad(record.variant, 52) + TextTable.pad(String(record.threads), 8)
                + TextTable.pad(String(format: "%.0f", metrics["docsPerSecond"] ?? 0), 11)
                + TextTable.pad(String(format: "%.1f", metrics["megabytesPerSecond"] ?? 0), 9)
                + TextTable.pad(String(format: "%.2f", metrics["microsecondsPerDocument"] ?? 0), 9)
                + String(format: "%.2f", metrics["nanosecondsPerWord"] ?? 0))
        }
        try io.print()
        // One line per stage and thread count: the slope its records carry.
        var shown: Set<String> = []
        for record in outcome.records {
            guard let perDocument = record.metrics["perDocumentMicroseconds"] else { continue }
            let stage = DocumentLengthWorkload.stage(of: record)
            guard shown.insert("\(stage) \(record.threads)").inserted else { continue }
            try io.print("per document whatever its length, \(stage), \(record.threads) thread\(record.threads == 1 ? "" : "s"): "
                + String(format: "%.2f µs", perDocument))
        }
        try outcome.finish(threadsUsed: context.threadCounts.max() ?? 1, options: result, io: io)
    }
}
