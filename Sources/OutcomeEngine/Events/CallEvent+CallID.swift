extension CallEvent {
    /// The longest call id accepted, in UTF-8 bytes.
    public static let maxCallIDBytes = 256

    /// The call id at `path`, checked: it names the call PATCHed upstream, so it is taken whole
    /// or refused. A string without control characters, or a whole number as its digits.
    static func callID(_ value: JSONValue?, at path: String) throws(EventError) -> String {
        guard let value, value.isPresent else { throw .missingCallID("\(path) is missing") }
        switch value {
        case .string(let id):
            if id.utf8.count > maxCallIDBytes {
                throw .invalidCallID("\(path) is \(id.utf8.count) bytes long; at most \(maxCallIDBytes) are accepted")
            }
            if let control = id.unicodeScalars.first(where: isControl) {
                let code = String(control.value, radix: 16, uppercase: true)
                throw .invalidCallID("\(path) contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code)")
            }
            return id
        case .number:
            guard let id = value.identifierValue else {
                throw .invalidCallID("\(path) is the number \(value.shortDescription); a numeric call id must be a whole number written in digits")
            }
            guard id.utf8.count <= maxCallIDBytes else {
                throw .invalidCallID("\(path) is \(id.utf8.count) digits long; at most \(maxCallIDBytes) are accepted")
            }
            return id
        default:
            throw .invalidCallID("\(path) is \(value.shortDescription); a call id must be a string or a whole number")
        }
    }

    /// C0 controls, DEL and C1 controls: bytes a URL, a log line or a terminal would not show as written.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
