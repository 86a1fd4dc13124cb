import ArgumentParser
import SimCommandLine
import SimCore
import SimCoreIO

/// `simdedup align A B`: the passages two text files share, as one JSON line and optionally as an
/// HTML picture.
public struct AlignCommand: IOCommand {
    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Aligns two text files: the passages they share, with byte ranges into both.",
        discussion: """
            A and B are read as raw bytes (invalid UTF-8 is matched as a separator; ranges still index \
            the bytes as given). Output: one line in the format of `simdedup reuse`, the ids being the \
            paths as given. --html writes a self-contained page (no scripts) with the texts side by \
            side and each shared passage in its own colour on both sides.
            """
    )

    /// How the texts are aligned.
    @OptionGroup public var alignment: AlignmentOptionGroup
    /// The HTML picture.
    @Option(help: "Also write the side-by-side HTML picture to this file.")
    public var html: String?
    /// Text A.
    @Argument(help: "Text file A.")
    public var a: String
    /// Text B.
    @Argument(help: "Text file B.")
    public var b: String

    /// Creates the defaults.
    public init() {}

    /// Runs the command.
    public func execute(io: CommandIO) throws {
        let textA = try CorpusReader.readFile(atPath: a)
        let textB = try CorpusReader.readFile(atPath: b)
        let result = PassageAligner(options: alignment.alignmentOptions).align(utf8: textA, textB)
        var line: [UInt8] = []
        ReuseRun.appendPair(result, a: DocumentID(text: a), b: DocumentID(text: b), to: &line)
        try io.standardOutput.write(bytes: line)
        if let html {
            let sink = try OutputSink.file(atomicallyAt: html)
            try sink.write(AlignmentPage.html(alignment: result, a: (a, textA), b: (b, textB)))
            try sink.close()
        }
        try io.standardOutput.flush()
    }
}
