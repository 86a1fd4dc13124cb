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

// Each enum spells out its values for help and completion: swift-argument-parser's default
// builds them through the key path `\.rawValue.defaultValueDescription`, which the runtime
// instantiates on every start (1.1 M instructions of the 33 M a one-document run takes).

extension SignatureSchemeKind: ExpressibleByArgument {
    /// The raw values (`oph`, `minhash`, …), for help texts and completion.
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}

extension DeduplicationOptions.Measure: ExpressibleByArgument {
    /// The raw values (`jaccard`, `overlap`), for help texts and completion.
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}

extension DeduplicationOptions.Verification: ExpressibleByArgument {
    /// The raw values (`estimated`, `exact`), for help texts and completion.
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}
