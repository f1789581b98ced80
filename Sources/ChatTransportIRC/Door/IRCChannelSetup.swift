import ChatCore
import ChatProtocol
import ChatTransportTCP
import NIOCore

/// The IRC door's pipeline: the same ``SessionPump`` every door ends in, framing lines of up to IRC's 512 bytes plus
/// its 8 KiB of tags, feeding an ``IRCSession`` whose output an ``IRCConnection`` renders. Inside TLS for
/// `--irc-tls-port` (the TLS wrapper around this setup).
struct IRCChannelSetup: ChildChannelSetup {
    /// The longest line read whole: IRCv3's 8191 bytes of tags and message, with room for its line end. A longer
    /// one is discarded up to its newline and answered with 417; the body's own 512-byte cap is the parser's.
    static let maximumLineLength = 8191 + 512

    let environment: SessionEnvironment
    let openConnections: OpenConnections
    let welcome: IRCWelcome

    func configure(_ channel: any Channel, isEncrypted: Bool) throws {
        let welcome = self.welcome
        try SessionPump.install(
            on: channel,
            framing: LineFramer(maximumLineLength: Self.maximumLineLength),
            environment: self.environment,
            openConnections: self.openConnections,
            isEncrypted: isEncrypted,
            dialect: SessionDialect(
                recipient: { outbox in IRCConnection(outbox: outbox) },
                session: { endpoint, environment in
                    IRCSession(
                        endpoint: endpoint,
                        // The recipient made just above: the dialect's own.
                        connection: endpoint.recipient as! IRCConnection,
                        environment: environment,
                        welcome: welcome
                    )
                }
            )
        )
    }
}
