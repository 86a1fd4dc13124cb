import ArgumentParser
import SimCore
import SimCoreIO

/// `--shingle words:N`, `--seed`, `--min-passage-words`, `--max-gap`: how two texts are aligned
/// into shared passages (``AlignmentOptions``). The seed n-gram is a word shingle, so its width
/// is `--shingle`'s (character shingles are refused).
public struct AlignmentOptionGroup: ParsableArguments {
    /// Shingling: the seed n-gram width and the hash seed.
    @OptionGroup public var shingling: ShinglingOptionGroup

    /// The fewest matching words of a reported passage.
    @Option(parsing: .unconditional, help: "Report passages of at least this many matching words (1...100000).")
    public var minPassageWords: Int = AlignmentOptions().minimumPassageWords

    /// The widest gap a passage bridges.
    @Option(parsing: .unconditional, help: "Bridge up to this many substituted, inserted or deleted words inside a passage (0...10000).")
    public var maxGap: Int = AlignmentOptions().maximumGap

    /// Creates the defaults.
    public init() {}

    /// Checks the values.
    public func validate() throws {
        guard case .words = shingling.shingle else {
            throw ValidationError("passages are aligned on word n-grams: give --shingle words:N, not \(shingling.shingle)")
        }
        guard (1...100_000).contains(minPassageWords) else {
            throw ValidationError("--min-passage-words must be in 1...100000, not \(minPassageWords)")
        }
        guard (0...10_000).contains(maxGap) else { throw ValidationError("--max-gap must be in 0...10000, not \(maxGap)") }
    }

    /// The alignment options these flags give.
    public var alignmentOptions: AlignmentOptions {
        AlignmentOptions(
            ngramWidth: shingling.shingle.width, minimumPassageWords: minPassageWords, maximumGap: maxGap, seed: shingling.seed)
    }
}

/// The alignment options plus `--max-df`: how a corpus is searched for reuse (``ReuseOptions``).
public struct ReuseOptionGroup: ParsableArguments {
    /// How pairs are aligned.
    @OptionGroup public var alignment: AlignmentOptionGroup

    /// The document-frequency cap of the n-gram index.
    @Option(name: .customLong("max-df"), parsing: .unconditional, help: "Leave n-grams held by more than this many documents out of the index (at least 2).")
    public var maxDF: Int = ReuseOptions().maximumDocumentFrequency

    /// Creates the defaults.
    public init() {}

    /// Checks the cap.
    public func validate() throws {
        guard maxDF >= 2 else { throw ValidationError("--max-df must be at least 2, not \(maxDF)") }
    }

    /// The reuse options these flags give.
    public var reuseOptions: ReuseOptions {
        ReuseOptions(alignment: alignment.alignmentOptions, maximumDocumentFrequency: maxDF)
    }
}

/// `--boilerplate auto|off` and `--boilerplate-report FILE`: whether lines that recur across many
/// documents are blanked before the engine sees them, and where to list them.
///
/// The default differs by command (`reuse`: `auto`; `dedupe`: `off`, which keeps its output and
/// its streaming memory unchanged), so the group leaves it to the command.
public struct BoilerplateOptionGroup: ParsableArguments {
    /// Whether boilerplate lines are found and blanked.
    public enum Mode: String, CaseIterable, ExpressibleByArgument, Sendable {
        /// Lines in at least max(10, 1% of the documents) are blanked.
        case auto
        /// Nothing is blanked.
        case off

        /// `auto` and `off`, for help texts and completion, without the key path the library's
        /// default instantiates at run time (see `ArgumentTypes.swift`).
        public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    }

    /// The mode, if given.
    @Option(help: "auto: blank lines found in at least max(10, 1% of) the documents (tickers, copyright, navigation); off: keep every line (default: auto for reuse, off for dedupe).")
    public var boilerplate: Mode?

    /// Where to list the boilerplate lines.
    @Option(help: "Write the lines treated as boilerplate to this file, JSON Lines {\"text\":…,\"documents\":N}.")
    public var boilerplateReport: String?

    /// Creates the defaults.
    public init() {}

    /// Checks the combination.
    public func validate() throws {
        if boilerplateReport != nil && boilerplate == .off {
            throw ValidationError("--boilerplate-report needs --boilerplate auto")
        }
    }

    /// Whether boilerplate is blanked, given the command's default.
    ///
    /// - Parameter defaultMode: The command's default.
    /// - Returns: `true` for `auto`.
    public func isOn(defaultMode: Mode) -> Bool {
        (boilerplate ?? (boilerplateReport != nil ? .auto : defaultMode)) == .auto
    }

    /// Finds the boilerplate of `documents` and blanks it, writes the report if asked, and says on
    /// standard error what was found.
    ///
    /// - Parameters:
    ///   - documents: The corpus.
    ///   - threads: Worker threads.
    ///   - io: Where the summary line goes.
    ///   - tool: The message prefix.
    /// - Returns: The boilerplate lines, and the documents with them blanked (same lengths).
    /// - Throws: ``OutputError`` when the report cannot be written.
    public func blanking(
        _ documents: [Document], threads: Int, io: CommandIO, tool: String
    ) throws(OutputError) -> (lines: BoilerplateLines, documents: [Document]) {
        let (model, blanked) = BoilerplateLines.blanking(documents, threads: threads)
        let most = model.lines.first.map { "; the most frequent in \($0.documents) documents" } ?? ""
        io.message("\(tool): boilerplate: \(model.lines.count) lines in at least \(model.threshold) documents each\(most)"
            + (boilerplateReport.map { " (listed in \($0))" } ?? ""))
        if let boilerplateReport {
            let sink = try OutputSink.file(atomicallyAt: boilerplateReport)
            var line: [UInt8] = []
            for entry in model.lines {
                line.removeAll(keepingCapacity: true)
                line.append(contentsOf: #"{"text":"#.utf8)
                JSONText.appendString(entry.text, to: &line)
                line.append(contentsOf: ",\"documents\":\(entry.documents)}\n".utf8)
                try sink.write(bytes: line)
            }
            try sink.close()
        }
        return (model, blanked)
    }
}
