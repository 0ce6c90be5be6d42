import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request does not arrive whole, head to end of body, within
/// `timeout`: a sender that trickles its body would otherwise hold a connection slot and a
/// file descriptor for as long as it likes. At shutdown, a request still being read is cut off
/// at once (its sender got no answer, so it retries), so a stalled sender cannot delay the exit.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    /// When the request being read must be whole: set at its head.
    private var due: NIODeadline?
    private var deadline: Scheduled<Void>?
    private var reading: Bool { due != nil }

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            deadline = nil
            due = context.eventLoop.now + timeout
        case .body:
            break
        case .end:
            due = nil
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    /// The timer starts only for a request that a read left unfinished: most arrive whole in
    /// one read, and a timer set and cancelled for each of them costs the event loop.
    func channelReadComplete(context: ChannelHandlerContext) {
        if let due, deadline == nil {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(deadline: due) {
                loopBound.value.close(promise: nil)
            }
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, reading {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        due = nil
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
