import ChatCore
import ChatProtocol
import NIOCore

extension SessionPump {
    /// Ends `channel`'s pipeline with a pump feeding a new session (a ``ChatSession``, or `dialect`'s), whose output
    /// goes through a new ``Outbox`` on the channel. Runs on the channel's event loop.
    /// - Parameters:
    ///   - format: the wire format the session starts in (the web door starts in structured mode).
    ///   - dialect: a door's own rendering (IRC, the SSH terminal): its recipient around the outbox, and its
    ///     session if it reads a protocol of its own.
    ///   - opening: how the chat session lets the client in: asking for a nickname, or as the user the door
    ///     authenticated (SSH).
    ///   - connectCountedAtAccept: the door counted `--connect-rate` when it accepted the connection; by default,
    ///     when TLS runs below (the TLS wrapper counts before its handshake).
    package static func install(
        on channel: any Channel,
        framing: Framing,
        environment: SessionEnvironment,
        openConnections: OpenConnections,
        isEncrypted: Bool,
        format: WireFormat = .plain,
        connectCountedAtAccept: Bool? = nil,
        dialect: SessionDialect? = nil,
        opening: SessionOpening = .askNickname
    ) throws {
        let outbox = Outbox(channel: channel, capacity: environment.configuration.outboxCapacity)
        outbox.format = format
        let endpoint = SessionEndpoint(
            recipient: dialect?.recipient(outbox) ?? outbox,
            address: SessionEndpoint.describe(channel.remoteAddress),
            peer: PeerAddress(channel.remoteAddress),
            eventLoop: channel.eventLoop,
            isEncrypted: isEncrypted,
            connectCountedAtAccept: connectCountedAtAccept
        )
        let session =
            dialect?.session?(endpoint, environment)
            ?? ChatSession(endpoint: endpoint, environment: environment, opening: opening)
        try channel.pipeline.syncOperations.addHandler(
            SessionPump(session: session, outbox: outbox, framing: framing, openConnections: openConnections)
        )
    }
}
