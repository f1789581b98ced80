import ChatCore
import ChatTransportTCP
import ChatTransportTLS
import Foundation
import NIOCore
import NIOPosix

/// The IRC door: `--irc-port` for irssi, WeeChat, HexChat and the rest, into the same rooms as every other door;
/// with certificates, the same door inside TLS (`--irc-tls-port`), through the TLS wrapper every door shares.
public struct IRCListener: ChatListener {
    public let host: String
    public let port: Int
    /// The certificate for IRC over TLS; nil listens in the clear.
    public let certificates: TLSCertificates?
    /// The name the door gives itself in its replies (`--irc-server-name`).
    public let serverName: String
    private let eventLoopGroup: any EventLoopGroup

    /// - Parameter port: 0 picks a free one (the bound listener says which).
    public init(
        host: String,
        port: Int,
        certificates: TLSCertificates? = nil,
        serverName: String = "slashchat",
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.certificates = certificates
        self.serverName = serverName
        self.eventLoopGroup = eventLoopGroup
    }

    public func bind(for environment: SessionEnvironment) async throws -> any BoundChatListener {
        let certificates = self.certificates
        let pending = certificates.map { _ in PendingHandshakes(environment.configuration) }
        let welcome = IRCWelcome(serverName: self.serverName, created: Self.started)
        return try await ListeningSocket.bindDoor(
            host: self.host,
            port: self.port,
            kind: certificates == nil ? "irc" : "irc tls",
            isEncrypted: certificates != nil,
            group: self.eventLoopGroup
        ) { openConnections -> any ChildChannelSetup in
            let irc = IRCChannelSetup(environment: environment, openConnections: openConnections, welcome: welcome)
            guard let certificates, let pending else { return irc }
            return TLSChannelSetup(
                wrapping: irc,
                certificates: certificates,
                timeout: TLSListener.handshakeTimeout,
                pending: pending,
                environment: environment,
                plainTextReply: { "ERROR :This port speaks IRC over TLS: turn TLS on in your client.\r\n" }
            )
        }
    }

    /// When this process started, as 003 says it.
    private static let started: String = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date())
    }()
}
