import Foundation
import SimCoreFixtures

/// A small JSON Schema checker for the keywords `Docs/simbench-result.schema.json` uses:
/// type (one or a list), required, properties, additionalProperties, items, const, enum,
/// minimum and local `$ref`s. Returns every violation with its JSON path.
struct SchemaValidator {
    let root: [String: Any]

    static func resultSchema() throws -> SchemaValidator {
        let data = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.resultSchema))
        return SchemaValidator(root: try JSONSerialization.jsonObject(with: data) as! [String: Any])
    }

    func violations(of json: Data) throws -> [String] {
        var found: [String] = []
        check(try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]), against: root, path: "$", into: &found)
        return found
    }

    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String, reference.hasPrefix("#/") else { return schema }
        var node: Any = root
        for part in reference.dropFirst(2).split(separator: "/") { node = (node as! [String: Any])[String(part)]! }
        return node as! [String: Any]
    }

    private func typeName(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let number as NSNumber:
            if String(describing: type(of: value)).contains("Boolean") { return "boolean" }
            let kind = String(cString: number.objCType)
            return kind == "d" || kind == "f" ? "number" : "integer"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }

    private func check(_ value: Any, against raw: [String: Any], path: String, into found: inout [String]) {
        let schema = resolve(raw)
        let actual = typeName(value)
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as! String]
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok {
                found.append("\(path): expected \(allowed.joined(separator: "|")), found \(actual)")
                return
            }
        }
        if let constant = schema["const"], "\(constant)" != "\(value)" { found.append("\(path): expected \(constant), found \(value)") }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
            found.append("\(path): \(value) not in \(options)")
        }
        if let minimum = schema["minimum"] as? NSNumber, let number = value as? NSNumber, number.doubleValue < minimum.doubleValue {
            found.append("\(path): \(number) below \(minimum)")
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                found.append("\(path): missing required '\(key)'")
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for (key, member) in object {
                if let property = properties[key] as? [String: Any] {
                    check(member, against: property, path: "\(path).\(key)", into: &found)
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    check(member, against: additional, path: "\(path).\(key)", into: &found)
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { check(element, against: items, path: "\(path)[\(index)]", into: &found) }
        }
    }
}
