import ChatCore
import ChatTransportTCP
import Logging
import NIOCore

/// Stands behind NIOSSH on each SSH connection (where its errors arrive) until its chat session starts: the
/// connection counts against
/// `--connect-rate` when accepted and holds a place among the handshakes in progress (the same cap as TLS's), and
/// must get through key exchange, authentication and its shell request within ``timeout``, or it is closed. So
/// nobody holds half-open SSH logins, or makes the server do key exchanges faster than the connect rate allows.
final class SSHSetupGuard: ChannelInboundHandler {
    /// NIOSSH passes no reads on: what arrives is its events and errors.
    typealias InboundIn = Never

    private let timeout: TimeAmount
    private let pending: PendingHandshakes
    private let environment: SessionEnvironment
    private var timer: Scheduled<Void>?
    private var ticket: PendingHandshakes.Ticket?
    private var isDone = false

    init(timeout: TimeAmount, pending: PendingHandshakes, environment: SessionEnvironment) {
        self.timeout = timeout
        self.pending = pending
        self.environment = environment
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        let peer = PeerAddress(channel.remoteAddress)
        let logger = self.environment.logger
        let address = SessionEndpoint.describe(channel.remoteAddress)
        guard self.environment.admitsConnect(from: peer) else {
            logger.debug("ssh connection over the connect rate; closing", metadata: ["peer": "\(address)"])
            context.close(promise: nil)
            return
        }
        guard let ticket = self.pending.begin(from: peer, close: { channel.close(promise: nil) }) else {
            logger.debug("too many ssh logins in progress; closing", metadata: ["peer": "\(address)"])
            context.close(promise: nil)
            return
        }
        self.ticket = ticket
        let seconds = self.timeout.nanoseconds / 1_000_000_000
        self.timer = context.eventLoop.scheduleTask(in: self.timeout) {
            logger.debug("ssh login not finished in \(seconds) s; closing", metadata: ["peer": "\(address)"])
            channel.close(promise: nil)
        }
        context.fireChannelActive()
    }

    /// The chat session has started: from here the session's own limits apply.
    func sessionStarted() {
        self.isDone = true
        self.timer?.cancel()
        self.timer = nil
        self.givePlaceBack()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        self.givePlaceBack()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A client that gives up, a scanner, a protocol error: routine on a public port, and the end of this
        // connection either way.
        self.environment.logger.debug(
            "ssh connection failed",
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
extension SSHSetupGuard: Sendable {}
