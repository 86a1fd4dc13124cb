/// `value` with `digits` decimals, without Foundation's locale-dependent formatting: the same
/// text on every platform.
///
/// ```swift
/// formatted(3.14159, 2)   // "3.14"
/// formatted(2.5, 0)       // "3"
/// ```
package func formatted(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if digits == 0 { return String(Int64(rounded)) }
    var text = String(rounded)
    if let dot = text.firstIndex(of: "."), !text.contains("e") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}

/// `value` with its digits in groups of three, as the tools print counts: the same text on
/// every platform, whatever the locale.
///
/// ```swift
/// grouped(1234567)   // "1,234,567"
/// grouped(-1000)     // "-1,000"
/// grouped(999)       // "999"
/// ```
package func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
        grouped.append(digit)
    }
    return (value < 0 ? "-" : "") + grouped
}

/// A rate rounded to a whole number with its digits grouped (`99,988`); a value no `Int`
/// holds (not finite, or past 2⁶³: a run timed at nearly nothing) as Swift writes the double.
package func groupedRate(_ rate: Double) -> String {
    Int(exactly: rate.rounded()).map(grouped) ?? "\(rate.rounded())"
}

extension Duration {
    /// The duration in seconds.
    package var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}

/// `text` with `&`, `<`, `>` and `"` written as entities, for HTML and SVG text and attributes:
/// the one escaper of the tools' HTML pages.
///
/// ```swift
/// escapedHTML("a < b & \"c\"")   // "a &lt; b &amp; &quot;c&quot;"
/// ```
package func escapedHTML(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped
}
