import ChatCore
import ChatProtocol
import ChatTransportTCP
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The web door's pipeline: ``HTTPRequestGuard`` (head size and time caps), NIOHTTP1's server handlers with
/// NIOWebSocket's upgrader, and ``WebRequestHandler`` for requests that stay HTTP. An upgrade on `/ws` whose origin
/// the ``OriginPolicy`` allows replaces all of that with ``WebSocketLineCodec`` and the same ``SessionPump`` the
/// plain door ends in, fed one line per message, starting in structured mode.
struct WebChannelSetup: ChildChannelSetup {
    /// The largest WebSocket frame read at all; a text message over the line cap but under this gets the
    /// over-long-line error and the connection stays, a bigger frame closes it (1009, message too big).
    static let maximumFrameSize = 64 * 1024

    let environment: SessionEnvironment
    let openConnections: OpenConnections
    let originPolicy: OriginPolicy
    let page: WebClientPage
    let metrics: MetricsEndpoint?

    func configure(_ channel: any Channel, isEncrypted: Bool) throws {
        let environment = self.environment
        let openConnections = self.openConnections
        let originPolicy = self.originPolicy
        let maximumLineLength = environment.configuration.maxLineLength
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: Self.maximumFrameSize,
            automaticErrorHandling: true,
            shouldUpgrade: { channel, head in
                let path = head.uri.split(separator: "?", maxSplits: 1).first ?? ""
                let allowed = path == "/ws" && originPolicy.allows(head, isEncrypted: isEncrypted)
                return channel.eventLoop.makeSucceededFuture(allowed ? HTTPHeaders() : nil)
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        WebSocketLineCodec(maximumLineLength: maximumLineLength)
                    )
                    try SessionPump.install(
                        on: channel,
                        framing: WholeLines(),
                        environment: environment,
                        openConnections: openConnections,
                        isEncrypted: isEncrypted,
                        format: .json,
                        connectCountedAtAccept: true
                    )
                }
            }
        )
        let operations = channel.pipeline.syncOperations
        // Counted here on plain HTTP; the TLS wrapper has counted an HTTPS connection before its handshake.
        var admitsConnect: (@Sendable (PeerAddress) -> Bool)?
        if !isEncrypted {
            admitsConnect = { peer in environment.admitsConnect(from: peer) }
        }
        try operations.addHandler(HTTPRequestGuard(admitsConnect: admitsConnect))
        // Once upgraded, the WebSocket handlers follow the HTTP request handler, which must go.
        let upgrade: NIOHTTPServerUpgradeConfiguration = (
            upgraders: [upgrader],
            completionHandler: { context in
                let operations = context.pipeline.syncOperations
                if let handler = try? operations.handler(type: WebRequestHandler.self) {
                    operations.removeHandler(handler, promise: nil)
                }
            }
        )
        try operations.configureHTTPServerPipeline(withServerUpgrade: upgrade, withErrorHandling: true)
        try operations.addHandler(
            WebRequestHandler(
                page: self.page,
                originPolicy: originPolicy,
                isEncrypted: isEncrypted,
                metrics: self.metrics
            )
        )
    }
}
