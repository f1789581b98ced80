import ChatCore
import ChatTransportTCP
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The TLS listener: exactly the TCP listener's protocol, inside TLS (1.2 at least, 1.3 preferred), for
/// `openssl s_client`, `ncat --ssl` and `client --tls`.
///
/// Its pipeline is the plain chat door's (``TCPChannelSetup``) inside ``TLSChannelSetup``: NIOSSL's server handler
/// with the current certificate (``TLSCertificates``), then, once the handshake is done, the chat pipeline.
public struct TLSListener: ChatListener {
    /// How long a connection may take to finish its TLS handshake.
    public static let handshakeTimeout = TimeAmount.seconds(10)

    /// The address to listen on, as given.
    public let host: String
    /// The port asked for; 0 picks a free one.
    public let port: Int
    /// The certificate it presents, swapped on reload.
    public let certificates: TLSCertificates
    private let handshakeTimeout: TimeAmount
    private let eventLoopGroup: any EventLoopGroup
    /// The bound listener's handshake cap, once ``bind(for:)`` has made it (it needs the server's limits).
    private let pendingHandshakes = BoundHandshakes()

    /// - Parameter port: 0 picks a free one (the bound listener says which).
    public init(
        host: String,
        port: Int,
        certificates: TLSCertificates,
        handshakeTimeout: TimeAmount = TLSListener.handshakeTimeout,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.certificates = certificates
        self.handshakeTimeout = handshakeTimeout
        self.eventLoopGroup = eventLoopGroup
    }

    /// TLS handshakes accepted and not yet done, failed or timed out: connections that are not clients yet, so
    /// the server's connection count does not show them.
    public var handshakesInProgress: Int {
        self.pendingHandshakes.current.withLock { $0?.count ?? 0 }
    }

    public func bind(for environment: SessionEnvironment) async throws -> any BoundChatListener {
        let pending = PendingHandshakes(environment.configuration)
        self.pendingHandshakes.current.withLock { $0 = pending }
        return try await ListeningSocket.bindDoor(
            host: self.host,
            port: self.port,
            kind: "tls",
            isEncrypted: true,
            group: self.eventLoopGroup
        ) { openConnections in
            TLSChannelSetup(
                wrapping: TCPChannelSetup(environment: environment, openConnections: openConnections),
                certificates: self.certificates,
                timeout: self.handshakeTimeout,
                pending: pending,
                environment: environment,
                plainTextReply: { "! " + Self.plainTextHint(environment.listening.all) + "\n" }
            )
        }
    }

    /// What a plain-text client on this port is told: how to speak TLS, or where the plain port is.
    static func plainTextHint(_ addresses: [ListeningAddress]) -> String {
        let plain = addresses.first { !$0.isEncrypted }.map { " or the plain port \($0.port)" } ?? ""
        return "This port speaks TLS: connect with `client HOST PORT NICKNAME --tls` or "
            + "`openssl s_client -quiet -connect HOST:PORT`\(plain)."
    }
}

/// Where a ``TLSListener`` (a value) finds the handshake cap its bound listener made.
private final class BoundHandshakes: Sendable {
    let current = Mutex<PendingHandshakes?>(nil)
}
