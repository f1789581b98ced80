import ChatCore
import NIOCore

/// The first handler of a web connection, in front of NIOHTTP1's decoder: the request line and headers must fit in
/// ``maximumHeadBytes`` and arrive within ``timeout`` (slowloris: a client that trickles its headers to hold a
/// connection open for ever). Too big gets `431`, too slow `408`, each followed by a close; the bytes pass untouched
/// until the head's blank line, and then the guard leaves the pipeline.
///
/// It also counts the connection against `--connect-rate` when it is accepted (on plain HTTP; the TLS wrapper has
/// counted an HTTPS one), since a page load is a connection too.
final class HTTPRequestGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The most bytes a request line and its headers may take (a browser's are well under 2 KiB).
    static let maximumHeadBytes = 8 * 1024
    /// How long the whole head may take to arrive.
    static let timeout = TimeAmount.seconds(5)

    private let maximumHeadBytes: Int
    private let timeout: TimeAmount
    /// Counts the connection against `--connect-rate`; nil when it has been counted already (TLS).
    private let admitsConnect: (@Sendable (PeerAddress) -> Bool)?
    private var timer: Scheduled<Void>?
    private var headBytes = 0
    /// The last bytes seen, to find a `\r\n\r\n` split across reads.
    private var tail: [UInt8] = []
    private var isClosing = false

    init(
        maximumHeadBytes: Int = HTTPRequestGuard.maximumHeadBytes,
        timeout: TimeAmount = HTTPRequestGuard.timeout,
        admitsConnect: (@Sendable (PeerAddress) -> Bool)?
    ) {
        self.maximumHeadBytes = maximumHeadBytes
        self.timeout = timeout
        self.admitsConnect = admitsConnect
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    private func start(context: ChannelHandlerContext) {
        guard self.timer == nil, !self.isClosing else { return }
        if let admitsConnect = self.admitsConnect, !admitsConnect(PeerAddress(context.channel.remoteAddress)) {
            self.isClosing = true
            context.close(promise: nil)
            return
        }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.timer = context.value.eventLoop.scheduleTask(in: self.timeout) {
            handler.value.refuse(status: "408 Request Timeout", context: context.value)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.isClosing else { return }
        let bytes = self.unwrapInboundIn(data)
        guard let headLength = self.headLength(in: bytes) else {
            self.headBytes += bytes.readableBytes
            if self.headBytes > self.maximumHeadBytes {
                self.refuse(status: "431 Request Header Fields Too Large", context: context)
                return
            }
            context.fireChannelRead(data)
            return
        }
        guard self.headBytes + headLength <= self.maximumHeadBytes else {
            self.refuse(status: "431 Request Header Fields Too Large", context: context)
            return
        }
        self.timer?.cancel()
        self.timer = nil
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }

    /// How many of `bytes` belong to the head, up to and including its blank line; nil if it has not ended yet.
    private func headLength(in bytes: ByteBuffer) -> Int? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var window = self.tail
        for (offset, byte) in bytes.readableBytesView.enumerated() {
            window.append(byte)
            if window.count > 4 { window.removeFirst() }
            if window == terminator { return offset + 1 }
        }
        self.tail = window
        return nil
    }

    private func refuse(status: String, context: ChannelHandlerContext) {
        guard !self.isClosing else { return }
        self.isClosing = true
        self.timer?.cancel()
        self.timer = nil
        let response = "HTTP/1.1 \(status)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(context.channel.allocator.buffer(string: response)))
            .whenComplete { _ in channel.close(promise: nil) }
    }
}

@available(*, unavailable)
extension HTTPRequestGuard: Sendable {}
