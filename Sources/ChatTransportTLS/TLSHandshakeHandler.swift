import ChatCore
import ChatTransportTCP
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind NIOSSL's handler until the handshake is done: then builds the chat pipeline (``onHandshake``) and
/// leaves. So a connection counts as a client, and gets a session, only once it speaks TLS; until then it counts in
/// ``PendingHandshakes`` (and is closed at once when that is full), through its ``HandshakePlace``. One that does not
/// finish the handshake within the timeout (a half-open handshake) is closed, and one that sends something that is
/// not TLS is closed as soon as NIOSSL says so. Neither is logged above debug.
final class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The connect rate, the place among the handshakes in progress, and the timeout (the same as SSH's set-up).
    private var place: HandshakePlace
    private let logger: Logger
    private let onHandshake: (any Channel) throws -> Void
    private var isDone = false

    init(
        timeout: TimeAmount,
        pending: PendingHandshakes,
        admitsConnect: @escaping (PeerAddress) -> Bool = { _ in true },
        logger: Logger,
        onHandshake: @escaping (any Channel) throws -> Void
    ) {
        // Counted at once, not once the handshake is done: a rate-limited address made the server sign 8,885
        // handshakes in 15 s.
        self.place = HandshakePlace(
            door: "tls",
            phase: "handshake",
            timeout: timeout,
            pending: pending,
            admitsConnect: admitsConnect,
            logger: logger
        )
        self.logger = logger
        self.onHandshake = onHandshake
    }

    func channelActive(context: ChannelHandlerContext) {
        guard self.place.take(for: context.channel) else { return }
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.place.leave()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, !self.isDone {
            self.isDone = true
            self.place.leave()
            do {
                try self.onHandshake(context.channel)
            } catch {
                self.logger.debug("cannot set up a tls connection", metadata: ["error": "\(error)"])
                context.close(promise: nil)
                return
            }
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !self.isDone else {
            context.fireErrorCaught(error)
            return
        }
        // Not TLS, a client that gave up, a scanner: routine on a public port.
        self.place.logFailure(error, on: context.channel)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension TLSHandshakeHandler: Sendable {}
