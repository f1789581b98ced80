import ChatCore
import ChatProtocol
import ChatTransportTCP
import NIOCore
import NIOSSH

/// The SSH door's pipeline: NIOSSH's server handler with the host key and the ``SSHAuthenticator``, behind it the
/// ``SSHSetupGuard``; and in the one session channel a client may open, an ``SSHSessionChannelHandler`` in front of
/// the same ``SessionPump`` every door ends in, opening its session as the user SSH authenticated. Port forwarding,
/// more channels, agent and X11 forwarding are refused.
struct SSHChannelSetup: ChildChannelSetup {
    let environment: SessionEnvironment
    let openConnections: OpenConnections
    let hostKey: SSHHostKey
    let pending: PendingHandshakes
    let setupTimeout: TimeAmount
    /// What `ssh HOST COMMAND` is told: the door runs no commands.
    let noCommandsReply: String

    /// Authentication requests one connection may make, counting each key OpenSSH offers (its own server's
    /// `MaxAuthTries` is 6; more here, since OpenSSH offers every key in the agent before it asks for a password).
    static let maximumAuthenticationAttempts = 12

    func configure(_ channel: any Channel, isEncrypted: Bool) throws {
        let environment = self.environment
        let openConnections = self.openConnections
        let login = SSHLogin()
        let authenticator = SSHAuthenticator(
            environment: environment,
            peer: PeerAddress(channel.remoteAddress),
            login: login,
            isGone: { !channel.isActive }
        )
        var configuration = SSHServerConfiguration(hostKeys: [self.hostKey.privateKey], userAuthDelegate: authenticator)
        configuration.maxAuthAttempts = Self.maximumAuthenticationAttempts
        let setupGuard = SSHSetupGuard(timeout: self.setupTimeout, pending: self.pending, environment: environment)
        // Child channels live on their connection's event loop, where the option's callback runs too.
        let setupGuardOnLoop = NIOLoopBound(setupGuard, eventLoop: channel.eventLoop)
        let noCommandsReply = self.noCommandsReply
        var hasSession = false
        let maximumLineLength = environment.configuration.maxLineLength
        let ssh = NIOSSHHandler(role: .server(configuration), allocator: channel.allocator) { child, type in
            // One session channel per connection; no forwarding of any kind.
            guard case .session = type, !hasSession, let user = login.user else {
                return child.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
            }
            hasSession = true
            return child.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).flatMapThrowing {
                let session = SSHSessionChannelHandler(noCommandsReply: noCommandsReply) { child, terminal in
                    setupGuardOnLoop.value.sessionStarted()
                    try SessionPump.install(
                        on: child,
                        framing: LineFramer(maximumLineLength: maximumLineLength),
                        environment: environment,
                        openConnections: openConnections,
                        isEncrypted: true,
                        connectCountedAtAccept: true,
                        dialect: try terminal.map { try Self.drawnScreen(on: child, terminal: $0, user: user) },
                        opening: .knownUser(user)
                    )
                }
                try child.pipeline.syncOperations.addHandler(session)
            }
        }
        try channel.pipeline.syncOperations.addHandler(ssh)
        try channel.pipeline.syncOperations.addHandler(setupGuard)
    }

    /// With a terminal, the chat is drawn on it: keys go through an ``SSHTerminalInput`` in front of the pump, and
    /// the session's events are drawn by an ``SSHTerminal`` around the outbox. Runs on the channel's event loop.
    private static func drawnScreen(
        on channel: any Channel,
        terminal: SSHTerminalRequest,
        user: KnownUser
    ) throws -> SessionDialect {
        let input = SSHTerminalInput()
        try channel.pipeline.syncOperations.addHandler(input)
        let inputOnLoop = NIOLoopBound(input, eventLoop: channel.eventLoop)
        return SessionDialect { outbox in
            // Called by `SessionPump.install`, on this event loop, before any key can arrive.
            let screen = SSHTerminal(
                outbox: outbox,
                nickname: user.name,
                columns: terminal.columns,
                colours: terminal.takesColours
            )
            inputOnLoop.value.attach(screen)
            return screen
        }
    }
}
