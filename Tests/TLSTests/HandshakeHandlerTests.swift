@testable import ChatTransportTLS
import ChatCore
import NIOCore
import NIOEmbedded
import NIOSSL
import Testing

/// The small pieces of the TLS pipeline, without sockets.
@Suite struct HandshakeHandlerTests {
    @Test func pendingHandshakesAreCappedPerAddressAndInAll() {
        let pending = PendingHandshakes(totalLimit: 3, perAddressLimit: 2, includesLoopback: false)
        let remote = PeerAddress(key: "203.0.113.9", isLoopback: false)
        let other = PeerAddress(key: "198.51.100.4", isLoopback: false)
        let local = PeerAddress(key: "127.0.0.1", isLoopback: true)
        #expect(pending.begin(from: remote))
        #expect(pending.begin(from: remote))
        #expect(!pending.begin(from: remote), "a third from one address")
        #expect(pending.begin(from: local), "loopback is exempt from the per-address cap")
        #expect(!pending.begin(from: other), "the total is full")
        pending.end(from: remote)
        #expect(pending.begin(from: other))
        #expect(pending.count == 3)
        pending.end(from: remote)
        pending.end(from: local)
        pending.end(from: other)
        #expect(pending.count == 0)
        #expect(pending.begin(from: remote) && pending.begin(from: remote), "the address's places came back")
    }

    @Test func aPeerThatClosesWithoutCloseNotifyIsAPlainCloseNotAnError() throws {
        let channel = EmbeddedChannel()
        let recorder = ErrorRecorder()
        try channel.pipeline.syncOperations.addHandler(UncleanShutdownHandler())
        try channel.pipeline.syncOperations.addHandler(recorder)
        channel.pipeline.fireErrorCaught(NIOSSLError.uncleanShutdown)
        #expect(recorder.errors.isEmpty)
        channel.pipeline.fireErrorCaught(NIOSSLError.handshakeFailed(.sslError([])))
        #expect(recorder.errors.count == 1, "other errors go on")
        _ = try channel.finish()
    }
}

private final class ErrorRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    var errors: [any Error] = []

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.errors.append(error)
    }
}
