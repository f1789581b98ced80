import ChatProtocol
import NIOCore
import NIOWebSocket

/// Turns a WebSocket into the line stream a ``SessionPump`` feeds its session: each text message in is one input
/// line, and each buffer the connection's outbox writes (one or more complete lines of the structured mode's JSON
/// events) goes out as one text frame.
///
/// A message over ``maximumLineLength`` bytes becomes ``InboundLine/tooLong`` (the session answers with the
/// over-long-line error, as on TCP), and no more of it is kept than the cap. Binary messages close the connection
/// with 1003 (unsupported data), a continuation that continues nothing with 1002 (protocol error); pings are
/// answered, and a close from the browser is answered and ends the connection. When the server closes the
/// connection (a goodbye, shutdown, a dropped slow reader), the browser gets a close frame first.
final class WebSocketLineCodec: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = InboundLine
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = WebSocketFrame

    private let maximumLineLength: Int
    /// The text message being put together from fragments.
    private var message: ByteBuffer?
    /// The message in progress went over the cap: the rest of it is skipped.
    private var messageIsTooLong = false
    /// A close frame has been sent: nothing more goes out.
    private var closeSent = false
    /// The last frame written, so an empty write (the outbox's "tell me when all is written") completes after it.
    private var lastWrite: EventLoopFuture<Void>?

    init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            guard self.message == nil, !self.messageIsTooLong else {
                // A new message before the last one's final fragment.
                self.closeWith(.protocolError, context: context)
                return
            }
            self.message = ByteBuffer()
            self.append(frame, context: context)
        case .continuation:
            guard self.message != nil || self.messageIsTooLong else {
                self.closeWith(.protocolError, context: context)
                return
            }
            self.append(frame, context: context)
        case .binary:
            self.closeWith(.unacceptableData, context: context)
        case .ping:
            self.send(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData), context: context)
        case .pong:
            break
        case .connectionClose:
            // Answer with the browser's own code, then end the connection.
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode() ?? .normalClosure
            self.closeWith(code, context: context)
        default:
            self.closeWith(.protocolError, context: context)
        }
    }

    /// Adds a text fragment to the message in progress, and hands the message on at its last fragment.
    private func append(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        if !self.messageIsTooLong {
            var data = frame.unmaskedData
            if (self.message?.readableBytes ?? 0) + data.readableBytes > self.maximumLineLength {
                self.message = nil
                self.messageIsTooLong = true
            } else {
                self.message?.writeBuffer(&data)
            }
        }
        guard frame.fin else { return }
        let line: InboundLine = self.messageIsTooLong ? .tooLong : .line(self.message ?? ByteBuffer())
        self.message = nil
        self.messageIsTooLong = false
        context.fireChannelRead(self.wrapInboundOut(line))
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let bytes = self.unwrapOutboundIn(data)
        guard !self.closeSent else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard bytes.readableBytes > 0 else {
            // Nothing to frame: done once everything before it is.
            if let lastWrite = self.lastWrite {
                lastWrite.cascade(to: promise)
            } else {
                promise?.succeed()
            }
            return
        }
        let written = context.write(self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: bytes)))
        self.lastWrite = written
        written.cascade(to: promise)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Our side ends the connection: say so in WebSocket terms before the socket closes.
        if mode == .all, !self.closeSent, context.channel.isActive {
            self.closeSent = true
            var data = context.channel.allocator.buffer(capacity: 2)
            data.write(webSocketErrorCode: .normalClosure)
            let channel = context.channel
            // Back through this handler, which now lets it pass.
            context.write(self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
                .whenComplete { _ in channel.close(mode: mode, promise: promise) }
            context.flush()
            return
        }
        context.close(mode: mode, promise: promise)
    }

    private func send(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        guard !self.closeSent else { return }
        context.writeAndFlush(self.wrapOutboundOut(frame), promise: nil)
    }

    /// Sends a close frame with `code`, then closes the connection.
    private func closeWith(_ code: WebSocketErrorCode, context: ChannelHandlerContext) {
        guard !self.closeSent else { return }
        self.closeSent = true
        self.message = nil
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
            .whenComplete { _ in channel.close(promise: nil) }
    }
}

@available(*, unavailable)
extension WebSocketLineCodec: Sendable {}
