import ChatCore
import ChatProtocol
import ChatTesting
import NIOCore
import NIOEmbedded
import Testing

@testable import ChatTransportTCP

/// ``SessionPump`` on a testing channel, with the real session and hub behind it: how bytes become the
/// session's lines, how the input ends, when reading pauses, and how output meets a full socket. As swift-nio tests
/// its own handlers: byte-at-a-time input, writability changes, a peer that leaves mid-line, `finish().isClean`.
/// Nothing here waits for a stretch of time; each step waits for the write or the event it is about.
@Suite(.timeLimit(.minutes(1)))
struct SessionPumpTests {
    let environment = SessionEnvironment.forTransportTests()

    /// What the session answers a command it does not know: an echo of the line it was handed.
    static func unknown(_ name: String) -> String {
        "! Unknown command /\(name); type /help for the list."
    }

    @Test func linesSplitAcrossReadsReachTheSessionWhole() async throws {
        var alice = try await ConnectionUnderTest.joined(as: "alice", in: self.environment)
        try await alice.send("/one\n/tw")
        try await alice.send("o\n/thr")
        try await alice.send("ee\n")
        let lines = try await alice.output.lines(until: { $0.hasPrefix("! Unknown command /thr") })
        #expect(lines == [Self.unknown("one"), Self.unknown("two"), Self.unknown("three")])
        let end = try await alice.hangUp()
        #expect(end.unread.isEmpty)
        #expect(end.isClean)
    }

    @Test func byteAtATimeInputEndedByCRLFReachesTheSessionAsWholeLines() async throws {
        var alice = try await ConnectionUnderTest.connected(in: self.environment)
        // A nickname with its `\r` left on would be refused ("! Invalid nickname"), so the welcome shows both the
        // reassembly and the CRLF handling.
        try await alice.sendByteAtATime("alice\r\n")
        let answer = try await alice.output.lines(until: { $0.hasPrefix("* Welcome") || $0.hasPrefix("! ") })
        #expect(answer.last?.hasPrefix("* Welcome to slashchat, alice!") == true)
        try await alice.sendByteAtATime("/nosuch\r\n")
        #expect(try await alice.output.next() == Self.unknown("nosuch"))
        let end = try await alice.hangUp()
        #expect(end.unread.isEmpty)
        #expect(end.isClean)
    }

    @Test func anOverlongLineGetsTheErrorOnceAndTheConnectionStaysUsable() async throws {
        var alice = try await ConnectionUnderTest.connected(in: self.environment)
        // 5,000 bytes over five reads: the cap (4,096) is passed in the middle of a read, and the rest of the line
        // still has to be thrown away up to its newline.
        for _ in 0..<5 {
            try await alice.send(String(repeating: "x", count: 1_000))
        }
        try await alice.send("xxx\nalice\n")
        let lines = try await alice.output.lines(until: { $0.hasPrefix("* Welcome") || $0.hasPrefix("! Invalid") })
        #expect(lines.first == "! That line was over 4096 bytes and was discarded.")
        #expect(lines.filter { $0.hasPrefix("! ") }.count == 1)
        #expect(lines.last?.hasPrefix("* Welcome to slashchat, alice!") == true)
        let end = try await alice.hangUp()
        #expect(end.isClean)
    }

    @Test func aPeerThatClosesMidLineHasThatLastLineHandledBeforeItLeaves() async throws {
        // Join notices wait on the hub's timers, which a server would run.
        try await self.environment.hub.withTimersRunning {
            var bob = try await ConnectionUnderTest.joined(as: "bob", in: self.environment)
            var alice = try await ConnectionUnderTest.joined(as: "alice", in: self.environment)
            try await bob.output.lines(untilLine: "* alice joined #main")
            // No newline, then the peer closes (`printf 'see you' | nc`): the partial line is still a line, and a
            // client's own close does not cancel its last words.
            try await alice.send("see you")
            let aliceEnd = try await alice.hangUp()
            #expect(aliceEnd.unread.isEmpty)
            #expect(aliceEnd.isClean)
            #expect(try await bob.output.next() == "<alice> see you")
            #expect(try await bob.output.next() == "* alice left #main", "a clean close gives no reason")
            let bobEnd = try await bob.hangUp()
            #expect(bobEnd.unread.isEmpty)
            #expect(bobEnd.isClean)
        }
    }

    @Test func aResetEndsTheSessionAsAConnectionLost() async throws {
        // Join notices wait on the hub's timers, which a server would run.
        try await self.environment.hub.withTimersRunning {
            var bob = try await ConnectionUnderTest.joined(as: "bob", in: self.environment)
            var alice = try await ConnectionUnderTest.joined(as: "alice", in: self.environment)
            try await bob.output.lines(untilLine: "* alice joined #main")
            let channel = alice.channel
            try await alice.loop.executeInContext {
                channel.pipeline.fireErrorCaught(ConnectionReset())
            }
            try await alice.sessionEnded()
            #expect(!alice.channel.isActive, "the handler closes a connection that failed")
            #expect(try await bob.output.next() == "* alice left #main (connection lost)")
            let aliceEnd = try await alice.finish()
            #expect(aliceEnd.isClean, "the error was handled, not passed down the pipeline")
            let bobEnd = try await bob.hangUp()
            #expect(bobEnd.isClean)
        }
    }

    @Test func readingPausesOnceAFullQueueOfLinesWaitsAndResumesWhenTheSessionTakesThem() async throws {
        var alice = try await ConnectionUnderTest(environment: self.environment)
        let channel = alice.channel
        let justUnderTheLimit =
            ["alice"] + Array(repeating: "/nosuch", count: SessionPump<LineFramer>.maximumQueuedLines - 2)
        // One turn of the event loop: the session is still opening (its task cannot hop back onto the loop while
        // this runs), so nothing is handed over and every line waits in the handler's queue.
        let autoRead = try await alice.loop.executeInContext {
            channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 40_000), promise: nil)
            channel.pipeline.fireChannelRead(ByteBuffer(string: justUnderTheLimit.joined(separator: "\n") + "\n"))
            let justUnder = Self.autoRead(of: channel)
            channel.pipeline.fireChannelRead(ByteBuffer(string: "/last\n"))
            return (justUnder: justUnder, atTheLimit: Self.autoRead(of: channel))
        }
        #expect(autoRead.justUnder == nil, "63 waiting lines leave reading alone")
        #expect(autoRead.atTheLimit == false, "the 64th stops reading")
        let lines = try await alice.output.lines(until: { $0.hasPrefix("! Unknown command /last") })
        #expect(Self.autoRead(of: channel) == true, "reading resumed when the session took the queue")
        #expect(lines.contains { $0.hasPrefix("* Welcome to slashchat, alice!") })
        #expect(lines.filter { $0 == Self.unknown("nosuch") }.count == SessionPump<LineFramer>.maximumQueuedLines - 2)
        #expect(lines.last == Self.unknown("last"), "nothing was dropped, and the order was kept")
        let end = try await alice.hangUp()
        #expect(end.isClean)
    }

    @Test func outputWaitsInTheOutboxWhileTheSocketIsFullAndGoesOutInOneWriteWhenItDrains() async throws {
        // Asked for a nickname and waiting: the session writes nothing more by itself.
        var alice = try await ConnectionUnderTest.connected(in: self.environment)
        try await alice.setWritable(false)
        alice.outbox.send(ByteBuffer(string: "one\n"))
        alice.outbox.send(ByteBuffer(string: "two\n"))
        // The drain the first send scheduled has run, and found the socket full.
        await alice.loop.run()
        #expect(try await alice.channel.readOutbound(as: ByteBuffer.self) == nil)
        try await alice.setWritable(true)
        #expect(try await alice.channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "one\ntwo\n"))
        try await alice.setWritable(true)
        #expect(try await alice.channel.readOutbound(as: ByteBuffer.self) == nil, "nothing waits, nothing is written")
        let end = try await alice.hangUp()
        #expect(end.unread.isEmpty)
        #expect(end.isClean)
    }

    @Test func aReaderThatFallsTooFarBehindIsDroppedAndItsRoomToldWhy() async throws {
        let environment = SessionEnvironment.forTransportTests(outboxCapacity: 1_024)
        // Join notices wait on the hub's timers, which a server would run.
        try await environment.hub.withTimersRunning {
            var bob = try await ConnectionUnderTest.joined(as: "bob", in: environment)
            var alice = try await ConnectionUnderTest.joined(as: "alice", in: environment)
            try await bob.output.lines(untilLine: "* alice joined #main")
            try await alice.setWritable(false)
            // Two lines of 600 bytes are more than alice's 1,024 may hold while she does not read.
            let long = String(repeating: "z", count: 600)
            try await bob.send("\(long)\n\(long)\n")
            let notice = try await bob.output.lines(until: { $0.contains("alice left") }).last
            #expect(notice == "* alice left #main (dropped: not reading its messages)")
            #expect(alice.outbox.overflowed)
            try await alice.sessionEnded()
            #expect(!alice.channel.isActive)
            let aliceEnd = try await alice.finish()
            #expect(!aliceEnd.unread.contains { $0.contains("zzz") }, "the backlog was thrown away, never written")
            #expect(aliceEnd.isClean)
            let bobEnd = try await bob.hangUp()
            #expect(bobEnd.isClean)
        }
    }

    @Test func quitSaysGoodbyeClosesAndTheLinesReadAfterItAreNotHandled() async throws {
        var alice = try await ConnectionUnderTest.joined(as: "alice", in: self.environment)
        try await alice.send("/quit\n/nosuch\n")
        try await alice.sessionEnded()
        #expect(!alice.channel.isActive)
        let end = try await alice.finish()
        #expect(end.unread == ["* Goodbye!"])
        #expect(end.isClean)
    }

    /// The last `autoRead` the handler set on `channel`; nil when it never touched it.
    static func autoRead(of channel: NIOAsyncTestingChannel) -> Bool? {
        channel.options.last { $0.option is ChannelOptions.Types.AutoReadOption }?.value as? Bool
    }
}

/// A read that failed because the peer reset the connection, as NIO passes it down the pipeline.
private struct ConnectionReset: Error {}
