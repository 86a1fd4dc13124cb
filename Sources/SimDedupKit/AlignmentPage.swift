import SimCore
import SimCoreInternals

/// The picture `simdedup align --html` draws: two texts side by side, each shared passage
/// highlighted in its own colour on both sides, coverage figures at the top. One self-contained
/// HTML file, no scripts, nothing fetched: a highlighted passage links to its counterpart on the
/// other side, and the legend links to each passage.
///
/// ```swift
/// let html = AlignmentPage.html(alignment: alignment, a: (name: "001.txt", utf8: a), b: (name: "002.txt", utf8: b))
/// ```
public enum AlignmentPage {
    /// The page.
    ///
    /// - Parameters:
    ///   - alignment: The alignment of `a` (side A) and `b`.
    ///   - a: Text A's name and bytes (invalid UTF-8 is shown as U+FFFD).
    ///   - b: Text B's name and bytes.
    /// - Returns: The HTML document.
    /// - Complexity: O(n + m + segments × passages).
    public static func html(alignment: Alignment, a: (name: String, utf8: [UInt8]), b: (name: String, utf8: [UInt8])) -> String {
        let passages = alignment.passages
        var page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Shared passages: \(escape(a.name)) and \(escape(b.name))</title>
            <style>
            body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#f4f4f6}
            header{padding:18px 28px 14px;background:#fff;border-bottom:1px solid #d9d9de}
            h1{font-size:19px;margin:0 0 12px;font-weight:600}
            .figures{display:flex;gap:40px;flex-wrap:wrap}
            .figure span{display:block;font-size:13px;color:#606066}
            .figure b{font-size:24px;font-weight:600}
            .legend{margin-top:14px;display:flex;flex-wrap:wrap;gap:6px}
            .legend a{padding:2px 9px;border-radius:4px;color:#1d1d1f;text-decoration:none;font-size:13px;border:1px solid rgba(0,0,0,.12)}
            .none{color:#606066;font-style:italic}
            main{display:grid;grid-template-columns:1fr 1fr;gap:18px;padding:18px 28px}
            section{background:#fff;border:1px solid #d9d9de;border-radius:6px;padding:14px 18px;min-width:0}
            h2{font-size:14px;margin:0 0 10px;color:#3a3a40;overflow-wrap:anywhere}
            .text{white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.6 Georgia,"Times New Roman",serif}
            a.m{color:inherit;text-decoration:none;border-radius:2px}
            a.m.both{box-shadow:inset 0 -2px 0 #1d1d1f}
            \(passages.indices.map { ".p\($0 + 1){background:\(colour($0))}" }.joined(separator: "\n"))
            </style></head><body>
            <header>
            <h1>Shared passages: \(escape(a.name)) and \(escape(b.name))</h1>
            <div class="figures">
            <div class="figure"><span>passages</span><b>\(passages.count)</b></div>
            <div class="figure"><span>\(escape(a.name)): words in passages</span><b>\(percent(alignment.coverageA))</b> of \(alignment.wordCountA)</div>
            <div class="figure"><span>\(escape(b.name)): words in passages</span><b>\(percent(alignment.coverageB))</b> of \(alignment.wordCountB)</div>
            </div>
            <div class="legend">
            """
        if passages.isEmpty { page += "<span class=\"none\">The texts share no passage.</span>" }
        for (index, passage) in passages.enumerated() {
            page += "<a class=\"p\(index + 1)\" href=\"#a\(index + 1)\">\(index + 1): \(passage.wordsA.count)/\(passage.wordsB.count) words, "
                + "\(percent(passage.similarity)) alike</a>\n"
        }
        page += "</div>\n</header>\n<main>\n"
        page += side(a, name: "a", other: "b", ranges: passages.map(\.bytesA), passages: passages)
        page += side(b, name: "b", other: "a", ranges: passages.map(\.bytesB), passages: passages)
        page += "</main>\n</body></html>\n"
        return page
    }

    /// One column: the text cut at every passage boundary, each piece inside a passage linked to
    /// the same passage on the other side.
    private static func side(
        _ text: (name: String, utf8: [UInt8]), name: String, other: String, ranges: [Range<Int>], passages: [AlignedPassage]
    ) -> String {
        var cuts = Set([0, text.utf8.count])
        for range in ranges { cuts.insert(range.lowerBound); cuts.insert(range.upperBound) }
        let boundaries = cuts.sorted()
        var html = "<section><h2>\(escape(text.name))</h2><div class=\"text\">"
        var anchored = Set<Int>()
        for (start, end) in zip(boundaries, boundaries.dropFirst()) where start < end {
            let piece = escape(String(decoding: text.utf8[start..<end], as: UTF8.self))
            let covering = ranges.indices.filter { ranges[$0].lowerBound <= start && ranges[$0].upperBound >= end }
            guard let first = covering.first else {
                html += piece
                continue
            }
            let number = first + 1
            let id = anchored.insert(first).inserted ? " id=\"\(name)\(number)\"" : ""
            let passage = passages[first]
            let title = "passage \(number): \(passage.wordsA.count) words in A, \(passage.wordsB.count) in B, similarity "
                + formatted(passage.similarity, 3) + (covering.count > 1 ? " (and \(covering.count - 1) more)" : "")
            html += "<a class=\"m p\(number)\(covering.count > 1 ? " both" : "")\"\(id) href=\"#\(other)\(number)\" title=\"\(title)\">\(piece)</a>"
        }
        return html + "</div></section>\n"
    }

    /// A light colour per passage: hues a golden angle apart, so neighbours differ.
    private static func colour(_ index: Int) -> String {
        let hue = (Double(index) * 137.508).truncatingRemainder(dividingBy: 360)
        return "hsl(\(formatted(hue, 1)) 80% \(index % 2 == 0 ? 80 : 72)%)"
    }

    private static func percent(_ fraction: Double) -> String { formatted(fraction * 100, 1) + "%" }

    private static func escape(_ text: String) -> String { escapedHTML(text) }
}
