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

    /// The number of open connections, joined or not, over every listener.
    public var connectionCount: Int { self.tracker.count }

    /// What to tell a client before it types a password, when the connection is plain text from another machine
    /// and an encrypted listener exists; nil otherwise (loopback never crosses a network).
    func plainTextWarning(for endpoint: SessionEndpoint) -> String? {
        guard !endpoint.isEncrypted, !endpoint.peer.isLoopback, let encrypted = self.listening.firstEncrypted else {
            return nil
        }
        return "This connection is not encrypted: a password typed here crosses the network as plain text. "
            + "The \(encrypted.kind.uppercased()) port \(encrypted.port) is encrypted "
            + "(client HOST \(encrypted.port) NICKNAME --tls)."
    }
}
