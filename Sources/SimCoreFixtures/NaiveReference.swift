/// The naive baseline every run times on the same data: word shingles as `Set<String>` after
/// `lowercased()` and splitting on non-alphanumerics, and exact Jaccard by set intersection.
///
/// It is what a straightforward Swift program would do, so SimCore's speed-ups are ratios
/// measured in the same run rather than absolute times.
///
/// ```swift
/// let set = NaiveReference.wordShingles("One two, three FOUR", width: 2)
/// // ["one two", "two three", "three four"]
/// NaiveReference.jaccard(set, set)   // 1.0
/// ```
public enum NaiveReference {
    /// The lower-cased alphanumeric words of `text`.
    ///
    /// - Parameter text: Any text.
    /// - Returns: Its words in order.
    public static func words(_ text: String) -> [Substring] {
        let lowered = text.lowercased()
        return lowered.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    }

    /// The set of word `width`-grams of `text`, each joined by single spaces.
    ///
    /// - Parameters:
    ///   - text: Any text.
    ///   - width: Words per shingle, at least 1.
    /// - Returns: The shingles; one shingle of all words when there are fewer than `width`.
    public static func wordShingles(_ text: String, width: Int) -> Set<String> {
        let words = words(text)
        guard words.count > width else { return words.isEmpty ? [] : [words.joined(separator: " ")] }
        var set = Set<String>()
        for start in 0...(words.count - width) {
            set.insert(words[start..<(start + width)].joined(separator: " "))
        }
        return set
    }

    /// Exact Jaccard similarity |A ∩ B| / |A ∪ B| (1 for two empty sets).
    ///
    /// - Parameters:
    ///   - a: A set.
    ///   - b: Another set.
    /// - Returns: The similarity in [0, 1].
    public static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let shared = a.intersection(b).count
        let union = a.count + b.count - shared
        return union == 0 ? 1 : Double(shared) / Double(union)
    }

    /// Every pair with Jaccard similarity at least `threshold`, by comparing all pairs.
    ///
    /// - Parameters:
    ///   - sets: Shingle sets.
    ///   - threshold: The similarity threshold.
    /// - Returns: The similar pairs.
    /// - Complexity: O(n² · set size).
    public static func allPairs(_ sets: [Set<String>], threshold: Double) -> Set<DocumentPair> {
        var pairs = Set<DocumentPair>()
        for a in sets.indices {
            for b in sets.indices where b > a && jaccard(sets[a], sets[b]) >= threshold {
                pairs.insert(DocumentPair(a, b))
            }
        }
        return pairs
    }
}
