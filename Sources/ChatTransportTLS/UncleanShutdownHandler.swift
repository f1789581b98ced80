import NIOCore
import NIOSSL

/// Treats a TLS peer that closes its socket without TLS's close_notify (most clients when they quit or are killed)
/// as what it is on the plain port: the peer closed. NIOSSL reports it as an error, which would end the session as
/// lost; swallowed here, the connection's end is the channelInactive that follows.
final class UncleanShutdownHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOSSLError, case .uncleanShutdown = error {
            return
        }
        context.fireErrorCaught(error)
    }
}

@available(*, unavailable)
extension UncleanShutdownHandler: Sendable {}
