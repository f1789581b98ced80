import Logging

/// What every session of one server shares, whichever listener it came through: the hub, the commands, the
/// limits and the log. ``ChatServer`` builds it once and hands it to each listener.
public struct SessionEnvironment: Sendable {
    public let hub: ChatHub
    public let registry: CommandRegistry
    public let services: CommandServices
    public let configuration: ServerConfiguration
    public let logger: Logger
    /// Every open connection of every listener, for `--max-clients`, the per-address limits and shutdown.
    let tracker: ConnectionTracker

    public init(
        hub: ChatHub = ChatHub(),
        registry: CommandRegistry = .withCoreCommands(),
        services: CommandServices = CommandServices(),
        configuration: ServerConfiguration,
        logger: Logger
    ) {
        self.hub = hub
        self.registry = registry
        self.services = services
        self.configuration = configuration
        self.logger = logger
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

    /// The number of open connections, joined or not, over every listener.
    public var connectionCount: Int { self.tracker.count }
}
