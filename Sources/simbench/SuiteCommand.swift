import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreFixtures

/// `simbench suite`: the standard suite in one command, one result file — what to run on each
/// machine to be compared.
struct SuiteCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Run the standard suite on a generated corpus and write one result file: run it on each machine you compare.",
        discussion: """
            Workloads: normalize, shingle (words:5, with the naive reference), exact all-pairs \
            (Jaccard 0.5, precision and recall against the planted pairs), the LSH S-curve against \
            theory, signing (oph, minhash, superminhash at k = 128), and the dedupe engine end to \
            end (Jaccard and the overlap coefficient at 0.8, precision and recall against exact \
            all-pairs; the LSH index alone), each at 1, 2, 4, … threads up to --threads. About two \
            minutes on two cores with the defaults. Then, with the files side by side:
              simbench compare A.json B.json
              simbench report A.json B.json --output report.html
            """)

    @Option(parsing: .unconditional, help: "Documents of the generated corpus (the same --corpus-seed gives the same corpus on every machine).")
    var generate: Int = 2_000

    @OptionGroup var corpusSeed: CorpusSeedOption

    @OptionGroup var threads: ThreadOptionGroup

    @OptionGroup var sampling: SamplingOptions

    @Option(help: ArgumentHelp("Write the result here (default: simbench-suite-HOSTNAME.json).", valueName: "file"))
    var output: String?

    @Option(help: "Label of this machine in comparisons and reports (default: the host name).")
    var label: String?

    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard (100...1_000_000).contains(generate) else { throw ValidationError("--generate must be in 100...1,000,000, not \(generate)") }
    }

    func execute(io: CommandIO) throws {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "machine"
        var options = ResultOptions()
        options.output = output ?? "simbench-suite-\(host).json"
        options.label = label ?? host
        try options.checkWritable()
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(documentCount: generate, seed: corpusSeed.corpusSeed), threads: threads.threads)
        let planted = GroundTruth(generated: corpus.truth).pairs(documentIDs: corpus.documents.map(\.id))
        let bytes = corpus.documents.reduce(0) { $0 + $1.utf8.count }
        var outcome = BenchResult(
            machine: .current(),
            corpus: CorpusSummary(name: "generated", documents: generate, bytes: bytes, seed: corpusSeed.corpusSeed, hasGroundTruth: true),
            label: options.label)
        let context = BenchmarkContext(
            documents: corpus.documents, truth: planted, threadCounts: BenchmarkContext.defaultThreadCounts(cores: threads.threads),
            sampler: sampling.sampler(), referenceSampler: Sampler(samples: Swift.min(sampling.samples, 3), minimumSampleSeconds: 0),
            progress: progress)
        try printHeader(outcome, io: io)
        try io.print("corpus:  generated, \(generate) documents, corpus seed \(corpusSeed.corpusSeed), \(bytes) bytes, \(planted.count) planted pairs; threads \(context.threadCounts.map(String.init).joined(separator: ","))")
        try io.print()
        try BenchCommand.measure(WorkloadRegistry.suite().workloads, in: context, into: &outcome, progress: progress, task: "suite")
        try io.print(TextTable.records(outcome.records))
        try outcome.finish(threadsUsed: context.threadCounts.max() ?? 1, options: options, io: io)
    }
}
