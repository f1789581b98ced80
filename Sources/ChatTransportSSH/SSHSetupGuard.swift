import ChatCore
import ChatTransportTCP
import Logging
import NIOCore

/// Stands behind NIOSSH on each SSH connection (where its errors arrive) until its chat session starts, keeping the
/// connection's ``HandshakePlace`` as TLS keeps its handshake's: counted against `--connect-rate` when accepted, a
/// place among the handshakes in progress, and ``HandshakePlace`` closes it unless key exchange, authentication and
/// the shell request are through within the timeout.
final class SSHSetupGuard: ChannelInboundHandler {
    /// NIOSSH passes no reads on: what arrives is its events and errors.
    typealias InboundIn = Never

    private var place: HandshakePlace

    init(timeout: TimeAmount, pending: PendingHandshakes, environment: SessionEnvironment) {
        self.place = HandshakePlace(
            door: "ssh",
            phase: "login",
            timeout: timeout,
            pending: pending,
            admitsConnect: { environment.admitsConnect(from: $0) },
            logger: environment.logger
        )
    }

    func channelActive(context: ChannelHandlerContext) {
        guard self.place.take(for: context.channel) else { return }
        context.fireChannelActive()
    }

    /// The chat session has started: from here the session's own limits apply.
    func sessionStarted() {
        self.place.leave()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.place.leave()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A client that gives up, a scanner, a protocol error: the end of this connection either way.
        self.place.logFailure(error, on: context.channel)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension SSHSetupGuard: Sendable {}
