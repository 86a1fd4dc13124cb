
extension DecodingError {
    /// The error as one sentence for people, without Swift's type and coding-path dumps:
    /// `missing field "machine"`, `field "records[3].threads" must be an integer`, `not valid JSON`.
    ///
    /// ```swift
    /// error.readableDescription   // "missing field \"label\""
    /// ```
    package var readableDescription: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: "a string"
            case is Bool.Type: "true or false"
            case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type, is UInt32.Type: "an integer"
            case is Double.Type, is Float.Type: "a number"
            default:
                "\(type)".hasPrefix("Array") ? "an array" : "\(type)".hasPrefix("Dictionary") ? "an object" : "of another type"
            }
        }
        switch self {
        case .keyNotFound(let key, let context):
            let place = path(context.codingPath + [key])
            return "missing field \"\(place)\""
        case .typeMismatch(let type, let context):
            let place = path(context.codingPath)
            return place.isEmpty ? "expected \(kind(type)) at the top level" : "field \"\(place)\" must be \(kind(type))"
        case .valueNotFound(let type, let context):
            return "field \"\(path(context.codingPath))\" is null; it must be \(kind(type))"
        case .dataCorrupted(let context):
            let place = path(context.codingPath)
            if context.underlyingError != nil || place.isEmpty { return "not valid JSON" }
            return "field \"\(place)\" has an invalid value"
        @unknown default:
            return "not a valid file"
        }
    }
}
