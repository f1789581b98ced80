import ChatCore
import ChatProtocol
import Logging
import NIOCore
import NIOEmbedded

@testable import ChatTransportTCP

/// One plain TCP connection as ``TCPChannelSetup`` builds it (an ``Outbox``, a ``ChatSession`` and the
/// ``SessionPump`` that feeds it), on a `NIOAsyncTestingChannel` instead of a socket.
///
/// Built here rather than by `configure` so the test holds the outbox: it can queue output directly and watch it
/// overflow (`ListenerPipelineTests` runs the setup itself). A `NIOAsyncTestingChannel`, not an
/// `EmbeddedChannel`: the handler hands lines to the session in a task that hops back to the event loop, and an
/// `EmbeddedEventLoop` may only be touched from the thread that made it.
struct ConnectionUnderTest {
    let channel: NIOAsyncTestingChannel
    let outbox: Outbox
    /// This connection's count alone, so a test can wait until its session has finished.
    let openConnections: OpenConnections
    var output: OutboundLines

    var loop: NIOAsyncTestingEventLoop { self.channel.testingEventLoop }

    /// Registered, with the handler in place, but not yet active: no session has started (``connect()`` starts it).
    init(environment: SessionEnvironment) async throws {
        let channel = NIOAsyncTestingChannel()
        let outbox = Outbox(channel: channel, capacity: environment.configuration.outboxCapacity)
        let openConnections = OpenConnections()
        try await channel.testingEventLoop.executeInContext {
            let session = ChatSession(
                endpoint: SessionEndpoint(
                    recipient: outbox,
                    address: SessionEndpoint.describe(channel.remoteAddress),
                    peer: PeerAddress(channel.remoteAddress),
                    eventLoop: channel.eventLoop
                ),
                environment: environment
            )
            try channel.pipeline.syncOperations.addHandler(
                SessionPump(
                    session: session,
                    outbox: outbox,
                    framing: LineFramer(maximumLineLength: environment.configuration.maxLineLength),
                    openConnections: openConnections
                )
            )
        }
        try await channel.register()
        self.channel = channel
        self.outbox = outbox
        self.openConnections = openConnections
        self.output = OutboundLines(channel)
    }

    /// A connection whose session has started and asked for a nickname.
    static func connected(in environment: SessionEnvironment) async throws -> ConnectionUnderTest {
        var connection = try await ConnectionUnderTest(environment: environment)
        try await connection.connect()
        try await connection.output.lines(until: { $0.hasPrefix("* Choose a nickname") })
        return connection
    }

    /// A connection that has joined the chat as `nickname`.
    static func joined(as nickname: String, in environment: SessionEnvironment) async throws -> ConnectionUnderTest {
        var connection = try await ConnectionUnderTest.connected(in: environment)
        try await connection.send("\(nickname)\n")
        try await connection.output.lines(until: { $0.hasPrefix("* Welcome to slashchat, \(nickname)!") })
        return connection
    }

    /// The channel becomes active, as an accepted socket does: the session opens.
    func connect() async throws {
        try await self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000))
    }

    /// `text` arrives in one read.
    func send(_ text: String) async throws {
        try await self.channel.writeInbound(ByteBuffer(string: text))
    }

    /// `text` arrives one byte per read, the most a line can be split.
    func sendByteAtATime(_ text: String) async throws {
        for byte in Array(text.utf8) {
            try await self.channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
    }

    /// The socket's send buffer fills (or drains), and the pipeline hears of it, as NIO tells it.
    func setWritable(_ isWritable: Bool) async throws {
        let channel = self.channel
        try await self.loop.executeInContext {
            channel.isWritable = isWritable
            channel.pipeline.fireChannelWritabilityChanged()
        }
    }

    /// Returns once the session has been finished (it has left the hub), however the connection ended.
    func sessionEnded() async throws {
        let openConnections = self.openConnections
        try await Patience.wait(for: "the end of the session") {
            await openConnections.waitUntilNoneAreOpen()
        }
    }

    /// Closes the connection from the peer's side, waits for the session to finish, and says what was left unread
    /// and whether the channel was clean.
    mutating func hangUp() async throws -> (unread: [String], isClean: Bool) {
        try await self.channel.close()
        try await self.sessionEnded()
        return try await self.finish()
    }

    /// Ends the test's use of an already closed channel: what was left unread, and whether the channel was clean.
    mutating func finish() async throws -> (unread: [String], isClean: Bool) {
        let unread = try await self.output.remaining()
        let state = try await self.channel.finish(acceptAlreadyClosed: true)
        return (unread, state.isClean)
    }
}

extension SessionEnvironment {
    /// A server's shared state with the real hub and commands, in memory. Flood control is off: it waits on the
    /// wall clock, and these tests are about the transport, not the rate.
    static func forTransportTests(
        outboxCapacity: Int = ServerConfiguration.defaultOutboxCapacity
    ) -> SessionEnvironment {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.floodRate = 0
        configuration.outboxCapacity = outboxCapacity
        return SessionEnvironment(
            configuration: configuration,
            logger: Logger(label: "transport-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }
}
