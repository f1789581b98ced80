import NIOCore

/// Tells an ``Outbox`` about its channel: when the socket can take more bytes again, and when the peer is gone.
final class OutboxWritabilityHandler: ChannelInboundHandler {
    typealias InboundIn = Any

    private let outbox: Outbox

    init(outbox: Outbox) {
        self.outbox = outbox
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.outbox.drain()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // NIO reads everything the peer sent up to its EOF before this, so a backlog may still be queued behind us:
        // the connection's task uses this to stop acting on it.
        self.outbox.markPeerGone()
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension OutboxWritabilityHandler: Sendable {}
