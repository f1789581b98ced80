import ChatProtocol
import NIOCore

/// Everything the server can be told at start-up. The defaults are what `server HOST PORT` runs with.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String
    /// Port to bind; 0 picks a free one.
    public var port: Int
    /// Where persistent data lives (created if missing).
    public var dataDirectory: String = "./chat-data"
    /// Where plugin executables live.
    public var commandsDirectory: String = "./commands"
    /// Connections allowed at once (joined or still choosing a nickname).
    public var maxClients: Int = 10_000
    /// Connections one address (IPv4, or IPv6 /64) may hold at once; 0 means no limit.
    public var maxClientsPerAddress: Int = 10
    /// Connections one address may open per minute, sustained; 0 means no limit.
    public var connectRate: Double = 30
    /// Connections one address may open at once above `connectRate`.
    public var connectBurst: Int = 10
    /// TLS handshakes in progress at once, from everyone (at most `maxClients`); when full, a new one closes the
    /// oldest. Much smaller than `maxClients`: a half-open handshake costs about 20 KiB and is not a client yet.
    public var maxHandshakes: Int = 1000
    /// Whether the per-address limits apply to loopback peers too (normally exempt: benchmarks, local tools and
    /// tests open thousands of connections from 127.0.0.1).
    public var limitLoopback: Bool = false
    /// Sustained lines per second a client may send; 0 turns flood control off.
    public var floodRate: Double = 20
    /// Lines a client may send in a burst above the sustained rate.
    public var floodBurst: Int = 40
    /// How long a new connection has to pick a nickname.
    public var nicknameTimeout: TimeAmount = .seconds(30)
    /// How long a client has to answer each password question. The throttle's waits do not count against it.
    public var passwordTimeout: TimeAmount = .seconds(60)
    /// Failed nickname attempts before the connection is closed.
    public var maxNicknameAttempts: Int = 3
    /// Wrong passwords for a registered nickname before the connection is closed.
    public var maxPasswordAttempts: Int = 3
    /// The default backlog allowed before a client is dropped for not reading: 1 MiB.
    public static let defaultOutboxCapacity = 1 << 20

    /// Bytes that may wait for a client that is not reading before it is dropped.
    public var outboxCapacity: Int = ServerConfiguration.defaultOutboxCapacity
    /// The longest accepted line, in bytes, without its newline.
    public var maxLineLength: Int = LineDecoder.maximumLineLength

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
