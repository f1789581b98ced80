import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import ChatTransportTCP

/// ``DrainScheduler``: however many outboxes of one event loop get bytes, the loop is woken once, and each outbox
/// writes what it got meanwhile as one buffer.
///
/// The sends happen inside `executeInContext`, so the loop cannot run in between: what the loop does next is then
/// exactly what the sends scheduled, run by `loop.run()`.
@Suite(.timeLimit(.minutes(1)))
struct DrainSchedulerTests {
    @Test func eachEventLoopHasOneScheduler() {
        let loop = NIOAsyncTestingEventLoop()
        let other = NIOAsyncTestingEventLoop()
        #expect(DrainScheduler.shared(for: loop) === DrainScheduler.shared(for: loop))
        #expect(DrainScheduler.shared(for: loop) !== DrainScheduler.shared(for: other))
    }

    @Test func sendsBeforeTheDrainGoOutAsOneWriteAndASendAfterItSchedulesAnother() async throws {
        let channel = try await TestingChannels.connected()
        let outbox = Outbox(channel: channel)
        try await channel.testingEventLoop.executeInContext {
            outbox.send(ByteBuffer(string: "one\n"))
            outbox.send(ByteBuffer(string: "two\n"))
            outbox.send(ByteBuffer(string: "three\n"))
        }
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil, "nothing is written by send itself")
        await channel.testingEventLoop.run()
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "one\ntwo\nthree\n"))
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil)
        // From outside the loop (as the hub sends), after a drain: a new wake-up, not a lost send.
        outbox.send(ByteBuffer(string: "four\n"))
        let write = try await Patience.wait(for: "the drain of a send from outside the loop") {
            try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        }
        #expect(write == ByteBuffer(string: "four\n"))
        #expect(try await channel.finish().isClean)
    }

    @Test func oneWakeUpDrainsEveryOutboxOfTheLoop() async throws {
        let loop = NIOAsyncTestingEventLoop()
        let log = EventLog()
        let first = try await TestingChannels.connected(on: loop) { [WriteRecorder(name: "first", log: log)] }
        let second = try await TestingChannels.connected(on: loop) { [WriteRecorder(name: "second", log: log)] }
        let firstOutbox = Outbox(channel: first)
        let secondOutbox = Outbox(channel: second)
        try await loop.executeInContext {
            firstOutbox.send(ByteBuffer(string: "to the first\n"))
            // Queued behind the first send's wake-up and ahead of anything the second send might queue: with a
            // drain per send, the second outbox would be written after this probe.
            loop.execute { log.append("probe") }
            secondOutbox.send(ByteBuffer(string: "to the second\n"))
        }
        await loop.run()
        #expect(log.entries == ["first", "second", "probe"])
        #expect(try await first.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "to the first\n"))
        #expect(try await second.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "to the second\n"))
        #expect(try await first.finish().isClean)
        #expect(try await second.finish().isClean)
    }
}

/// Notes each write that passes it under its channel's name, so a test sees the order in which a loop wrote to
/// several channels.
private final class WriteRecorder: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let name: String
    private let log: EventLog

    init(name: String, log: EventLog) {
        self.name = name
        self.log = log
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.log.append(self.name)
        context.write(data, promise: promise)
    }
}

/// What happened on an event loop, in order; read by the test once the loop has stopped.
private final class EventLog: Sendable {
    private let recorded = Mutex<[String]>([])

    func append(_ entry: String) {
        self.recorded.withLock { $0.append(entry) }
    }

    var entries: [String] {
        self.recorded.withLock { $0 }
    }
}
