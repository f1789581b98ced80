import NIOCore
import NIOEmbedded
import Testing

@testable import ChatBench

/// The bench's WebSocket client on raw bytes: the upgrade, frames cut anywhere across reads, every length form,
/// control frames, masking, and a clear error for each way a server can fail to be a WebSocket.
@Suite struct BenchWebSocketCodecTests {
    private static let upgraded =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: x\r\n\r\n"

    /// An active channel with the codec on it; the upgrade request already taken off it.
    private func connected() throws -> (EmbeddedChannel, EventLoopFuture<Void>) {
        let channel = EmbeddedChannel()
        let joined = channel.eventLoop.makePromise(of: Void.self)
        try channel.pipeline.syncOperations.addHandler(
            BenchWebSocketCodec(host: "127.0.0.1", port: 8080, joined: joined)
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        let request = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let text = String(buffer: request)
        #expect(text.hasPrefix("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"))
        #expect(text.contains("Upgrade: websocket\r\n") && text.contains("Sec-WebSocket-Version: 13\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
        return (channel, joined.futureResult)
    }

    /// A server's (unmasked) frame.
    private func serverFrame(_ payload: [UInt8], opcode: UInt8 = 0x1, fin: Bool = true) -> [UInt8] {
        var header: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            header.append(UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            header += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            header.append(127)
            header += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        return header + payload
    }

    /// The opcode and unmasked payload of a client frame; fails unless it is final and masked.
    private func clientFrame(_ buffer: ByteBuffer) throws -> (opcode: UInt8, payload: [UInt8]) {
        let bytes = Array(buffer.readableBytesView)
        try #require(bytes.count >= 6)
        #expect(bytes[0] & 0x80 != 0, "final")
        #expect(bytes[1] & 0x80 != 0, "masked")
        var length = Int(bytes[1] & 0x7F)
        var offset = 2
        if length == 126 {
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            offset = 4
        } else if length == 127 {
            length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        let key = Array(bytes[offset..<offset + 4])
        let masked = bytes[(offset + 4)...]
        #expect(masked.count == length)
        return (bytes[0] & 0x0F, masked.enumerated().map { $0.element ^ key[$0.offset & 3] })
    }

    private func inbound(_ channel: EmbeddedChannel) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let part = try channel.readInbound(as: ByteBuffer.self) { bytes += part.readableBytesView }
        return bytes
    }

    @Test func writesWaitForTheUpgradeAndPayloadsFollowIt() throws {
        let (channel, _) = try self.connected()
        // Not waited for: it completes once the upgrade is done.
        let held = channel.writeAndFlush(ByteBuffer(string: "bxn3z"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "the nickname waits for the 101")
        // The 101 and the first frame in one read, as a quick server sends them.
        let first = Array(#"{"type":"welcome"}"#.utf8) + [10]
        try channel.writeInbound(ByteBuffer(bytes: Array(Self.upgraded.utf8) + self.serverFrame(first)))
        let nickname = try self.clientFrame(try #require(try channel.readOutbound(as: ByteBuffer.self)))
        #expect(nickname.opcode == 0x1 && nickname.payload == Array("bxn3z".utf8))
        #expect(try self.inbound(channel) == first)
        #expect(throws: Never.self) { try held.wait() }
    }

    @Test(arguments: [0, 5, 125, 126, 300, 65_535, 65_536, 200_000])
    func framesCutAnywhereAcrossReadsArriveWhole(size: Int) throws {
        let (channel, _) = try self.connected()
        try channel.writeInbound(ByteBuffer(string: Self.upgraded))
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let stream = self.serverFrame(payload) + self.serverFrame([1, 2, 3], opcode: 0x0)
        // Every cut of the header region, and a few through the payload.
        for cut in Array(1..<min(stream.count, 12)) + [stream.count / 2, stream.count - 1] where cut < stream.count {
            try channel.writeInbound(ByteBuffer(bytes: stream[..<cut]))
            try channel.writeInbound(ByteBuffer(bytes: stream[cut...]))
            #expect(try self.inbound(channel) == payload + [1, 2, 3], "cut at \(cut)")
        }
    }

    @Test func aPingIsAnsweredAndACloseEndsTheConnection() throws {
        let (channel, _) = try self.connected()
        try channel.writeInbound(ByteBuffer(string: Self.upgraded))
        try channel.writeInbound(ByteBuffer(bytes: self.serverFrame([7, 8, 9], opcode: 0x9)))
        let pong = try self.clientFrame(try #require(try channel.readOutbound(as: ByteBuffer.self)))
        #expect(pong.opcode == 0xA && pong.payload == [7, 8, 9])
        #expect(try self.inbound(channel).isEmpty)
        try channel.writeInbound(ByteBuffer(bytes: self.serverFrame([0x03, 0xE8], opcode: 0x8)))
        #expect(!channel.isActive)
    }

    @Test func longWritesUseTheLongerLengthForms() throws {
        let (channel, _) = try self.connected()
        try channel.writeInbound(ByteBuffer(string: Self.upgraded))
        for size in [125, 126, 65_535, 65_536] {
            let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)
            try channel.writeAndFlush(ByteBuffer(bytes: payload)).wait()
            let frame = try self.clientFrame(try #require(try channel.readOutbound(as: ByteBuffer.self)))
            #expect(frame.payload == payload)
        }
    }

    @Test(arguments: [
        (
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
            "127.0.0.1:8080/ws answered 403 Forbidden instead of a WebSocket"
        ),
        ("* Welcome to slashchat\n", #"the server answered "* Welcome to slashchat", not HTTP"#),
    ])
    func anAnswerThatIsNoUpgradeFailsTheJoinClearly(answer: String, reason: String) throws {
        let (channel, joined) = try self.connected()
        try channel.writeInbound(ByteBuffer(string: answer))
        #expect(!channel.isActive)
        #expect {
            try joined.wait()
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func aMaskedFrameFromTheServerIsRefused() throws {
        let (channel, joined) = try self.connected()
        try channel.writeInbound(ByteBuffer(string: Self.upgraded))
        try channel.writeInbound(ByteBuffer(bytes: [0x81, 0x81, 1, 2, 3, 4, 5]))
        #expect(!channel.isActive)
        // Joining is the handler's to confirm; the codec fails it with the reason.
        #expect(throws: BenchError.self) { try joined.wait() }
    }
}
