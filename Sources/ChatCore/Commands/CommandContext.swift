import ChatProtocol
import ProcessRunning

/// What a running command may use: the hub, the caller's session, the registry, and the caller's connection.
public struct CommandContext: Sendable {
    /// The shared chat state.
    public let hub: ChatHub
    /// The caller.
    public let session: SessionID
    /// All commands, for `/help`.
    public let registry: CommandRegistry
    /// The caller's connection: its output, and requests to it.
    public let connection: ConnectionState
    /// Processes, tools and plugins.
    public let services: CommandServices

    public init(
        hub: ChatHub,
        session: SessionID,
        registry: CommandRegistry,
        connection: ConnectionState,
        services: CommandServices
    ) {
        self.hub = hub
        self.session = session
        self.registry = registry
        self.connection = connection
        self.services = services
    }

    /// Runs external programs for commands.
    public var processRunner: ProcessRunner { self.services.processRunner }

    /// Sends one `* text` notice to the caller only.
    public func notice(_ text: String) {
        self.connection.recipient.send(.notice(text))
    }

    /// Sends several `* ` notice lines to the caller only.
    public func notices(_ lines: [String]) {
        for line in lines {
            self.notice(line)
        }
    }
}
