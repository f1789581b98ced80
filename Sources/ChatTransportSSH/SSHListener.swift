import ChatCore
import ChatTransportTCP
import NIOCore
import NIOPosix

/// The SSH door: `--ssh-port`, so `ssh -p PORT nick@host` joins the same rooms as every other door with nothing to
/// install. SSH encrypts, so passwords typed here are safe from the network.
public struct SSHListener: ChatListener {
    public let host: String
    public let port: Int
    public let hostKey: SSHHostKey
    private let eventLoopGroup: any EventLoopGroup

    /// How long a connection may take from accept to its chat session: key exchange, authentication (a person
    /// typing a password) and the shell request.
    public static let setupTimeout = TimeAmount.seconds(60)

    /// - Parameter port: 0 picks a free one (the bound listener says which).
    public init(
        host: String,
        port: Int,
        hostKey: SSHHostKey,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.hostKey = hostKey
        self.eventLoopGroup = eventLoopGroup
    }

    public func bind(for environment: SessionEnvironment) async throws -> any BoundChatListener {
        let pending = PendingHandshakes(environment.configuration)
        let hostKey = self.hostKey
        return try await ListeningSocket.bindDoor(
            host: self.host,
            port: self.port,
            kind: "ssh",
            isEncrypted: true,
            group: self.eventLoopGroup
        ) { openConnections -> any ChildChannelSetup in
            SSHChannelSetup(
                environment: environment,
                openConnections: openConnections,
                hostKey: hostKey,
                pending: pending,
                setupTimeout: Self.setupTimeout,
                noCommandsReply: "slashchat runs no commands over ssh: leave the command out to join the chat.\r\n"
            )
        }
    }
}
