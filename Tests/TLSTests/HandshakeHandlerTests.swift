import ChatCore
import ChatTesting
import ChatTransportTCP
import NIOCore
import NIOEmbedded
import NIOSSL
import Testing

@testable import ChatTransportTLS

/// The small pieces of the TLS pipeline, without sockets.
@Suite struct HandshakeHandlerTests {
    @Test func pendingHandshakesAreCappedPerAddressAndTheOldestMakesRoomWhenAllAreTaken() {
        let pending = PendingHandshakes(totalLimit: 3, perAddressLimit: 2, includesLoopback: false)
        let remote = PeerAddress(key: "203.0.113.9", isLoopback: false)
        let other = PeerAddress(key: "198.51.100.4", isLoopback: false)
        let local = PeerAddress(key: "127.0.0.1", isLoopback: true)
        let closed = LockedValue<[String]>([])
        func begin(_ peer: PeerAddress, _ name: String) -> PendingHandshakes.Ticket? {
            pending.begin(from: peer, close: { closed.withLock { $0.append(name) } })
        }
        let first = begin(remote, "first")
        let second = begin(remote, "second")
        #expect(first != nil && second != nil)
        #expect(begin(remote, "third") == nil, "a third from one address")
        #expect(closed.value.isEmpty)
        let local1 = begin(local, "local")
        #expect(local1 != nil, "loopback is exempt from the per-address cap")
        // The total is full: a newcomer closes the oldest handshake instead of being refused (issue 19, item 2).
        let newcomer = begin(other, "newcomer")
        #expect(newcomer != nil)
        #expect(closed.value == ["first"])
        #expect(pending.count == 3)
        #expect(begin(remote, "again") != nil, "the closed one gave its address's place back")
        #expect(closed.value == ["first", "second"])
        // A handshake closed to make room ends once more when its handler goes: that changes nothing.
        pending.end(first!)
        #expect(pending.count == 3)
        for ticket in [local1, newcomer] { pending.end(ticket!) }
        #expect(pending.count == 1)
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
