/// Where the intake server listens: a TCP `host:port`, or a unix socket path.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// Parses `host:port`, `[v6]:port` or `unix:/path`; nil with a reason when malformed.
    public static func parse(_ text: String) -> Result<ListenAddress, ListenAddressError> {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard path.hasPrefix("/") else { return .failure(.init(reason: "a unix socket path must be absolute")) }
            return .success(.unix(path: path))
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(.init(reason: "expected [ipv6]:port"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(.init(reason: "expected host:port or unix:/path")) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return .failure(.init(reason: "an IPv6 host goes in brackets: [::1]:8787")) }
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:_".contains($0)) }) else {
            return .failure(.init(reason: "bad host \"\(host)\""))
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            return .failure(.init(reason: "bad port \"\(portText)\"; use 0-65535"))
        }
        return .success(.tcp(host: String(host), port: port))
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): return "unix:\(path)"
        }
    }
}

/// Why a `listen` address is malformed.
public struct ListenAddressError: Error, Sendable, Hashable {
    /// The reason, in words.
    public var reason: String
}
