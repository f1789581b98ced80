import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The chat server: binds, accepts, and runs one ``ChatConnection`` per client in a discarding task group.
///
/// A `Service`: on graceful shutdown (SIGTERM, SIGINT, or the admin console's `shutdown`) it stops accepting,
/// tells every client the server is shutting down, flushes, closes every connection and returns.
public final class ChatServer: Service {
    public let configuration: ServerConfiguration
    public let hub: ChatHub
    public let registry: CommandRegistry
    public let services: CommandServices
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (Int) -> Void
    private let tracker: ConnectionTracker

    /// - Parameter onListening: called once bound, with the real port (useful when the configuration says 0).
    public init(
        configuration: ServerConfiguration,
        hub: ChatHub = ChatHub(),
        registry: CommandRegistry = .withCoreCommands(),
        services: CommandServices = CommandServices(),
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.hub = hub
        self.registry = registry
        self.services = services
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
        self.tracker = ConnectionTracker(
            limit: configuration.maxClients,
            addressLimits: .init(
                maxConnections: configuration.maxClientsPerAddress,
                connectsPerMinute: configuration.connectRate,
                connectBurst: configuration.connectBurst,
                includesLoopback: configuration.limitLoopback
            )
        )
    }

    /// The number of open connections, joined or not.
    public var connectionCount: Int { self.tracker.count }

    public func run() async throws {
        let listener = try await self.bind()
        let address = listener.channel.localAddress!
        self.logger.info("listening", metadata: ["address": "\(address)"])
        self.onListening(address.port ?? self.configuration.port)

        try await withThrowingDiscardingTaskGroup { group in
            do {
                try await listener.executeThenClose { inbound in
                    try await withGracefulShutdownHandler {
                        for try await accepted in inbound {
                            group.addTask { await self.connection(for: accepted).run() }
                        }
                    } onGracefulShutdown: {
                        // Ends the accept loop above; the connections are closed below.
                        listener.channel.close(promise: nil)
                    }
                }
            } catch {
                self.logger.error("listener failed", metadata: ["error": "\(error)"])
            }
            await self.disconnectEveryone()
        }
        self.logger.info("stopped")
    }

    private func bind() async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        let outboxCapacity = self.configuration.outboxCapacity
        let maxLineLength = self.configuration.maxLineLength
        return try await ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 64 * 1024))
            // Each connection keeps its receive buffer between reads; NIO's default starts it at 2 KiB, which was
            // an eighth of an idle client's memory. Chat lines are short, and busy senders grow it as they need.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 64 * 1024))
            .bind(host: self.configuration.host, port: self.configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let outbox = Outbox(channel: channel, capacity: outboxCapacity)
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(ByteToMessageHandler(LineDecoder(maximumLineLength: maxLineLength)))
                    try operations.addHandler(OutboxWritabilityHandler(outbox: outbox))
                    let asyncChannel = try NIOAsyncChannel<InboundLine, ByteBuffer>(
                        wrappingChannelSynchronously: channel
                    )
                    let address = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
                    return AcceptedConnection(
                        channel: asyncChannel,
                        outbox: outbox,
                        address: address,
                        peer: PeerAddress(channel.remoteAddress)
                    )
                }
            }
    }

    private func connection(for accepted: AcceptedConnection) -> ChatConnection {
        ChatConnection(
            accepted: accepted,
            hub: self.hub,
            registry: self.registry,
            services: self.services,
            tracker: self.tracker,
            configuration: self.configuration,
            logger: self.logger
        )
    }

    /// Tells every client the server is going away, flushes what they are owed, and closes them all at once.
    private func disconnectEveryone() async {
        await self.hub.beginShutdown()
        let outboxes = self.tracker.closeAll()
        self.logger.info("shutting down", metadata: ["connections": "\(outboxes.count)"])
        await withDiscardingTaskGroup { group in
            for outbox in outboxes {
                group.addTask {
                    outbox.send(.notice("The server is shutting down. Goodbye!"))
                    await outbox.flushAndClose()
                }
            }
        }
    }
}

extension ChatServer: CustomStringConvertible {
    public var description: String { "ChatServer(\(self.configuration.host):\(self.configuration.port))" }
}
