import ChatCore
import NIOCore
import NIOPosix

/// The plain TCP listener: today's protocol, lines over a socket, readable with `nc`.
///
/// Its pipeline (``TCPChannelSetup``) splits lines (``LineDecoder``, capped), tells each connection's ``Outbox`` when
/// the socket can take more, and hands the lines to a ``ChatSession`` (``SessionPump``), with no task while a
/// connection is idle.
public struct TCPListener: ChatListener {
    public let host: String
    public let port: Int
    private let eventLoopGroup: any EventLoopGroup

    /// - Parameter port: 0 picks a free one (the bound listener says which).
    public init(host: String, port: Int, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.eventLoopGroup = eventLoopGroup
    }

    public func bind(for environment: SessionEnvironment) async throws -> any BoundChatListener {
        try await ListeningSocket.bindDoor(host: self.host, port: self.port, kind: "tcp", group: self.eventLoopGroup) {
            TCPChannelSetup(environment: environment, openConnections: $0)
        }
    }
}

extension TCPListener {
    /// The plain listener on the configuration's host and port.
    public init(_ configuration: ServerConfiguration) {
        self.init(host: configuration.host, port: configuration.port)
    }
}
