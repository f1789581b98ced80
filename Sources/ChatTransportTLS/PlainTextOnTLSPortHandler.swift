import ChatTransportTCP
import NIOCore

/// The first handler of a TLS connection, in front of NIOSSL: a client whose first byte cannot start a TLS
/// handshake (someone typing into `nc`, a client without `--tls`) is told in plain words where to go and closed,
/// instead of getting a binary TLS alert on their terminal; one that says nothing at all gets the same line when
/// the handshake time is up. A TLS client's bytes pass untouched, and this handler leaves the pipeline at once.
final class PlainTextOnTLSPortHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let reply: String
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    /// The hint has been sent: whatever else arrives is dropped until the close.
    private var isClosing = false

    /// - Parameter reply: what to send before closing, as it goes on the wire (a chat line with its `! ` and
    ///   newline, or a whole HTTP response).
    init(reply: String, timeout: TimeAmount) {
        self.reply = reply
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.timer = context.value.eventLoop.scheduleTask(in: self.timeout) {
            handler.value.sendHintAndClose(context: context.value)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.isClosing else { return }
        let bytes = self.unwrapInboundIn(data)
        guard bytes.readableBytesView.first == TLSOnPlainPortHandler.tlsHandshakeRecord else {
            self.sendHintAndClose(context: context)
            return
        }
        self.timer?.cancel()
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }

    private func sendHintAndClose(context: ChannelHandlerContext) {
        guard !self.isClosing else { return }
        self.isClosing = true
        self.timer?.cancel()
        let line = context.channel.allocator.buffer(string: self.reply)
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(line)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension PlainTextOnTLSPortHandler: Sendable {}
