import ChatCore
import ChatProtocol
import NIOCore

/// Builds the pipeline of a freshly accepted TCP connection: one ``TCPSessionHandler`` that frames lines (capped),
/// tells the connection's ``Outbox`` when the socket can take more, and feeds the connection's ``ChatSession``.
package enum TCPConnection {
    /// Runs on the channel's event loop: inside the bootstrap's child initializer, or once a TLS handshake is done.
    /// - Parameter isEncrypted: the bytes below this pipeline are TLS (passwords are safe on it).
    package static func configure(
        _ channel: any Channel,
        environment: SessionEnvironment,
        openConnections: OpenConnections,
        isEncrypted: Bool = false
    ) throws {
        let configuration = environment.configuration
        let outbox = Outbox(channel: channel, capacity: configuration.outboxCapacity)
        let address = SessionEndpoint.describe(channel.remoteAddress)
        let session = ChatSession(
            endpoint: SessionEndpoint(
                recipient: outbox,
                address: address,
                peer: PeerAddress(channel.remoteAddress),
                eventLoop: channel.eventLoop,
                isEncrypted: isEncrypted
            ),
            environment: environment
        )
        try channel.pipeline.syncOperations.addHandler(
            TCPSessionHandler(
                session: session,
                outbox: outbox,
                maximumLineLength: configuration.maxLineLength,
                openConnections: openConnections
            )
        )
    }
}
