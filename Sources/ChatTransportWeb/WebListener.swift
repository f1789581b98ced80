import ChatCore
import ChatTransportTCP
import ChatTransportTLS
import NIOCore
import NIOPosix

/// The web door: the chat page at `/` and the chat itself over a WebSocket at `/ws`, for people who join from a
/// browser. HTTPS with the server's certificate when TLS is on, plain HTTP otherwise.
///
/// Its pipeline is ``WebChannelSetup``, inside the same ``TLSChannelSetup`` the TLS chat port uses when there are
/// certificates; behind the upgrade it is the plain door's ``SessionPump``, so the flood, idle and slow-reader rules
/// are the same as on every door.
public struct WebListener: ChatListener {
    public let host: String
    public let port: Int
    /// The certificate for HTTPS; nil serves plain HTTP.
    public let certificates: TLSCertificates?
    /// Which pages may open the WebSocket besides the page's own origin.
    public let originPolicy: OriginPolicy
    /// What `/metrics` serves; a 404 when nil.
    public let metrics: MetricsEndpoint?
    private let eventLoopGroup: any EventLoopGroup

    /// - Parameter port: 0 picks a free one (the bound listener says which).
    public init(
        host: String,
        port: Int,
        certificates: TLSCertificates? = nil,
        originPolicy: OriginPolicy = OriginPolicy(),
        metrics: MetricsEndpoint? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.certificates = certificates
        self.originPolicy = originPolicy
        self.metrics = metrics
        self.eventLoopGroup = eventLoopGroup
    }

    public func bind(for environment: SessionEnvironment) async throws -> any BoundChatListener {
        let certificates = self.certificates
        let originPolicy = self.originPolicy
        let metrics = self.metrics
        let pending = certificates.map { _ in PendingHandshakes(environment.configuration) }
        return try await ListeningSocket.bindDoor(
            host: self.host,
            port: self.port,
            kind: "web",
            isEncrypted: certificates != nil,
            group: self.eventLoopGroup
        ) { openConnections -> any ChildChannelSetup in
            let web = WebChannelSetup(
                environment: environment,
                openConnections: openConnections,
                originPolicy: originPolicy,
                page: .standard,
                metrics: metrics
            )
            guard let certificates, let pending else { return web }
            return TLSChannelSetup(
                wrapping: web,
                certificates: certificates,
                timeout: TLSListener.handshakeTimeout,
                pending: pending,
                environment: environment,
                plainTextReply: { Self.plainHTTPReply }
            )
        }
    }

    /// What a plain-HTTP request on the HTTPS port gets: a response a browser can show, saying what to type.
    static let plainHTTPReply =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
        + "This port speaks HTTPS: open https:// instead of http://.\n"
}
