import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind NIOSSL's handler until the handshake is done: then builds the chat pipeline (``onHandshake``) and
/// leaves. So a connection counts as a client, and gets a session, only once it speaks TLS; one that does not finish
/// the handshake within ``timeout`` (a plain-text client waiting for a greeting, a half-open handshake) is closed,
/// and one that sends something that is not TLS is closed as soon as NIOSSL says so. Neither is logged above debug.
final class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let logger: Logger
    private let onHandshake: (any Channel) throws -> Void
    private var timer: Scheduled<Void>?
    private var isDone = false

    init(timeout: TimeAmount, logger: Logger, onHandshake: @escaping (any Channel) throws -> Void) {
        self.timeout = timeout
        self.logger = logger
        self.onHandshake = onHandshake
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let logger = self.logger
        let seconds = self.timeout.nanoseconds / 1_000_000_000
        self.timer = context.eventLoop.scheduleTask(in: self.timeout) {
            logger.debug("tls handshake not finished in \(seconds) s; closing", metadata: ["peer": "\(Self.peer(channel))"])
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, !self.isDone {
            self.isDone = true
            self.timer?.cancel()
            self.timer = nil
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
            metadata: ["peer": "\(Self.peer(context.channel))", "error": "\(error)"]
        )
        context.close(promise: nil)
    }

    private static func peer(_ channel: any Channel) -> String {
        channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
    }
}
