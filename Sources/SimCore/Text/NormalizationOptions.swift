/// How ``TextNormalizer`` turns raw UTF-8 into the canonical text that SimCore shingles.
///
/// The defaults make the same story compare equal whatever its typography: lower case,
/// compatibility forms folded, and every run of characters that are not letters, digits or
/// combining marks collapsed into one separator (an ASCII space).
///
/// ```swift
/// let normalizer = TextNormalizer()                      // NormalizationOptions.default
/// normalizer.normalize("“Don’t” — STOP…")                // "don t stop"
/// ```
public struct NormalizationOptions: Sendable, Hashable, Codable {
    /// Lower-case every character with Unicode's full lower-case mapping (ASCII by table).
    /// Default: `true`.
    public var lowercase: Bool

    /// Fold typographic and compatibility variants: curly quotes and primes to `'` and `"`,
    /// the dashes and minus sign to `-`, every Unicode space (no-break, thin, ideographic, …) to
    /// a space, zero-width characters and the soft hyphen removed, and then Unicode
    /// compatibility decomposition with canonical composition (NFKC) of each character, so that
    /// fullwidth letters, ligatures, the ellipsis character and superscripts compare equal to
    /// their plain forms. Default: `true`.
    public var foldCompatibilityForms: Bool

    /// Keep punctuation and symbols as part of tokens. When `false` (the default), every run of
    /// characters that are not letters (L), digits and other numbers (N) or marks (M) becomes
    /// one separator; when `true`, only white space, control and format characters separate
    /// tokens.
    public var keepPunctuation: Bool

    /// Creates normalization options.
    ///
    /// - Parameters:
    ///   - lowercase: Lower-case every character (default `true`).
    ///   - foldCompatibilityForms: Fold typographic and compatibility variants (default `true`).
    ///   - keepPunctuation: Keep punctuation and symbols inside tokens (default `false`).
    public init(lowercase: Bool = true, foldCompatibilityForms: Bool = true, keepPunctuation: Bool = false) {
        self.lowercase = lowercase
        self.foldCompatibilityForms = foldCompatibilityForms
        self.keepPunctuation = keepPunctuation
    }

    /// Lower case, compatibility forms folded, punctuation collapsed into separators.
    public static let `default` = NormalizationOptions()

    /// A small integer that names this combination of options (0 to 7).
    var _tableIndex: Int {
        (lowercase ? 1 : 0) | (foldCompatibilityForms ? 2 : 0) | (keepPunctuation ? 4 : 0)
    }
}
