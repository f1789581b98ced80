import Logging

/// What every session of one server shares, whichever listener it came through: the hub, the commands, the
/// limits and the log. ``ChatServer`` builds it once and hands it to each listener.
///
/// A class, so each session holds one reference to it: as a struct, every idle connection carried its own copy of
/// the whole configuration and logger (about 0.4 KiB of the 4.5 KiB a connection cost at 10,000).
public final class SessionEnvironment: Sendable {
    public let hub: ChatHub
    public let registry: CommandRegistry
    public let services: CommandServices
    public let configuration: ServerConfiguration
    public let logger: Logger
    /// Every open connection of every listener, for `--max-clients`, the per-address limits and shutdown.
    let tracker: ConnectionTracker
    /// Where the server listens, once every listener is bound.
    public let listening = ListeningAddresses()

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

    /// Counts a connection from `peer` against `--connect-rate` when its listener accepts it, before work such as a
    /// TLS handshake; false when the address connects too often and the connection must be closed at once. A
    /// session from such a listener is not counted again (``SessionEndpoint/isEncrypted``).
    public func admitsConnect(from peer: PeerAddress) -> Bool {
        self.tracker.takeConnect(from: peer) == nil
    }

    /// The number of open connections, joined or not, over every listener.
    public var connectionCount: Int { self.tracker.count }
}
