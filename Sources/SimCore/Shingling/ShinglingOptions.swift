/// How a document becomes a set of shingles: the unit, its width, the seed, and normalization.
///
/// Defaults: word 5-grams, seed 0, ``NormalizationOptions/default``.
///
/// ```swift
/// let options = ShinglingOptions(unit: .characters(7), seed: 42)
/// ```
public struct ShinglingOptions: Sendable, Hashable, Codable {
    /// What a shingle is made of.
    public enum Unit: Sendable, Hashable, Codable, CustomStringConvertible {
        /// `n` consecutive normalized tokens (word n-grams). `n` must be at least 1.
        case words(Int)
        /// `k` consecutive Unicode scalars of the normalized text, spaces included (character
        /// k-grams). `k` must be at least 1.
        case characters(Int)

        /// The width: n for words, k for characters.
        public var width: Int {
            switch self {
            case .words(let n): n
            case .characters(let k): k
            }
        }

        /// `words:N` or `chars:K`, the form the command line takes.
        public var description: String {
            switch self {
            case .words(let n): "words:\(n)"
            case .characters(let k): "chars:\(k)"
            }
        }

        /// Parses `words:N` or `chars:K` (also `w5`/`c7` style: `words5`, `chars7`).
        ///
        /// - Parameter text: The unit as written on a command line.
        /// - Returns: The unit, or `nil` if `text` is not one or its width is below 1.
        public init?(_ text: String) {
            let lowered = text.lowercased()
            let (prefix, digits): (String, Substring)
            if lowered.hasPrefix("words") {
                (prefix, digits) = ("w", lowered.dropFirst(5).drop { $0 == ":" || $0 == "=" })
            } else if lowered.hasPrefix("chars") {
                (prefix, digits) = ("c", lowered.dropFirst(5).drop { $0 == ":" || $0 == "=" })
            } else {
                return nil
            }
            guard let width = Int(digits), width >= 1, width <= 1_000 else { return nil }
            self = prefix == "w" ? .words(width) : .characters(width)
        }
    }

    /// The shingle unit and width. Default: `.words(5)`.
    public var unit: Unit
    /// Seed of the XXH3 hash applied to tokens and character k-grams. Default: 0.
    public var seed: UInt64
    /// The normalization applied before shingling. Default: ``NormalizationOptions/default``.
    public var normalization: NormalizationOptions

    /// Creates shingling options.
    ///
    /// - Parameters:
    ///   - unit: Word n-grams or character k-grams (default word 5-grams); width 1 to 1,000.
    ///   - seed: The hash seed (default 0).
    ///   - normalization: The normalization rules (default ``NormalizationOptions/default``).
    public init(unit: Unit = .words(5), seed: UInt64 = 0, normalization: NormalizationOptions = .default) {
        precondition(unit.width >= 1 && unit.width <= 1_000, "shingle width must be 1...1000")
        self.unit = unit
        self.seed = seed
        self.normalization = normalization
    }
}
