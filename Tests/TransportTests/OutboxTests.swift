import NIOCore
import NIOEmbedded
import Testing

@testable import ChatTransportTCP

/// ``Outbox`` on its own: the slow-reader cap and the goodbye flush. (Writability with the handler that drives it is
/// in `SessionPumpTests`, batching in `DrainSchedulerTests`.)
@Suite(.timeLimit(.minutes(1)))
struct OutboxTests {
    @Test func theDefaultBacklogBeforeADropIsOneMebibyte() {
        // The README: a client is dropped "once more than 1 MiB waits" beyond the socket's own buffer.
        #expect(Outbox.defaultCapacity == 1 << 20)
    }

    @Test func aBacklogOfExactlyTheCapacityIsKeptAndOneByteMoreDropsTheClient() async throws {
        let channel = try await TestingChannels.connected()
        let outbox = Outbox(channel: channel, capacity: 100)
        try await TestingChannels.fillSendBuffer(of: channel, for: outbox)
        #expect(outbox.send(ByteBuffer(repeating: UInt8(ascii: "a"), count: 60)))
        #expect(outbox.send(ByteBuffer(repeating: UInt8(ascii: "b"), count: 40)))
        #expect(!outbox.overflowed, "100 bytes waiting is within a capacity of 100")
        #expect(!outbox.send(ByteBuffer(string: "c")), "the byte that would make 101 is refused")
        #expect(outbox.overflowed)
        #expect(outbox.isClosed)
        try await Patience.wait(for: "the close") { try await channel.closeFuture.get() }
        #expect(!outbox.send(ByteBuffer(string: "late")), "a dropped client takes nothing more")
        #expect(await outbox.written() == false, "nobody may think the backlog reached the client")
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil, "the backlog was thrown away, not written")
        #expect(try await channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func bytesWaitWhileTheSocketIsFullAndGoOutInOneWriteOnceItDrains() async throws {
        let channel = try await TestingChannels.connected()
        let outbox = Outbox(channel: channel)
        try await TestingChannels.fillSendBuffer(of: channel, for: outbox)
        outbox.send(ByteBuffer(string: "one\n"))
        outbox.send(ByteBuffer(string: "two\n"))
        try await channel.testingEventLoop.executeInContext { outbox.drain() }
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil, "nothing is written to a full socket")
        try await channel.testingEventLoop.executeInContext {
            channel.isWritable = true
            outbox.writabilityChanged(to: true)
        }
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "one\ntwo\n"))
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil, "one write for the whole backlog")
        #expect(try await channel.finish().isClean)
    }

    @Test func flushAndCloseWritesTheBacklogEvenToAFullSocketThenCloses() async throws {
        let channel = try await TestingChannels.connected()
        let outbox = Outbox(channel: channel)
        try await TestingChannels.fillSendBuffer(of: channel, for: outbox)
        outbox.send(ByteBuffer(string: "! Too many failed attempts; goodbye.\n"))
        await outbox.flushAndClose()
        #expect(!channel.isActive)
        #expect(outbox.isClosed)
        #expect(!outbox.overflowed)
        var output = OutboundLines(channel)
        #expect(try await output.remaining() == ["! Too many failed attempts; goodbye."])
        #expect(try await channel.finish(acceptAlreadyClosed: true).isClean)
    }
}
