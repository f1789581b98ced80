import ChatCore
import NIOCore
import NIOEmbedded
import Testing

@testable import ChatTransportTCP

/// The child pipelines the listeners build, on a testing channel: the plain port's exactly as `TCPListener` builds it
/// (``TCPChannelSetup``: ``TLSOnPlainPortHandler``, then the ``SessionPump``), from a connection's first byte, and the TLS port's
/// setup after the handshake, on a connection already up.
@Suite(.timeLimit(.minutes(1)))
struct ListenerPipelineTests {
    let environment = SessionEnvironment.forTransportTests()
    let openConnections = OpenConnections()

    /// An accepted connection on the plain port, already active: its session has started.
    func acceptedConnection() async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        let environment = self.environment
        let openConnections = self.openConnections
        try await channel.testingEventLoop.executeInContext {
            try TCPChannelSetup(environment: environment, openConnections: openConnections)
                .configure(channel, isEncrypted: false)
        }
        try await channel.register()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000))
        return channel
    }

    /// Returns once every session this listener's pipeline started has finished.
    func sessionsEnded() async throws {
        let openConnections = self.openConnections
        try await Patience.wait(for: "the end of the session") {
            await openConnections.waitUntilNoneAreOpen()
        }
    }

    @Test func aClientSendingOneByteAtATimeFromItsFirstByteJoins() async throws {
        let channel = try await self.acceptedConnection()
        var output = OutboundLines(channel)
        try await output.lines(until: { $0.hasPrefix("* Choose a nickname") })
        for byte in Array("alice\n".utf8) {
            try await channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        let answer = try await output.lines(until: { $0.hasPrefix("* Welcome") || $0.hasPrefix("! ") })
        #expect(answer.last?.hasPrefix("* Welcome to slashchat, alice!") == true)
        let detectorIsThere = try await channel.testingEventLoop.executeInContext {
            (try? channel.pipeline.syncOperations.handler(type: TLSOnPlainPortHandler.self)) != nil
        }
        #expect(!detectorIsThere, "the TLS check left after the first byte")
        try await channel.close()
        try await self.sessionsEnded()
        #expect(await self.environment.hub.sessionID(of: "alice") == nil)
        #expect(try await output.remaining().isEmpty)
        #expect(try await channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func aConnectionAlreadyUpWhenItsPipelineIsBuiltStartsItsSessionOnce() async throws {
        // The TLS listener's case: the setup runs once the handshake is done, when no channelActive
        // is left to come.
        let channel = NIOAsyncTestingChannel()
        try await channel.register()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000))
        let environment = self.environment
        let openConnections = self.openConnections
        try await channel.testingEventLoop.executeInContext {
            try TCPChannelSetup(environment: environment, openConnections: openConnections)
                .configure(channel, isEncrypted: true)
        }
        var output = OutboundLines(channel)
        let greeting = try await output.lines(until: { $0.hasPrefix("* Choose a nickname") })
        #expect(greeting.filter { $0.hasPrefix("* Welcome") }.count == 1)
        try await channel.close()
        // A second start would have counted the connection twice, and this would never return.
        try await self.sessionsEnded()
        #expect(try await output.remaining().isEmpty)
        #expect(try await channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func aTLSClientHelloOnThePlainPortEndsTheConnectionAndItsSession() async throws {
        let channel = try await self.acceptedConnection()
        var output = OutboundLines(channel)
        try await output.lines(until: { $0.hasPrefix("* Choose a nickname") })
        try await channel.writeInbound(ByteBuffer(bytes: TLSOnPlainPortHandlerTests.clientHelloStart))
        #expect(!channel.isActive)
        try await self.sessionsEnded()
        #expect(self.environment.connectionCount == 0, "its place under --max-clients is given back")
        #expect(try await output.remaining().isEmpty)
        #expect(try await channel.finish(acceptAlreadyClosed: true).isClean)
    }
}
