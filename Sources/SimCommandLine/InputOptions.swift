import ArgumentParser
import SimCoreIO

/// `--id-field`, `--text-field`, `--skip-invalid`: how every command that reads a corpus reads it.
public struct InputOptions: ParsableArguments {
    /// The JSON field holding the id.
    @Option(help: "JSON Lines field holding the document id (a string or a number).")
    public var idField: String = "id"

    /// The JSON field holding the text.
    @Option(help: "JSON Lines field holding the document text (a string).")
    public var textField: String = "text"

    /// Skip bad records (counted and listed on stderr) instead of failing.
    @Flag(help: "Skip bad records (malformed JSON, missing fields, invalid UTF-8, empty text): each is reported on stderr and counted.")
    public var skipInvalid = false

    /// Creates the defaults.
    public init() {}

    /// Checks the field names.
    public func validate() throws {
        guard !idField.isEmpty, !textField.isEmpty else { throw ValidationError("--id-field and --text-field must not be empty") }
        guard idField != textField else {
            throw ValidationError("--id-field and --text-field must name different fields (both are \"\(idField)\")")
        }
    }

    /// The reader options.
    public var corpusOptions: CorpusOptions {
        CorpusOptions(idField: idField, textField: textField, invalidInput: skipInvalid ? .skip : .fail)
    }
}

/// `--quiet`: no progress and no summary on standard error, for scripts and cron jobs (errors,
/// warnings and skipped records still appear).
public struct QuietOption: ParsableArguments {
    /// Whether `--quiet` was given.
    @Flag(name: [.customShort("q"), .long], help: "No progress and no summary on standard error (errors, warnings and skipped records still appear).")
    public var quiet = false

    /// Creates the default (not quiet).
    public init() {}
}
