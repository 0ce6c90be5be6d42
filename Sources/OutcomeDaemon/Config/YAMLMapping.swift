import Yams

/// A YAML mapping whose keys were checked against the allowed set, in file order.
struct YAMLMapping {
    /// One `key: value` entry.
    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    /// The mapping node itself, for errors about missing keys.
    let node: Node
    let entries: [Entry]

    subscript(key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    func keyNode(_ key: String) -> Node? {
        entries.first { $0.key == key }?.keyNode
    }

    func has(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }
}
