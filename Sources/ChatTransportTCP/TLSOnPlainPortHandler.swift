import NIOCore

/// Closes a connection on the plain port whose first byte opens a TLS handshake (a TLS record of type 22,
/// "handshake"): a TLS client there can never chat, and would otherwise wait for lines it cannot read. Never a
/// chat line's loss: 0x16 is a control character, which no line of text starts with. It looks at the first read
/// only, then leaves the pipeline.
package final class TLSOnPlainPortHandler: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = ByteBuffer
    package typealias InboundOut = ByteBuffer

    init() {}

    /// The first byte of a TLS record carrying a handshake message (RFC 8446, 5.1: ContentType handshake); the
    /// TLS listener's plain-text check uses it too.
    package static let tlsHandshakeRecord: UInt8 = 0x16

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = self.unwrapInboundIn(data)
        if bytes.readableBytesView.first == Self.tlsHandshakeRecord {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }
}

@available(*, unavailable)
extension TLSOnPlainPortHandler: Sendable {}
