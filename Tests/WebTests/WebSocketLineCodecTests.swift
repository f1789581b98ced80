import ChatProtocol
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import ChatTransportWeb

/// ``WebSocketLineCodec`` in an `EmbeddedChannel`: messages in become lines, buffers out become text frames, and
/// the protocol's edge cases end the way RFC 6455 says.
@Suite struct WebSocketLineCodecTests {
    func channel(maximumLineLength: Int = 16) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(WebSocketLineCodec(maximumLineLength: maximumLineLength))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000)).wait()
        return channel
    }

    /// A frame as a browser sends it: masked.
    func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> WebSocketFrame {
        let key: WebSocketMaskingKey = [1, 2, 3, 4]
        var data = ByteBuffer(string: text)
        data.webSocketMask(key)
        return WebSocketFrame(fin: fin, opcode: opcode, maskKey: key, data: data)
    }

    func line(_ channel: EmbeddedChannel) throws -> InboundLine? {
        try channel.readInbound(as: InboundLine.self)
    }

    @Test func aMaskedTextMessageIsOneLine() throws {
        let channel = try self.channel()
        try channel.writeInbound(self.frame(.text, "hello"))
        #expect(try self.line(channel) == .line(ByteBuffer(string: "hello")))
        #expect(try self.line(channel) == nil)
    }

    @Test func fragmentsMakeOneLineAndCountTogetherAgainstTheCap() throws {
        let channel = try self.channel()
        try channel.writeInbound(self.frame(.text, "split ", fin: false))
        try channel.writeInbound(self.frame(.continuation, "line"))
        #expect(try self.line(channel) == .line(ByteBuffer(string: "split line")))
        try channel.writeInbound(self.frame(.text, "0123456789", fin: false))
        try channel.writeInbound(self.frame(.continuation, "0123456789", fin: false))
        #expect(try self.line(channel) == nil, "nothing until the last fragment")
        try channel.writeInbound(self.frame(.continuation, "more"))
        #expect(try self.line(channel) == .tooLong)
        // The connection goes on.
        try channel.writeInbound(self.frame(.text, "after"))
        #expect(try self.line(channel) == .line(ByteBuffer(string: "after")))
    }

    @Test func outputBuffersGoOutAsTextFramesAndAnEmptyWriteCompletesAfterThem() throws {
        let channel = try self.channel()
        let first = channel.writeAndFlush(ByteBuffer(string: "{\"type\":\"notice\"}\n"))
        let marker = channel.writeAndFlush(ByteBuffer())
        let frame = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        #expect(frame.opcode == .text && frame.fin && String(buffer: frame.data) == "{\"type\":\"notice\"}\n")
        #expect(try channel.readOutbound(as: WebSocketFrame.self) == nil, "no empty frame")
        try first.wait()
        try marker.wait()
    }

    @Test func aNewMessageInsideAnotherIsAProtocolError() throws {
        let channel = try self.channel()
        try channel.writeInbound(self.frame(.text, "one", fin: false))
        try channel.writeInbound(self.frame(.text, "two"))
        let close = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        var data = close.data
        #expect(close.opcode == .connectionClose && data.readWebSocketErrorCode() == .protocolError)
    }

    @Test func closingFromOurSideSendsACloseFrameFirst() throws {
        let channel = try self.channel()
        channel.close(promise: nil)
        let close = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        var data = close.data
        #expect(close.opcode == .connectionClose && data.readWebSocketErrorCode() == .normalClosure)
        #expect(!channel.isActive)
    }
}
