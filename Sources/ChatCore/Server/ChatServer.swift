import ChatProtocol
import Logging
import ServiceLifecycle

/// The chat server: binds every listener, runs them all, and shuts them down together.
///
/// A `Service`: on graceful shutdown (SIGTERM, SIGINT, or the admin console's `shutdown`) it stops accepting on
/// every listener, tells every client the server is shutting down, flushes, closes every connection and returns.
public final class ChatServer: Service {
    /// What every session shares: the hub, the commands, the limits.
    public let environment: SessionEnvironment
    private let listeners: [any ChatListener]
    private let onListening: @Sendable ([ListeningAddress]) -> Void

    /// - Parameters:
    ///   - listeners: the ways in, in the order their `listening on` lines are printed (the first is the plain one).
    ///   - onListening: called once every listener is bound, with the real addresses (useful when a port was 0).
    public init(
        configuration: ServerConfiguration,
        listeners: [any ChatListener],
        hub: ChatHub = ChatHub(),
        registry: CommandRegistry = .withCoreCommands(),
        services: CommandServices = CommandServices(),
        logger: Logger,
        onListening: @escaping @Sendable ([ListeningAddress]) -> Void = { _ in }
    ) {
        self.environment = SessionEnvironment(
            hub: hub,
            registry: registry,
            services: services,
            configuration: configuration,
            logger: logger
        )
        self.listeners = listeners
        self.onListening = onListening
    }

    public var configuration: ServerConfiguration { self.environment.configuration }
    public var hub: ChatHub { self.environment.hub }
    public var registry: CommandRegistry { self.environment.registry }
    public var services: CommandServices { self.environment.services }
    private var logger: Logger { self.environment.logger }

    /// The number of open connections, joined or not, over every listener.
    public var connectionCount: Int { self.environment.connectionCount }

    public func run() async throws {
        if let cluster = self.hub.cluster {
            // No user before this node hears the others; a shutdown meanwhile ends the wait, and the server.
            await cancelWhenGracefulShutdown { await cluster.waitUntilReady() }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
        }
        var binding: [any BoundChatListener] = []
        do {
            for listener in self.listeners {
                binding.append(try await listener.bind(for: self.environment))
            }
        } catch {
            for listener in binding { listener.stopAccepting() }
            throw error
        }
        let bound = binding
        for listener in bound {
            self.logger.info(
                "listening",
                metadata: [
                    "address": "\(listener.address.host):\(listener.address.port)", "kind": "\(listener.address.kind)",
                ]
            )
        }
        self.environment.listening.record(bound.map(\.address))
        self.onListening(bound.map(\.address))

        await withDiscardingTaskGroup { group in
            // The hub's timers live exactly as long as the server: no join window or big-room summary outlives it.
            group.addTask { await self.hub.timers.run() }
            for listener in bound {
                group.addTask { await listener.run() }
            }
            group.addTask {
                // Returns at graceful shutdown (or throws when the service is cancelled): either way, stop.
                try? await gracefulShutdown()
                for listener in bound { listener.stopAccepting() }
                await self.disconnectEveryone()
                self.hub.timers.stop()
            }
        }
        self.logger.info("stopped")
    }

    /// Tells every client the server is going away, flushes what they are owed, and closes them all at once.
    private func disconnectEveryone() async {
        await self.hub.beginShutdown()
        let recipients = self.environment.tracker.closeAll()
        self.logger.info("shutting down", metadata: ["connections": "\(recipients.count)"])
        await withDiscardingTaskGroup { group in
            for recipient in recipients {
                group.addTask {
                    recipient.send(.notice("The server is shutting down. Goodbye!"))
                    await recipient.flushAndClose()
                }
            }
        }
    }
}

extension ChatServer: CustomStringConvertible {
    public var description: String { "ChatServer(\(self.configuration.host):\(self.configuration.port))" }
}
