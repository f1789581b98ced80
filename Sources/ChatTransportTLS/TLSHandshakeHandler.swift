import ChatCore
import ChatTransportTCP
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind NIOSSL's handler until the handshake is done: then builds the chat pipeline (``onHandshake``) and
/// leaves. So a connection counts as a client, and gets a session, only once it speaks TLS; until then it counts in
/// ``PendingHandshakes`` (and is closed at once when that is full). One that does not finish the handshake within
/// ``timeout`` (a half-open handshake) is closed, and one that sends something that is not TLS is closed as soon as
/// NIOSSL says so. Neither is logged above debug.
final class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let pending: PendingHandshakes
    /// Counts the connection against `--connect-rate`; false when its address connects too often.
    private let admitsConnect: (PeerAddress) -> Bool
    private let logger: Logger
    private let onHandshake: (any Channel) throws -> Void
    private var timer: Scheduled<Void>?
    private var isDone = false
    /// This connection's place in ``pending``, to give back once.
    private var ticket: PendingHandshakes.Ticket?
    private var peer = PeerAddress(nil)

    init(
        timeout: TimeAmount,
        pending: PendingHandshakes,
        admitsConnect: @escaping (PeerAddress) -> Bool = { _ in true },
        logger: Logger,
        onHandshake: @escaping (any Channel) throws -> Void
    ) {
        self.timeout = timeout
        self.pending = pending
        self.admitsConnect = admitsConnect
        self.logger = logger
        self.onHandshake = onHandshake
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let logger = self.logger
        let seconds = self.timeout.nanoseconds / 1_000_000_000
        self.timer = context.eventLoop.scheduleTask(in: self.timeout) {
            logger.debug(
                "tls handshake not finished in \(seconds) s; closing",
                metadata: ["peer": "\(SessionEndpoint.describe(channel.remoteAddress))"]
            )
            channel.close(promise: nil)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.peer = PeerAddress(context.channel.remoteAddress)
        // Counted now, not once the handshake is done: a rate-limited address made the server sign 8,885
        // handshakes in 15 s.
        guard self.admitsConnect(self.peer) else {
            self.logger.debug(
                "tls connection over the connect rate; closing",
                metadata: ["peer": "\(SessionEndpoint.describe(context.channel.remoteAddress))"]
            )
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        guard let ticket = self.pending.begin(from: self.peer, close: { channel.close(promise: nil) }) else {
            self.logger.debug(
                "too many tls handshakes in progress; closing",
                metadata: ["peer": "\(SessionEndpoint.describe(context.channel.remoteAddress))"]
            )
            context.close(promise: nil)
            return
        }
        self.ticket = ticket
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        self.givePlaceBack()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, !self.isDone {
            self.isDone = true
            self.timer?.cancel()
            self.timer = nil
            self.givePlaceBack()
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
        self.logger.debug(
            "tls handshake failed",
            metadata: ["peer": "\(SessionEndpoint.describe(context.channel.remoteAddress))", "error": "\(error)"]
        )
        context.close(promise: nil)
    }

    private func givePlaceBack() {
        guard let ticket = self.ticket else { return }
        self.ticket = nil
        self.pending.end(ticket)
    }
}

@available(*, unavailable)
extension TLSHandshakeHandler: Sendable {}
