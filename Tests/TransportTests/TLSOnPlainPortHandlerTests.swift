import NIOCore
import NIOEmbedded
import Testing

@testable import ChatTransportTCP

/// ``TLSOnPlainPortHandler`` in an `EmbeddedChannel`: a TLS client on the plain port is closed on its first byte,
/// anything else passes untouched and the handler steps out of the way.
@Suite struct TLSOnPlainPortHandlerTests {
    /// The start of a TLS 1.2/1.3 ClientHello: a handshake record (0x16), its version and length, then the
    /// handshake message type 1.
    static let clientHelloStart: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0xF4, 0x01, 0x00, 0x00, 0xF0, 0x03, 0x03]

    func connectedChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(TLSOnPlainPortHandler())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000)).wait()
        return channel
    }

    @Test func aTLSClientHelloClosesTheConnectionAndGoesNoFurther() throws {
        let channel = try self.connectedChannel()
        try channel.writeInbound(ByteBuffer(bytes: Self.clientHelloStart))
        #expect(!channel.isActive)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil, "no byte of it reaches the line framer")
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "a TLS client could not read words anyway")
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func theFirstByteAloneIsEnoughToTell() throws {
        let channel = try self.connectedChannel()
        try channel.writeInbound(ByteBuffer(bytes: [TLSOnPlainPortHandler.tlsHandshakeRecord]))
        #expect(!channel.isActive)
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func plainTextPassesUntouchedAndTheHandlerLeavesAfterTheFirstRead() throws {
        let channel = try self.connectedChannel()
        try channel.writeInbound(ByteBuffer(string: "a"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "a"))
        #expect(throws: ChannelPipelineError.notFound) {
            _ = try channel.pipeline.syncOperations.handler(type: TLSOnPlainPortHandler.self)
        }
        // It looked at the first read only: a later 0x16 is the line framer's business (the sanitizer drops it).
        try channel.writeInbound(ByteBuffer(bytes: [0x16, UInt8(ascii: "b"), UInt8(ascii: "\n")]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0x16, UInt8(ascii: "b"), 0x0A]))
        #expect(channel.isActive)
        #expect(try channel.finish().isClean)
    }
}
