import ArgumentParser
import ChatProtocol
import ChatTerminal
import Foundation
import StandardStreams
import TerminalClient
import UnixSignals

/// `client HOST PORT NICKNAME [--server HOST:PORT …]`: join a slashchat server from the terminal.
@main
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Chat on a slashchat server.",
        discussion: """
            In a terminal: type at the prompt; incoming messages appear above it without touching what you are \
            typing. Keys: Left/Right, Home/End (Ctrl-A/Ctrl-E), Backspace/Delete, Ctrl-U/Ctrl-K (delete to start/\
            end), Ctrl-W (delete word), Up/Down (history), Tab (complete nicknames, /commands and :emoji:), Ctrl-L \
            (redraw). /quit, Ctrl-C or Ctrl-D on an empty line leave. If the server goes away the client says so \
            and reconnects with backoff, back to the same room under the same nickname.

            Several nodes of one chat (a cluster): each --server HOST:PORT adds an address, tried in order after \
            HOST PORT; the first that accepts a connection is used, and when one cannot be reached the next is tried \
            at once. In a terminal, after a lost connection each round of reconnecting starts with the address after \
            the one that failed, and the client says which address it reached unless it is HOST PORT as before. \
            Without a terminal the list serves the first connection only, and each address that failed is named on \
            stderr. With --tls every address's certificate is checked and remembered for its own host and port; a \
            --tls-fingerprint pin applies to every address, so give one only when all nodes share a certificate.

            Colours: one per nickname, dim timestamps and notices, red errors, magenta private messages, mentions \
            of you highlighted with a bell. NO_COLOR or --no-color turns them off.

            Without a terminal (stdin or stdout redirected): reads lines from stdin, prints events as plain lines, \
            and leaves after the last line, so it works from scripts. Typed lines wait until the server has \
            accepted the nickname; if it refuses it, the client leaves (exit 3) rather than send chat lines as \
            nicknames; the first line answers a password question. Exit codes: 0 after quitting (or when stdout \
            closes), 1 when the server closed the connection, 2 when no address could be reached, 3 when it \
            refused the nickname or its password (or input gave none), 4 when banned, 5 when the account logged in \
            elsewhere, 6 when the port speaks TLS. The client never runs anything it receives and strips control \
            sequences from everything the server sends.
            """
    )

    @Argument(help: "The server's address.")
    var host: String

    @Argument(help: "The server's port.")
    var port: Int

    @Argument(help: "Your nickname: 1-32 letters, digits, _ - or .")
    var nickname: String

    @Option(
        name: .customLong("server"),
        help: ArgumentHelp(
            """
            Another address of the same chat (another node of its cluster), tried in order after HOST PORT when an \
            address cannot be reached; repeatable. An IPv6 address goes in brackets: [::1]:4242.
            """,
            valueName: "host:port"
        )
    )
    var servers: [String] = []

    @Flag(help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Plain line mode even in a terminal: no prompt, no colours, no reconnecting.")
    var plain = false

    @Flag(
        help:
            """
            Connect over TLS (to the server's --tls-port). A certificate no CA vouches for is trusted on first use: \
            shown and asked about in a terminal, remembered in $XDG_CONFIG_HOME/slashchat/known_hosts.
            """
    )
    var tls = false

    @Option(
        help:
            """
            With --tls: accept only the certificate with this SHA-256 fingerprint (as the server prints it, XX:XX:…), \
            at every address (--server too); needed without a terminal for a certificate not seen before.
            """
    )
    var tlsFingerprint: String?

    func validate() throws {
        guard (1...65535).contains(self.port) else { throw ValidationError("PORT must be between 1 and 65535.") }
        for text in self.servers {
            do {
                _ = try ServerAddress(parsing: text)
            } catch {
                throw ValidationError(
                    "--server must be HOST:PORT, like chat.example.org:7000 (\"\(Sanitizer.clean(text))\" \(error))."
                )
            }
        }
        if let fingerprint = self.tlsFingerprint {
            guard self.tls else { throw ValidationError("--tls-fingerprint needs --tls.") }
            guard CertificateFingerprint(parsing: fingerprint) != nil else {
                throw ValidationError("--tls-fingerprint must be a SHA-256 fingerprint: 32 hex pairs, like AB:CD:…:EF.")
            }
        }
        do {
            _ = try Nickname(validating: self.nickname)
        } catch {
            throw ValidationError("Invalid nickname \"\(Sanitizer.clean(self.nickname))\": \(error).")
        }
    }

    func run() async throws {
        ignoreBrokenPipes()
        // A person at the keyboard is asked about a new certificate, whichever mode the session then runs in.
        if isatty(STDIN_FILENO) == 1 {
            try await self.confirmCertificate()
        }
        if !self.plain, RawTerminal.isInteractive {
            try await self.runInteractive()
        } else {
            try await self.runPlain()
        }
    }

    /// HOST PORT, then each --server in the order given (checked by ``validate()``).
    private var addresses: [ServerAddress] {
        [ServerAddress(host: self.host, port: self.port)] + self.servers.compactMap { try? ServerAddress(parsing: $0) }
    }

    private var security: ClientSecurity {
        guard self.tls else { return .plain }
        return .tls(knownHosts: .standard(), pinned: self.tlsFingerprint.flatMap(CertificateFingerprint.init(parsing:)))
    }

    /// With a person at the keyboard, before the terminal goes raw: connects once to each address to see whether its
    /// certificate is trusted, and for each that is new here, shows its fingerprint and asks, as ssh does. Returns
    /// normally when the session may go on; exits 2 when the person says no, a certificate cannot be trusted, or no
    /// address answers.
    private func confirmCertificate() async throws {
        // A pin needs no question (and no extra connection).
        guard case .tls(_, pinned: nil) = self.security else { return }
        let addresses = self.addresses
        let outcomes = await Self.probe(addresses, security: self.security)
        var unreachable: [UnreachableServers.Attempt] = []
        var accepted: Set<CertificateFingerprint> = []
        for (address, failure) in zip(addresses, outcomes) {
            guard let failure, let trust = self.security.trust(for: address) else { continue }
            guard case .untrusted(let verdict, _) = failure.reason else {
                // The session's own attempt says so, or tries the next address.
                unreachable.append(UnreachableServers.Attempt(address: address, failure: failure))
                continue
            }
            guard case .unknown(let fingerprint) = verdict else {
                Self.printError(failure.message(host: address.host, port: address.port))
                throw ExitCode(2)
            }
            // The nodes of a cluster may share a certificate: accepted once, it is remembered for each of them.
            if accepted.contains(fingerprint) {
                Self.printError("\(address) has the same certificate; it is remembered for that address too.")
            } else {
                try Self.ask(about: fingerprint, of: address, trust: trust)
                accepted.insert(fingerprint)
            }
            do {
                try trust.knownHosts.remember(fingerprint, for: trust.key)
            } catch {
                Self.printError("cannot remember the certificate in \(trust.knownHosts.path): \(error)")
                throw ExitCode(2)
            }
        }
        if unreachable.count == addresses.count {
            for attempt in unreachable { Self.printError(attempt.message) }
            throw ExitCode(2)
        }
    }

    /// Probes every address at once (so one that does not answer delays the questions by its timeout, not by the
    /// sum of them): nil where the certificate is trusted, otherwise why not.
    private static func probe(
        _ addresses: [ServerAddress],
        security: ClientSecurity
    ) async -> [ConnectionFailure?] {
        await withTaskGroup(of: (Int, ConnectionFailure?).self) { group in
            for (index, address) in addresses.enumerated() {
                guard let trust = security.trust(for: address) else { continue }
                group.addTask {
                    do {
                        try await TLSCertificateCheck.probe(host: address.host, port: address.port, trust: trust)
                        return (index, nil)
                    } catch {
                        return (index, ConnectionFailure(error))
                    }
                }
            }
            var outcomes = [ConnectionFailure?](repeating: nil, count: addresses.count)
            for await (index, failure) in group { outcomes[index] = failure }
            return outcomes
        }
    }

    /// Shows a certificate never seen here and asks whether to trust it; returns when the answer is yes, exits 2
    /// otherwise.
    private static func ask(
        about fingerprint: CertificateFingerprint,
        of address: ServerAddress,
        trust: TLSTrust
    ) throws {
        Self.printError(
            """
            The certificate of \(address) is not signed by an authority this machine trusts, and this is the first \
            time it is seen here.
            Its sha256 fingerprint is
              \(fingerprint)
            Compare it with the server's `slashchat tls certificate sha256` line.
            """
        )
        StandardStream.error.write("Trust it and remember it in \(trust.knownHosts.path)? [y/N] ")
        let answer = readLine()?.trimmingSpacesAndTabs().lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            Self.printError("not connecting to \(address): its certificate was not accepted")
            throw ExitCode(2)
        }
    }

    private func runInteractive() async throws {
        let colours = !self.noColor && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        var client = InteractiveClient(
            addresses: self.addresses,
            nickname: self.nickname,
            style: TerminalStyle(isEnabled: colours)
        )
        client.security = self.security
        guard RawTerminal.enable() else {
            return try await self.runPlain()
        }
        defer { RawTerminal.restore() }
        let sizeChanges = await UnixSignalsSequence(trapping: .sigwinch)
        let resizes = AsyncStream<Void> { continuation in
            let watcher = Task {
                for await _ in sizeChanges { continuation.yield() }
                continuation.finish()
            }
            continuation.onTermination = { _ in watcher.cancel() }
        }
        let code = await client.run(
            keys: StandardInput.chunks(),
            resizes: resizes,
            write: { text in
                // A terminal that has gone away: nothing more can be shown.
                if !StandardStream.output.write(text) {
                    RawTerminal.restore()
                    Glibc.exit(0)
                }
            },
            columns: RawTerminal.columns
        )
        if code != 0 { throw ExitCode(code) }
    }

    private func runPlain() async throws {
        // A script's lines are chat, never a second guess at a nickname: a refused nickname ends the session.
        let client = ChatClient(
            addresses: self.addresses,
            nickname: self.nickname,
            whenNicknameRefused: .giveUp,
            security: self.security
        )
        // Each address that fails is named as it fails; a script's connection is made once, never again. (Until
        // the signal watcher below starts, Ctrl-C ends the process at once: nothing has been said to a server yet.)
        let connection: ChatClient.Connection
        do {
            connection = try await client.connect { attempt in Self.printError(attempt.message) }
        } catch {
            throw ExitCode(2)
        }
        let (quitRequests, requestQuit) = AsyncStream.makeStream(of: Void.self)
        let stdoutClosed = AtomicFlag()
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let signalWatcher = Task {
            for await _ in signals { requestQuit.yield() }
        }
        defer { signalWatcher.cancel() }

        let ending = await client.run(on: connection, input: StandardInput.lines(), quitRequests: quitRequests) {
            event in
            for line in EventRenderer.lines(for: event) where !StandardStream.output.writeLine(line) {
                // Nobody reads our output any more (`client … | head -1`): leave quietly.
                requestQuit.yield()
                stdoutClosed.set()
                break
            }
        }
        if stdoutClosed.isSet { return }
        let address = connection.address
        if let explanation = ending.explanation(host: address.host, port: address.port, nickname: self.nickname) {
            Self.printError(explanation)
        }
        if ending.exitStatus != 0 { throw ExitCode(ending.exitStatus) }
    }

    private static func printError(_ text: String) {
        StandardStream.error.writeLine(text)
    }
}
