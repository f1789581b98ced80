import Foundation
import NIOCore

/// The bench's WebSocket client for the web door (`--dialect web`), on raw bytes: it asks for the upgrade on `/ws`,
/// then hands the payload of every text frame on as it arrives, without waiting for the frame's end, and sends each
/// buffer written as one masked text frame, as a browser does.
///
/// Why not NIOWebSocket's decoder: it gathers each frame whole before handing it on, and the door writes whatever a
/// reader's outbox holds as one frame (up to the outbox's 1 MiB cap). At full speed that gathering (a copy of every
/// byte) made the bench the slowest reader, so the server dropped it for not reading. The payloads are complete JSON
/// lines, so the handler after this one can split lines across frames as it does across reads.
///
/// The upgrade is checked by its status (101); `Sec-WebSocket-Accept` is not verified (the bench measures a server
/// on this machine). Writes made before the upgrade completes (the nickname) wait for it.
final class BenchWebSocketCodec: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The path the web door upgrades (WebChannelSetup); no `Origin` header: a client that is no web page.
    static let path = "/ws"
    /// The longest HTTP answer to the upgrade request taken before giving up.
    static let maximumResponseHead = 16 * 1024
    /// The largest frame accepted: far above the door's 1 MiB outbox cap, so only a broken stream reaches it.
    static let maximumFrameSize = 1 << 24

    private enum Opcode {
        static let continuation: UInt8 = 0x0
        static let text: UInt8 = 0x1
        static let close: UInt8 = 0x8
        static let ping: UInt8 = 0x9
        static let pong: UInt8 = 0xA
    }

    private let host: String
    private let port: Int
    private let joined: EventLoopPromise<Void>
    /// True until the server's 101 has arrived.
    private var upgrading = true
    /// The response head so far, while upgrading.
    private var responseHead = ByteBuffer()
    /// Writes made while upgrading, sent as frames once it is done.
    private var heldWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    /// The start of a frame header that ended a read.
    private var carry = ByteBuffer()
    /// Payload bytes of the current frame still to come.
    private var remaining = 0
    /// The current frame is a control frame (its payload is gathered in ``control``) with this opcode.
    private var controlOpcode: UInt8?
    private var control = ByteBuffer()

    private var address: String { "\(self.host):\(self.port)\(Self.path)" }

    init(host: String, port: Int, joined: EventLoopPromise<Void>) {
        self.host = host
        self.port = port
        self.joined = joined
    }

    // MARK: The upgrade

    func channelActive(context: ChannelHandlerContext) {
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request =
            "GET \(Self.path) HTTP/1.1\r\nHost: \(self.host):\(self.port)\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    /// Reads the response head; once it is a 101, sends what was held and goes on with `rest` as frames. Returns
    /// false when the connection is being closed.
    private func readResponseHead(_ bytes: inout ByteBuffer, context: ChannelHandlerContext) -> Bool {
        self.responseHead.writeBuffer(&bytes)
        let view = self.responseHead.readableBytesView
        // A chat port (or anything else) answers at once in its own words: say so instead of waiting for a head.
        if view.count >= 5, !view.starts(with: "HTTP/".utf8) {
            let start = String(decoding: view.prefix(60), as: UTF8.self).prefix { !$0.isNewline }
            self.fail("no WebSocket at \(self.address): the server answered \"\(start)\", not HTTP", context: context)
            return false
        }
        guard let end = Self.find(Array("\r\n\r\n".utf8), in: view) else {
            if self.responseHead.readableBytes > Self.maximumResponseHead {
                self.fail("no WebSocket at \(self.address): no end to the server's answer", context: context)
                return false
            }
            return true
        }
        let headLength = end - view.startIndex + 4
        let head = self.responseHead.readString(length: headLength) ?? ""
        bytes = self.responseHead
        self.responseHead = ByteBuffer()
        let statusLine = head.prefix { !$0.isNewline }
        let words = statusLine.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0].hasPrefix("HTTP/") else {
            self.fail("no WebSocket at \(self.address): the answer is not HTTP", context: context)
            return false
        }
        guard words[1] == "101" else {
            self.fail(
                "\(self.address) answered \(words.dropFirst().joined(separator: " ")) instead of a WebSocket",
                context: context
            )
            return false
        }
        self.upgrading = false
        let held = self.heldWrites
        self.heldWrites = []
        for (payload, promise) in held {
            context.write(Self.wrapOutboundOut(Self.frame(payload, opcode: Opcode.text)), promise: promise)
        }
        context.flush()
        return true
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if self.upgrading {
            guard self.readResponseHead(&bytes, context: context), !self.upgrading else { return }
        }
        if self.carry.readableBytes > 0 {
            self.carry.writeBuffer(&bytes)
            bytes = self.carry
            self.carry = ByteBuffer()
        }
        while bytes.readableBytes > 0 {
            if self.remaining > 0 {
                let count = min(self.remaining, bytes.readableBytes)
                let payload = bytes.readSlice(length: count)!
                self.remaining -= count
                if self.controlOpcode == nil {
                    context.fireChannelRead(Self.wrapInboundOut(payload))
                } else {
                    self.control.writeImmutableBuffer(payload)
                    if self.remaining == 0 { self.finishControlFrame(context: context) }
                }
                continue
            }
            guard self.readFrameHeader(&bytes, context: context) else { return }
        }
    }

    /// Takes one frame header off `bytes`, or keeps its start for the next read. Returns false when the
    /// connection is being closed or the header is incomplete.
    private func readFrameHeader(_ bytes: inout ByteBuffer, context: ChannelHandlerContext) -> Bool {
        let start = bytes.readerIndex
        guard bytes.readableBytes >= 2,
            let first = bytes.getInteger(at: start, as: UInt8.self),
            let second = bytes.getInteger(at: start + 1, as: UInt8.self)
        else {
            self.carry = bytes.readSlice(length: bytes.readableBytes)!
            return false
        }
        let opcode = first & 0x0F
        let shortLength = Int(second & 0x7F)
        let extra = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0
        guard second & 0x80 == 0 else {
            self.fail("\(self.address) sent a masked frame, which only clients send", context: context)
            return false
        }
        guard bytes.readableBytes >= 2 + extra else {
            self.carry = bytes.readSlice(length: bytes.readableBytes)!
            return false
        }
        let length: Int
        switch extra {
        case 2: length = Int(bytes.getInteger(at: start + 2, as: UInt16.self)!)
        case 8: length = Int(clamping: bytes.getInteger(at: start + 2, as: UInt64.self)!)
        default: length = shortLength
        }
        bytes.moveReaderIndex(forwardBy: 2 + extra)
        let isControl = opcode & 0x8 != 0
        guard length <= Self.maximumFrameSize, !isControl || length <= 125 else {
            self.fail("\(self.address) sent a frame of \(length) bytes", context: context)
            return false
        }
        guard isControl || opcode == Opcode.text || opcode == Opcode.continuation else {
            self.fail("\(self.address) sent a frame with opcode \(opcode), not text", context: context)
            return false
        }
        self.remaining = length
        self.controlOpcode = isControl ? opcode : nil
        if isControl, length == 0 { self.finishControlFrame(context: context) }
        return true
    }

    /// A whole control frame: a ping is answered, a close ends the connection, a pong is nothing.
    private func finishControlFrame(context: ChannelHandlerContext) {
        let opcode = self.controlOpcode
        let payload = self.control
        self.control = ByteBuffer()
        self.controlOpcode = nil
        switch opcode {
        case Opcode.ping:
            context.writeAndFlush(Self.wrapOutboundOut(Self.frame(payload, opcode: Opcode.pong)), promise: nil)
        case Opcode.close:
            context.close(promise: nil)
        default:
            break
        }
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let payload = Self.unwrapOutboundIn(data)
        if self.upgrading {
            self.heldWrites.append((payload, promise))
        } else {
            context.write(Self.wrapOutboundOut(Self.frame(payload, opcode: Opcode.text)), promise: promise)
        }
    }

    /// One final frame carrying `payload`, masked with a fresh key as RFC 6455 asks of a client.
    static func frame(_ payload: ByteBuffer, opcode: UInt8) -> ByteBuffer {
        let length = payload.readableBytes
        var frame = ByteBuffer()
        frame.reserveCapacity(14 + length)
        frame.writeInteger(0x80 | opcode)
        if length < 126 {
            frame.writeInteger(0x80 | UInt8(length))
        } else if length <= Int(UInt16.max) {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(length))
        } else {
            frame.writeInteger(UInt8(0x80 | 127))
            frame.writeInteger(UInt64(length))
        }
        let key = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame.writeBytes(key)
        var index = 0
        for byte in payload.readableBytesView {
            frame.writeInteger(byte ^ key[index & 3])
            index += 1
        }
        return frame
    }

    // MARK: Failing

    private func fail(_ reason: String, context: ChannelHandlerContext) {
        self.joined.fail(BenchError.invalid(reason))
        for (_, promise) in self.heldWrites { promise?.fail(ChannelError.ioOnClosedChannel) }
        self.heldWrites = []
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if self.upgrading {
            self.joined.fail(BenchError.invalid("no WebSocket at \(self.address): the connection closed"))
        }
        for (_, promise) in self.heldWrites { promise?.fail(ChannelError.ioOnClosedChannel) }
        self.heldWrites = []
        context.fireChannelInactive()
    }

    private static func find(_ needle: [UInt8], in haystack: ByteBufferView) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index <= haystack.endIndex - needle.count {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

@available(*, unavailable)
extension BenchWebSocketCodec: Sendable {}
