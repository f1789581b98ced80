import NIOCore

/// A freshly accepted connection, as built by the server's child-channel initializer.
struct AcceptedConnection: Sendable {
    /// Inbound lines arrive here; output does not go through its writer but through ``outbox``.
    let channel: NIOAsyncChannel<InboundLine, ByteBuffer>
    let outbox: Outbox
    /// The peer's address for logs and the admin console.
    let address: String
    /// The peer as the per-address limits count it.
    let peer: PeerAddress
}
