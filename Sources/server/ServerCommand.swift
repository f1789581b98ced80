import ArgumentParser
import ChatClusterPostgres
import ChatCore
import ChatStoreSQLite
import ChatTransportTCP
import ChatTransportTLS
import Logging
import ServiceLifecycle
import StandardStreams
import UnixSignals

/// `server HOST PORT [options]`: runs the chat server until SIGTERM, SIGINT or `shutdown` on stdin.
///
/// This file is the option list and ``run()``; the checks are in `ServerCommand+Validation.swift`, and what the
/// options mean to the library in the other `ServerCommand+*.swift` files.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the slashchat server.",
        discussion: """
            Clients connect with `client HOST PORT NICKNAME` or plain `nc HOST PORT`. Type a line on stdin to \
            announce it to everyone; type `help` for the console commands and `shutdown` to stop.
            """
    )

    @Argument(help: "Address to listen on (0.0.0.0 for every interface, 127.0.0.1 for this machine only).")
    var host: String = "0.0.0.0"

    @Argument(help: "Port to listen on; 0 picks a free one (the `listening on` line shows it).")
    var port: Int = 4242

    @Option(
        help:
            """
            Also listen for TLS on this port (0 picks a free one): the same protocol, encrypted. Without \
            --tls-cert/--tls-key it uses a self-signed certificate generated on the first start and kept in \
            --data-dir. With --web-port, the web client is served over HTTPS too.
            """
    )
    var tlsPort: Int?

    @Option(
        help:
            """
            The TLS certificate (PEM; the full chain, leaf first), e.g. a CA's fullchain.pem. Needs --tls-key; SIGHUP \
            or the console's reload re-reads it. Turns TLS on: the web client (--web-port) is then served over HTTPS.
            """
    )
    var tlsCert: String?

    @Option(help: "The TLS certificate's private key (PEM).")
    var tlsKey: String?

    @Option(
        help:
            """
            A further DNS name or IP address the generated certificate is valid for (repeatable); localhost, the host \
            name and the listen address are always in it.
            """
    )
    var tlsName: [String] = []

    @Option(
        help:
            """
            Also serve the web client on this port (0 picks a free one): the chat page at / and the chat over a \
            WebSocket at /ws. HTTPS with the server's certificate when TLS is on (--tls-port or --tls-cert), plain \
            HTTP otherwise.
            """
    )
    var webPort: Int?

    @Option(
        help:
            """
            Also let IRC clients in on this port (0 picks a free one): irssi, WeeChat, HexChat... join the same \
            rooms as channels (/join #main). See the README's IRC section.
            """
    )
    var ircPort: Int?

    @Option(
        help:
            """
            The IRC door inside TLS on this port (0 picks a free one), with the certificate --tls-port uses \
            (generated on the first start unless --tls-cert is given).
            """
    )
    var ircTlsPort: Int?

    @Option(help: "The name the IRC door gives itself in its replies (what IRC clients show as the server).")
    var ircServerName = "slashchat"

    @Option(
        help:
            """
            Also let people in with ssh on this port (0 picks a free one): ssh -p PORT NICK@HOST, nothing to \
            install. The host key is made on the first start under --data-dir; its fingerprint is printed.
            """
    )
    var sshPort: Int?

    @Option(
        help:
            """
            A further origin whose pages may open the web client's WebSocket (repeatable), e.g. \
            https://chat.example.org behind a reverse proxy. The page's own origin is always allowed.
            """
    )
    var webOrigin: [String] = []

    @Flag(
        help:
            """
            Serve the web door's /metrics (Prometheus) to every address, not only to this machine (loopback).
            """
    )
    var metricsPublic = false

    @Option(help: "Directory for persistent data; created if missing.")
    var dataDir: String = "./chat-data"

    @Option(help: "Directory of plugin executables: commands/NAME becomes /NAME.")
    var commandsDir: String = "./commands"

    @Option(
        name: .customLong("postgres"),
        help: ArgumentHelp(
            """
            Keep history, accounts, offline messages and bans in PostgreSQL instead of the SQLite store in \
            --data-dir: postgres://USER:PASS@HOST:PORT/DB?sslmode=disable|prefer|require|verify-ca|verify-full \
            (?host=/dir for a Unix socket). SLASHCHAT_POSTGRES in the environment does the same and keeps the \
            password out of ps. Makes this process a node of a cluster: every node on the database is one chat \
            (rooms, nicknames, private messages, bans).
            """,
            valueName: "url"
        )
    )
    var postgres: String?

    @Option(help: "This node's name in logs, /whois and the console's who (with --postgres; default: HOSTNAME:PORT).")
    var nodeName: String?

    @Option(
        help: """
            With --postgres: a node silent this long is taken for dead, and its users are shown as gone (it says \
            it is alive every fifth of this).
            """
    )
    var nodeTimeout: Int = 10

    @Option(help: "Most connections at once; more are told the server is full.")
    var maxClients: Int = 10_000

    @Option(
        help:
            """
            Most connections one address (IPv4, or IPv6 /64) may hold at once (0: no limit). Loopback is exempt unless \
            --limit-loopback.
            """
    )
    var maxClientsPerAddress: Int = 10

    @Option(
        help:
            """
            Connections one address may open per minute, sustained (0: no limit). Loopback is exempt unless \
            --limit-loopback.
            """
    )
    var connectRate: Double = 30

    @Option(help: "Connections one address may open at once above --connect-rate.")
    var connectBurst: Int = 10

    @Option(help: "Most TLS handshakes in progress at once (at most --max-clients); past it one closes the oldest.")
    var maxTlsHandshakes: Int = 1000

    @Flag(
        help:
            """
            Apply the per-address limits to 127.0.0.0/8 and ::1 too (they are exempt by default, for benchmarks and \
            local tools).
            """
    )
    var limitLoopback = false

    @Option(help: "Sustained lines per second one client may send (0 turns flood control off).")
    var floodRate: Double = 20

    @Option(help: "Lines one client may send in a burst above the sustained rate.")
    var floodBurst: Int = 40

    @Option(help: "Messages of the room replayed on joining it (0: none).")
    var history: Int = 20

    @Flag(
        inversion: .prefixedNo,
        help:
            """
            Store room messages (committed before anyone sees them); --no-store-history keeps none, so nothing is \
            replayed and /history is off. Accounts and offline private messages are stored either way.
            """
    )
    var storeHistory = true

    @Option(help: "Delete history older than this many days (0: keep it).")
    var retainDays: Int = 90

    @Option(help: "Keep at most this many messages per room (0: no limit).")
    var retainMessages: Int = 10_000

    @Option(
        help:
            """
            Keep the store under this many MiB by deleting the oldest history first (0: no cap). Accounts, bans and \
            undelivered private messages are never deleted for it.
            """
    )
    var maxStoreMb: Int = 1024

    @Option(
        help:
            """
            Nicknames one address may register per hour (0: no limit). A class registering behind one NAT address \
            needs more than the default.
            """
    )
    var registrationsPerHour: Int = RegistrationLimit.defaultPerAddressPerHour

    @Option(
        help:
            """
            Delete registered nicknames nobody has logged into for this many days, freeing the name (0: keep them \
            forever). Banned ones stay.
            """
    )
    var accountExpiryDays: Int = 0

    @Option(help: "Also write the log to this file (it always goes to stderr).")
    var logFile: String?

    @Option(help: "Least severe log level shown: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    /// Opens the store, builds the server and its services from the options (`ServerCommand+Configuration.swift`,
    /// `+Startup`, `+Services`) and runs them in one ServiceGroup until SIGTERM, SIGINT or `shutdown`.
    func run() async throws {
        let (logger, logFile) = try self.bootstrapLogging(node: try self.postgresConnection == nil ? nil : self.node)
        let metrics = self.bootstrapMetrics()
        try self.prepareDataDirectory(logger: logger)
        FileDescriptorLimit.raiseToMaximum()
        let tlsCertificates = try self.loadTLSCertificates(logger: logger)
        let sshHostKey = try self.loadSSHHostKey()
        let (store, bans, cluster) = try await self.openStore(logger: logger)
        let configuration = self.serverConfiguration
        let (registry, services, plugins) = await self.commands(logger: logger)
        let reloadables: [any Reloadable] = [tlsCertificates].compactMap { $0 }
        let server = ChatServer(
            configuration: configuration,
            listeners: self.listeners(
                configuration: configuration,
                tlsCertificates: tlsCertificates,
                sshHostKey: sshHostKey,
                metrics: metrics
            ),
            hub: ChatHub(
                persistence: self.persistence(store: store),
                accountLimits: self.accountLimits,
                addressBans: AddressBans(bans),
                cluster: cluster
            ),
            registry: registry,
            services: services,
            logger: logger
        ) { addresses in
            Self.announce(addresses, tlsCertificates: tlsCertificates, sshHostKey: sshHostKey)
        }
        let hangup = HangupService(logger: logger) {
            await Self.reload(logFile: logFile, plugins: plugins, reloadables: reloadables, logger: logger)
        }
        let console = AdminConsole(
            hub: server.hub,
            plugins: plugins,
            reloadables: reloadables,
            input: StandardInput.lines(),
            logger: logger,
            output: { StandardStream.output.writeLine($0) }
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                // Shut down in reverse order: the store closes after the server has stopped.
                .init(service: self.storeMaintenance(store: store, logger: logger)),
                // After the store, before the server: the server's leaving users are told to the other nodes first.
                cluster.map { .init(service: ClusterNodeService(cluster: $0, hub: server.hub)) },
                .init(service: server),
                .init(service: plugins),
                .init(service: hangup),
                .init(service: console, successTerminationBehavior: .gracefullyShutdownGroup),
            ].compactMap { $0 },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // A safety net: graceful shutdown normally takes milliseconds (2 s at most per client flush).
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch let error as ListenError {
            // `port 4242 is in use`, not NIO's bind(descriptor:ptr:bytes:) text.
            throw Self.startupFailure("\(error)")
        }
    }
}
