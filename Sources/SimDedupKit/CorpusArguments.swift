import ArgumentParser
import SimCore

/// The input options `bands` and `dedupe` share: field names and what to do with bad records.
public struct CorpusArguments: ParsableArguments {
    /// The JSON field holding the id.
    @Option(help: "JSON field holding the document id (a string or a number).")
    public var idField: String = "id"

    /// The JSON field holding the text.
    @Option(help: "JSON field holding the document text.")
    public var textField: String = "text"

    /// Skip bad records (counted and listed on stderr) instead of failing.
    @Flag(help: "Skip bad records (malformed JSON, missing fields, invalid UTF-8, empty text); each is reported on stderr and counted.")
    public var skipInvalid = false

    /// Creates the defaults.
    public init() {}

    /// The reader options.
    public var corpusOptions: CorpusOptions {
        CorpusOptions(idField: idField, textField: textField, invalidInput: skipInvalid ? .skip : .fail)
    }
}
