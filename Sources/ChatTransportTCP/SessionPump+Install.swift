import ChatCore
import ChatProtocol
import NIOCore

extension SessionPump {
    /// Ends `channel`'s pipeline with a pump feeding a new ``ChatSession``, whose output goes through a new
    /// ``Outbox`` on the channel. Runs on the channel's event loop.
    /// - Parameters:
    ///   - format: the wire format the session starts in (the web door starts in structured mode).
    ///   - connectCountedAtAccept: the door counted `--connect-rate` when it accepted the connection; by default,
    ///     when TLS runs below (the TLS wrapper counts before its handshake).
    package static func install(
        on channel: any Channel,
        framing: Framing,
        environment: SessionEnvironment,
        openConnections: OpenConnections,
        isEncrypted: Bool,
        format: WireFormat = .plain,
        connectCountedAtAccept: Bool? = nil
    ) throws {
        let outbox = Outbox(channel: channel, capacity: environment.configuration.outboxCapacity)
        outbox.format = format
        let session = ChatSession(
            endpoint: SessionEndpoint(
                recipient: outbox,
                address: SessionEndpoint.describe(channel.remoteAddress),
                peer: PeerAddress(channel.remoteAddress),
                eventLoop: channel.eventLoop,
                isEncrypted: isEncrypted,
                connectCountedAtAccept: connectCountedAtAccept
            ),
            environment: environment
        )
        try channel.pipeline.syncOperations.addHandler(
            SessionPump(session: session, outbox: outbox, framing: framing, openConnections: openConnections)
        )
    }
}
