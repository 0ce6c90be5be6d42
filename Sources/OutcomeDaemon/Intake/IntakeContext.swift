import Hummingbird
import NIOCore

/// The request context of the intake server: Hummingbird's core storage and the peer address,
/// which `/-/reload` needs to accept loopback callers only.
public struct IntakeContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The connection's event loop, where its answers are written.
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        eventLoop = source.channel.eventLoop
    }

    /// Whether the peer is on this machine: a loopback address or a unix socket.
    public var isLocal: Bool {
        switch remoteAddress {
        case .unixDomainSocket?: return true
        case .v4(let address)?: return address.host.hasPrefix("127.")
        case .v6(let address)?: return address.host == "::1" || address.host.hasPrefix("::ffff:127.")
        case nil: return false
        }
    }

    /// The peer for `peer=` in log lines: `host:port`, `[v6]:port`, `unix` or `unknown`.
    public var peer: String {
        switch remoteAddress {
        case .v4(let address)?: return "\(address.host):\(remoteAddress?.port ?? 0)"
        case .v6(let address)?: return "[\(address.host)]:\(remoteAddress?.port ?? 0)"
        case .unixDomainSocket?: return "unix"
        case nil: return "unknown"
        }
    }
}
