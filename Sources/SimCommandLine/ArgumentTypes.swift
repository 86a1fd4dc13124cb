import ArgumentParser
import SimCore

// The argument types both command lines take, parsed once here so that a value means the same
// everywhere (`--shingle words:5`, `--scheme oph`, `--measure overlap`, `--verification exact`).

extension ShinglingOptions.Unit: ExpressibleByArgument {
    /// Parses `words:N` or `chars:K`.
    public init?(argument: String) {
        self.init(argument)
    }

    /// `words:N` or `chars:K`, for help texts.
    public var defaultValueDescription: String { description }
}

extension SignatureSchemeKind: ExpressibleByArgument {}

extension DeduplicationOptions.Measure: ExpressibleByArgument {}

extension DeduplicationOptions.Verification: ExpressibleByArgument {}
