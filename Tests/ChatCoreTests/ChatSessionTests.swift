import ChatCore
import ChatProtocol
import ChatTesting
import Logging
import NIOCore
import NIOPosix
import Testing

/// The session dialogue over an in-memory recipient, fed lines by the test as a transport would: the same code
/// the TCP listener runs, with no socket.
@Suite struct ChatSessionTests {
    let environment: SessionEnvironment

    init() {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.floodRate = 0
        self.environment = SessionEnvironment(
            configuration: configuration,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    func session(
        _ recipient: MemoryRecipient,
        from address: String = "192.0.2.7:5000",
        opening: SessionOpening = .askNickname
    ) -> ChatSession {
        ChatSession(
            endpoint: SessionEndpoint(
                recipient: recipient,
                address: address,
                peer: PeerAddress(hostAndPort: address),
                eventLoop: MultiThreadedEventLoopGroup.singleton.next()
            ),
            environment: self.environment,
            opening: opening
        )
    }

    func line(_ text: String) -> InboundLine {
        .line(ByteBuffer(string: text))
    }

    @Test func greetsAsksAndJoinsOnAValidNickname() async throws {
        let recipient = MemoryRecipient()
        let session = self.session(recipient)
        #expect(await session.open())
        try await recipient.lines(until: { $0.hasPrefix("* Choose a nickname") })
        #expect(await session.receive(self.line("no spaces")) == .goOn)
        try await recipient.lines(until: { $0.hasPrefix("! Invalid nickname \"no spaces\"") })
        #expect(await session.receive(self.line("  alice  ")) == .goOn)
        try await recipient.lines(until: { $0.hasPrefix("* Welcome to slashchat, alice!") })
        #expect(session.sessionID != nil)
        #expect(await self.environment.hub.whereabouts(of: session.sessionID!)?.nickname.name == "alice")
        await session.finish(.closedByPeer)
        #expect(await self.environment.hub.sessionID(of: "alice") == nil)
        #expect(self.environment.connectionCount == 0)
    }

    @Test func onlyCommandsMarkedForItRunBeforeJoining() async throws {
        let recipient = MemoryRecipient()
        let session = self.session(recipient)
        #expect(await session.open())
        #expect(await session.receive(self.line("/who")) == .goOn)
        try await recipient.lines(untilLine: "! Choose a nickname first; commands work once you have joined.")
        #expect(await session.receive(self.line("/mode json")) == .goOn)
        #expect(recipient.format == .json)
        #expect(await session.receive(self.line("/bye")) == .stop)
        #expect(recipient.isClosed)
        await session.finish(.stopped)
        let descriptors = CommandRegistry.withCoreCommands().descriptors.filter(\.isAvailableBeforeJoining)
        #expect(descriptors.map(\.name) == ["mode", "quit"])
    }

    @Test func tooManyBadNicknamesSayGoodbye() async throws {
        let recipient = MemoryRecipient()
        let session = self.session(recipient)
        #expect(await session.open())
        #expect(await session.receive(self.line("bad name")) == .goOn)
        #expect(await session.receive(self.line("bad name")) == .goOn)
        #expect(await session.receive(self.line("bad name")) == .stop)
        try await recipient.lines(until: { $0.hasSuffix("Too many failed attempts; goodbye.") })
        #expect(recipient.isClosed)
        await session.finish(.stopped)
    }

    @Test func aTransportThatKnowsTheNicknameStartsPastTheQuestion() async throws {
        let recipient = MemoryRecipient()
        let session = self.session(
            recipient,
            opening: .knownUser(KnownUser(name: "dora", ownsAccount: false, key: nil))
        )
        #expect(await session.open())
        let lines = try await recipient.lines(until: { $0.hasPrefix("* Welcome to slashchat, dora!") })
        #expect(!lines.contains { $0.hasPrefix("* Choose a nickname") })
        #expect(await session.receive(self.line("/quit brb")) == .stop)
        await session.finish(.stopped)
    }

    @Test func aKnownUserWhoseNameIsInvalidOrTakenIsAskedAsOnTCP() async throws {
        let (_, doraSession) = try await self.joined("dora")
        for name in ["dora", "not a nickname"] {
            let recipient = MemoryRecipient()
            let session = self.session(
                recipient,
                opening: .knownUser(KnownUser(name: name, ownsAccount: false, key: nil))
            )
            #expect(await session.open())
            let lines = try await recipient.lines(until: { $0.hasPrefix("* Choose a nickname") })
            #expect(lines.contains { $0.hasPrefix("! ") && ($0.contains("taken") || $0.contains("Invalid nickname")) })
            #expect(await session.receive(self.line("dora2")) == .goOn)
            try await recipient.lines(until: { $0.hasPrefix("* Welcome to slashchat, dora2!") })
            #expect(await session.receive(self.line("/quit")) == .stop)
            await session.finish(.stopped)
        }
        await doraSession.finish(.closedByPeer)
    }

    @Test func aQuitTellsTheRoomItsReason() async throws {
        let (alice, aliceSession) = try await self.joined("alice")
        let (_, bobSession) = try await self.joined("bob")
        #expect(await bobSession.receive(self.line("/quit lunch")) == .stop)
        await bobSession.finish(.stopped)
        try await alice.lines(untilLine: "* bob left #main (quit: lunch)")
        await aliceSession.finish(.closedByPeer)
    }

    @Test func aReaderThatStopsReadingIsDroppedAndTheRoomHearsWhy() async throws {
        let (alice, aliceSession) = try await self.joined("alice")
        let slow = MemoryRecipient(capacity: 4096)
        let slowSession = self.session(slow, from: "192.0.2.8:5000")
        #expect(await slowSession.open())
        #expect(await slowSession.receive(self.line("slowpoke")) == .goOn)
        for index in 0..<100 {
            #expect(
                await aliceSession.receive(self.line("message \(index) " + String(repeating: "x", count: 60))) == .goOn
            )
        }
        #expect(await aliceSession.receive(self.line("/who")) == .goOn)
        #expect(slow.overflowed)
        // The transport sees its connection closed and ends the session.
        await slowSession.finish(.failed)
        try await alice.lines(untilLine: "* slowpoke left #main (dropped: not reading its messages)")
        await aliceSession.finish(.closedByPeer)
    }

    @Test func aLostConnectionSaysSo() async throws {
        let (alice, aliceSession) = try await self.joined("alice")
        let (_, bobSession) = try await self.joined("bob")
        await bobSession.finish(.failed)
        try await alice.lines(untilLine: "* bob left #main (connection lost)")
        await aliceSession.finish(.closedByPeer)
    }

    /// A session that has joined as `name`, its greeting read.
    private func joined(_ name: String) async throws -> (MemoryRecipient, ChatSession) {
        let recipient = MemoryRecipient()
        let session = self.session(recipient, from: "192.0.2.\(name.count):5000")
        #expect(await session.open())
        #expect(await session.receive(self.line(name)) == .goOn)
        try await recipient.lines(until: { $0.hasPrefix("* Welcome to slashchat, \(name)!") })
        return (recipient, session)
    }
}
