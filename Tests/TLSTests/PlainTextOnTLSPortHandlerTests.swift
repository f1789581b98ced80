import ChatCore
import NIOCore
import NIOEmbedded
import Testing

@testable import ChatTransportTLS

/// ``PlainTextOnTLSPortHandler`` in an `EmbeddedChannel`, its clock driven by the test: plain text on the TLS port
/// gets one line saying where to go and a close, silence gets the same line when the handshake time is up, and a
/// TLS client's bytes pass untouched with the handler gone.
@Suite struct PlainTextOnTLSPortHandlerTests {
    let hint = TLSListener.plainTextHint([ListeningAddress(host: "0.0.0.0", port: 2323, kind: "tcp")])
    let timeout = TLSListener.handshakeTimeout

    /// The one line a plain-text client is told.
    var hintLine: ByteBuffer { ByteBuffer(string: "! \(self.hint)\n") }

    func connectedChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let handler = PlainTextOnTLSPortHandler(reply: "! \(self.hint)\n", timeout: self.timeout)
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000)).wait()
        return channel
    }

    @Test func theHintSaysHowToSpeakTLSAndWhereThePlainPortIs() {
        #expect(
            self.hint
                == "This port speaks TLS: connect with `client HOST PORT NICKNAME --tls` or "
                + "`openssl s_client -quiet -connect HOST:PORT` or the plain port 2323."
        )
    }

    @Test func plainTextGetsTheHintOnceAndTheConnectionCloses() throws {
        let channel = try self.connectedChannel()
        // Someone typing into nc: the first byte is enough to tell.
        try channel.writeInbound(ByteBuffer(string: "h"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == self.hintLine)
        #expect(!channel.isActive)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil, "nothing reaches NIOSSL")
        channel.embeddedEventLoop.advanceTime(by: self.timeout * 2)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "the timer was stopped: one line, not two")
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func aClientThatSaysNothingGetsTheHintWhenTheHandshakeTimeIsUp() throws {
        let channel = try self.connectedChannel()
        channel.embeddedEventLoop.advanceTime(by: self.timeout - .nanoseconds(1))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .nanoseconds(1))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == self.hintLine)
        #expect(!channel.isActive)
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func aTLSClientHelloPassesUntouchedAndTheHandlerLeavesWithItsTimer() throws {
        let channel = try self.connectedChannel()
        // Byte at a time: the record's first byte alone decides.
        try channel.writeInbound(ByteBuffer(bytes: [0x16]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0x16]))
        #expect(throws: ChannelPipelineError.notFound) {
            _ = try channel.pipeline.syncOperations.handler(type: PlainTextOnTLSPortHandler.self)
        }
        try channel.writeInbound(ByteBuffer(bytes: [0x03, 0x01, 0x00, 0xF4]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0x03, 0x01, 0x00, 0xF4]))
        // The handshake's own timeout is TLSHandshakeHandler's business; this one never speaks to a TLS client.
        channel.embeddedEventLoop.advanceTime(by: self.timeout * 2)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(channel.isActive)
        #expect(try channel.finish().isClean)
    }
}
