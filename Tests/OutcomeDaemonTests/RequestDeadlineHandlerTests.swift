import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import OutcomeDaemon

/// The read deadline of intake's connections, on an embedded channel with a fake clock.
struct RequestDeadlineHandlerTests {
    static let timeout = TimeAmount.seconds(10)

    func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: RequestDeadlineHandler(timeout: Self.timeout))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    var head: HTTPRequestPart { .head(HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/v1/events")) }
    var body: HTTPRequestPart { .body(ByteBuffer(string: "{}")) }

    /// One socket read: the parts it carried, then the read's end.
    func read(_ parts: [HTTPRequestPart], on channel: EmbeddedChannel) throws {
        for part in parts { try channel.writeInbound(part) }
        channel.pipeline.fireChannelReadComplete()
    }

    @Test func aRequestThatTricklesIsCutOffAtTheDeadlineFromItsHead() throws {
        let channel = try channel()
        try read([head], on: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        try read([body], on: channel)
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(!channel.isActive)
    }

    @Test func aRequestFinishedInTimeKeepsTheConnection() throws {
        let channel = try channel()
        try read([head, body], on: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        try read([.end(nil)], on: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        // A request that came whole in one read, then an idle keep-alive connection.
        try read([head, body, .end(nil)], on: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func shutdownCutsOffOnlyARequestBeingRead() throws {
        let idle = try channel()
        try read([head, body, .end(nil)], on: idle)
        idle.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(idle.isActive)
        _ = try idle.finish()

        let reading = try channel()
        try read([head], on: reading)
        reading.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!reading.isActive)
    }
}
