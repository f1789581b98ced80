import NIOCore

/// One client as a transport hands it to a ``ChatSession``: where its output goes and where it comes from.
public struct SessionEndpoint: Sendable {
    /// The connection's outbound queue.
    public let recipient: any ChatRecipient
    /// The peer's address for logs and the admin console (`HOST:PORT`).
    public let address: String
    /// The peer as the per-address limits count it.
    public let peer: PeerAddress
    /// The event loop the connection lives on, for its timers (a timer there costs no task).
    public let eventLoop: any EventLoop

    public init(recipient: any ChatRecipient, address: String, peer: PeerAddress, eventLoop: any EventLoop) {
        self.recipient = recipient
        self.address = address
        self.peer = peer
        self.eventLoop = eventLoop
    }
}
