import ArgumentParser
import ChatCore
import ChatStoreSQLite
import ChatTransportTCP
import ChatTransportTLS
import Foundation
import Logging
import ProcessRunning
import ServiceLifecycle
import StandardStreams
import UnixSignals

/// `server HOST PORT [options]`: runs the chat server until SIGTERM, SIGINT or `shutdown` on stdin.
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

    @Option(help: "Also listen for TLS on this port (0 picks a free one): the same protocol, encrypted. Without --tls-cert/--tls-key it uses a self-signed certificate generated on the first start and kept in --data-dir.")
    var tlsPort: Int?

    @Option(help: "The TLS certificate (PEM; the full chain, leaf first), e.g. a CA's fullchain.pem. Needs --tls-key; SIGHUP or the console's reload re-reads it.")
    var tlsCert: String?

    @Option(help: "The TLS certificate's private key (PEM).")
    var tlsKey: String?

    @Option(help: "A further DNS name or IP address the generated certificate is valid for (repeatable); localhost, the host name and the listen address are always in it.")
    var tlsName: [String] = []

    @Option(help: "Directory for persistent data; created if missing.")
    var dataDir: String = "./chat-data"

    @Option(help: "Directory of plugin executables: commands/NAME becomes /NAME.")
    var commandsDir: String = "./commands"

    @Option(help: "Most connections at once; more are told the server is full.")
    var maxClients: Int = 10_000

    @Option(help: "Most connections one address (IPv4, or IPv6 /64) may hold at once (0: no limit). Loopback is exempt unless --limit-loopback.")
    var maxClientsPerAddress: Int = 10

    @Option(help: "Connections one address may open per minute, sustained (0: no limit). Loopback is exempt unless --limit-loopback.")
    var connectRate: Double = 30

    @Option(help: "Connections one address may open at once above --connect-rate.")
    var connectBurst: Int = 10

    @Option(help: "Most TLS handshakes in progress at once (at most --max-clients); past it one closes the oldest.")
    var maxTlsHandshakes: Int = 1000

    @Flag(help: "Apply the per-address limits to 127.0.0.0/8 and ::1 too (they are exempt by default, for benchmarks and local tools).")
    var limitLoopback = false

    @Option(help: "Sustained lines per second one client may send (0 turns flood control off).")
    var floodRate: Double = 20

    @Option(help: "Lines one client may send in a burst above the sustained rate.")
    var floodBurst: Int = 40

    @Option(help: "Messages of the room replayed on joining it (0: none).")
    var history: Int = 20

    @Flag(
        inversion: .prefixedNo,
        help: "Store room messages (committed before anyone sees them); --no-store-history keeps none, so nothing is replayed and /history is off. Accounts and offline private messages are stored either way."
    )
    var storeHistory = true

    @Option(help: "Delete history older than this many days (0: keep it).")
    var retainDays: Int = 90

    @Option(help: "Keep at most this many messages per room (0: no limit).")
    var retainMessages: Int = 10_000

    @Option(help: "Keep the store under this many MiB by deleting the oldest history first (0: no cap). Accounts, bans and undelivered private messages are never deleted for it.")
    var maxStoreMb: Int = 1024

    @Option(help: "Nicknames one address may register per hour (0: no limit). A class registering behind one NAT address needs more than the default.")
    var registrationsPerHour: Int = RegistrationLimit.defaultPerAddressPerHour

    @Option(help: "Delete registered nicknames nobody has logged into for this many days, freeing the name (0: keep them forever). Banned ones stay.")
    var accountExpiryDays: Int = 0

    @Option(help: "Also write the log to this file (it always goes to stderr).")
    var logFile: String?

    @Option(help: "Least severe log level shown: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65535).contains(self.port) else { throw ValidationError("PORT must be between 0 and 65535.") }
        if let tlsPort = self.tlsPort {
            guard (0...65535).contains(tlsPort) else { throw ValidationError("--tls-port must be between 0 and 65535.") }
            guard tlsPort == 0 || tlsPort != self.port else {
                throw ValidationError("--tls-port must differ from PORT (\(self.port)).")
            }
        }
        guard (self.tlsCert == nil) == (self.tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both, or neither for a generated certificate.")
        }
        guard self.tlsPort != nil || (self.tlsCert == nil && self.tlsName.isEmpty) else {
            throw ValidationError("--tls-cert, --tls-key and --tls-name need --tls-port.")
        }
        guard self.maxClients >= 1 else { throw ValidationError("--max-clients must be at least 1.") }
        guard self.maxClientsPerAddress >= 0 else {
            throw ValidationError("--max-clients-per-address must be 0 (no limit) or more.")
        }
        guard self.connectRate >= 0 else { throw ValidationError("--connect-rate must be 0 (no limit) or more.") }
        guard self.connectBurst >= 1 else { throw ValidationError("--connect-burst must be at least 1.") }
        guard self.maxTlsHandshakes >= 1 else { throw ValidationError("--max-tls-handshakes must be at least 1.") }
        guard self.floodRate >= 0 else { throw ValidationError("--flood-rate must be 0 (off) or more.") }
        guard self.floodBurst >= 1 else { throw ValidationError("--flood-burst must be at least 1.") }
        guard (0...1000).contains(self.history) else { throw ValidationError("--history must be between 0 and 1000.") }
        guard self.retainDays >= 0 else { throw ValidationError("--retain-days must be 0 (keep) or more.") }
        guard self.maxStoreMb >= 0 else { throw ValidationError("--max-store-mb must be 0 (no cap) or more.") }
        guard self.accountExpiryDays >= 0 else {
            throw ValidationError("--account-expiry-days must be 0 (keep) or more.")
        }
        guard self.registrationsPerHour >= 0 else {
            throw ValidationError("--registrations-per-hour must be 0 (no limit) or more.")
        }
        guard self.retainMessages >= 0 else { throw ValidationError("--retain-messages must be 0 (no limit) or more.") }
        guard Logger.Level(rawValue: self.logLevel.lowercased()) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    func run() async throws {
        let (logger, logFile) = try self.bootstrapLogging()
        do {
            try DataDirectory.prepare(self.dataDir, logger: logger)
        } catch {
            throw Self.startupFailure("cannot create the data directory \(self.dataDir): \(error.localizedDescription)")
        }
        FileDescriptorLimit.raiseToMaximum()
        let tlsCertificates = try self.loadTLSCertificates(logger: logger)
        let store: SQLiteChatStore
        do {
            store = try await SQLiteChatStore.open(directory: self.dataDir, logger: logger)
        } catch {
            // A clear start-up error, never a silent loss: the server does not start without its store.
            throw Self.startupFailure("\(error)")
        }
        let bans: [AddressBans.Ban]
        do {
            bans = try await store.addressBans()
        } catch {
            throw Self.startupFailure("cannot read the address bans: \(error)")
        }
        let persistence = Persistence(
            store: store,
            keepsRoomHistory: self.storeHistory,
            historyOnJoin: self.history,
            registrationsPerHour: self.registrationsPerHour
        )
        let maintenance = StoreMaintenance(
            store: store,
            retainDays: self.retainDays,
            retainMessages: self.retainMessages,
            accountExpiryDays: self.accountExpiryDays,
            maximumMegabytes: self.maxStoreMb,
            logger: logger
        )

        var configuration = ServerConfiguration(host: self.host, port: self.port)
        configuration.dataDirectory = self.dataDir
        configuration.commandsDirectory = self.commandsDir
        configuration.maxClients = self.maxClients
        configuration.maxClientsPerAddress = self.maxClientsPerAddress
        configuration.connectRate = self.connectRate
        configuration.connectBurst = self.connectBurst
        configuration.maxHandshakes = self.maxTlsHandshakes
        configuration.limitLoopback = self.limitLoopback
        configuration.floodRate = self.floodRate
        configuration.floodBurst = self.floodBurst

        let registry = CommandRegistry.withCoreCommands()
        let processRunner = ProcessRunner()
        let tools = await ExternalTools.discover(runner: processRunner)
        registry.registerFunCommands(tools: tools)
        // After the built-ins, so plugins cannot replace them.
        let plugins = PluginDirectory(path: self.commandsDir, registry: registry, logger: logger)
        plugins.rescan()
        let services = CommandServices(processRunner: processRunner, tools: tools, plugins: plugins)

        var listeners: [any ChatListener] = [TCPListener(configuration)]
        if let tlsCertificates, let tlsPort = self.tlsPort {
            listeners.append(TLSListener(host: self.host, port: tlsPort, certificates: tlsCertificates))
        }
        let reloadables: [any Reloadable] = [tlsCertificates].compactMap { $0 }
        let server = ChatServer(
            configuration: configuration,
            listeners: listeners,
            hub: ChatHub(persistence: persistence, addressBans: AddressBans(bans)),
            registry: registry,
            services: services,
            logger: logger
        ) { addresses in
            // Scripts and tests wait for these lines.
            for (index, address) in addresses.enumerated() {
                StandardStream.output.writeLine(address.announcement(isFirst: index == 0))
            }
            if let tlsCertificates {
                StandardStream.output.writeLine(tlsCertificates.announcement)
            }
        }
        let hangup = HangupService(logger: logger) {
            do {
                try logFile?.reopen()
            } catch {
                logger.error("could not reopen the log file", metadata: ["error": "\(error)"])
            }
            plugins.rescan()
            for reloadable in reloadables {
                let outcome = await reloadable.reload()
                if outcome.succeeded {
                    logger.notice("\(outcome.message)")
                } else {
                    logger.error("\(outcome.message)")
                }
            }
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
                .init(service: maintenance),
                .init(service: server),
                .init(service: plugins),
                .init(service: hangup),
                .init(service: console, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
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

    /// The TLS listener's certificate when `--tls-port` is given: the given files, or the generated one (made now
    /// on the first start). A bad file stops the start-up, naming it.
    private func loadTLSCertificates(logger: Logger) throws -> TLSCertificates? {
        guard self.tlsPort != nil else { return nil }
        let source = TLSCertificateSource(
            certificateFile: self.tlsCert,
            keyFile: self.tlsKey,
            dataDirectory: self.dataDir,
            listenHost: self.host,
            extraNames: self.tlsName
        )
        do {
            let certificates = try TLSCertificates(source: source)
            for warning in certificates.warnings {
                logger.warning("\(warning)")
            }
            return certificates
        } catch {
            throw Self.startupFailure("TLS: \(error)")
        }
    }

    /// Says why the server cannot start (on stderr, without the usage text a ValidationError would add) and exits 1.
    private static func startupFailure(_ message: String) -> ExitCode {
        StandardStream.error.writeLine("server: error: \(message)")
        return ExitCode(1)
    }

    /// stderr always; the log file too when given (returned, so SIGHUP can reopen it).
    private func bootstrapLogging() throws -> (Logger, LogFile?) {
        let level = Logger.Level(rawValue: self.logLevel.lowercased()) ?? .info
        let file = try self.logFile.map { path in
            do {
                return try LogFile(path: path)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        LoggingSystem.bootstrap { label in
            var handlers: [any LogHandler] = [StreamLogHandler.standardError(label: label)]
            if let file {
                handlers.append(StreamLogHandler(label: label, stream: file.stream))
            }
            var handler = MultiplexLogHandler(handlers)
            handler.logLevel = level
            return handler
        }
        return (Logger(label: "slashchat"), file)
    }
}
