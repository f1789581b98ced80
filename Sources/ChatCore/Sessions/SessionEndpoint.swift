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
    /// True when the connection is encrypted (TLS): passwords typed on it are safe from the network.
    public let isEncrypted: Bool
    /// The door counted this connection against `--connect-rate` when it accepted it (TLS before its handshake, the
    /// web door before its HTTP request), so admission does not count it again.
    public let connectCountedAtAccept: Bool

    /// A socket address as ``address`` spells it: `HOST:PORT`, or `unknown`.
    public static func describe(_ socketAddress: SocketAddress?) -> String {
        socketAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
    }

    public init(
        recipient: any ChatRecipient,
        address: String,
        peer: PeerAddress,
        eventLoop: any EventLoop,
        isEncrypted: Bool = false,
        connectCountedAtAccept: Bool? = nil
    ) {
        self.recipient = recipient
        self.address = address
        self.peer = peer
        self.eventLoop = eventLoop
        self.isEncrypted = isEncrypted
        // Until a door says otherwise, an encrypted connection came through the TLS wrapper, which counts at accept.
        self.connectCountedAtAccept = connectCountedAtAccept ?? isEncrypted
    }
}
