import ChatCore
import ChatProtocol
import ChatTesting
import ChatTransportTLS
import Foundation
import TerminalClient
import Testing

/// `client --tls` against an in-process server with a generated (self-signed) certificate: trust on first use,
/// pinning, a changed certificate, and the person at a terminal asked about a new one.
@Suite(.enabled(if: ClientProcess.executable != nil, ClientProcess.missingExecutableComment))
struct TLSClientTests {
    /// A server with a TLS listener, a configuration folder for the client's known_hosts, and the TLS port.
    private struct Setup {
        let server: TestServer
        let tlsPort: Int
        let fingerprint: CertificateFingerprint
        let configuration: TemporaryDirectory

        var environment: [String: String] { ["XDG_CONFIG_HOME": self.configuration.path] }
        var knownHostsFile: String { self.configuration.file("slashchat/known_hosts") }
        var knownHosts: KnownHosts { KnownHosts(path: self.knownHostsFile) }

        /// Runs the client binary without a terminal as alice, with this setup's configuration folder.
        func runClient(port: Int? = nil, arguments: [String], input: String = "") async throws -> CommandRun {
            try await PlainClientRun.run(
                port: port ?? self.tlsPort,
                nickname: "alice",
                arguments: arguments,
                environment: self.environment,
                input: input
            )
        }
    }

    private static func withSetup(_ body: (Setup) async throws -> Void) async throws {
        try await TemporaryDirectory.withDirectory { data in
            try await TemporaryDirectory.withDirectory { configuration in
                let names = GeneratedCertificate.Names(listenHost: "127.0.0.1", hostName: nil, extraNames: [])
                let certificates = try TLSCertificates(source: .generated(dataDirectory: data.path, names: names))
                let listener = TLSListener(host: "127.0.0.1", port: 0, certificates: certificates)
                try await TestServer.withServer(extraListeners: [listener]) { server in
                    let tlsPort = try #require(server.addresses.last?.port)
                    try await body(
                        Setup(
                            server: server,
                            tlsPort: tlsPort,
                            fingerprint: certificates.fingerprint,
                            configuration: configuration
                        )
                    )
                }
            }
        }
    }

    @Test func withoutATerminalAnUnknownCertificateIsRefusedWithItsFingerprint() async throws {
        try await Self.withSetup { setup in
            let run = try await setup.runClient(arguments: ["--tls"], input: "hello\n")
            #expect(run.status == 2, "\(run)")
            #expect(run.standardError.contains("\(setup.fingerprint)"), "\(run)")
            #expect(run.standardError.contains("--tls-fingerprint"), "\(run)")
            #expect(!FileManager.default.fileExists(atPath: setup.knownHostsFile), "nothing was remembered")
            #expect(await setup.server.server.hub.sessionID(of: "alice") == nil)
        }
    }

    @Test func thePinnedFingerprintIsAcceptedRememberedAndThenNeededNoMore() async throws {
        try await Self.withSetup { setup in
            let bob = try await PeerClient.join(port: setup.server.port, as: "bob")
            let pin = "\(setup.fingerprint)".lowercased()
            let pinned = try await setup.runClient(
                arguments: ["--tls", "--tls-fingerprint", pin],
                input: "hello over tls\n"
            )
            #expect(pinned.status == 0, "\(pinned)")
            try await bob.waitForText("<alice> hello over tls\n")
            let key = KnownHosts.key(host: "127.0.0.1", port: setup.tlsPort)
            #expect(setup.knownHosts.fingerprint(for: key) == setup.fingerprint)

            let remembered = try await setup.runClient(arguments: ["--tls"], input: "again\n")
            #expect(remembered.status == 0, "\(remembered)")
            try await bob.waitForText("<alice> again\n")
            await bob.close()
        }
    }

    /// `--server` over TLS: each address is judged for its own host and port, so the certificate accepted at the
    /// second address is remembered under that address, not the first.
    @Test func aFallbackAddressIsTrustedAndRememberedForItsOwnHostAndPort() async throws {
        try await Self.withSetup { setup in
            let bob = try await PeerClient.join(port: setup.server.port, as: "bob")
            let dead = try ClosedPort.take()
            let run = try await setup.runClient(
                port: dead,
                arguments: [
                    "--tls", "--tls-fingerprint", "\(setup.fingerprint)", "--server", "127.0.0.1:\(setup.tlsPort)",
                ],
                input: "hello from the fallback\n"
            )
            #expect(run.status == 0, "\(run)")
            try await bob.waitForText("<alice> hello from the fallback\n")
            #expect(
                setup.knownHosts.fingerprint(for: KnownHosts.key(host: "127.0.0.1", port: setup.tlsPort))
                    == setup.fingerprint
            )
            #expect(setup.knownHosts.fingerprint(for: KnownHosts.key(host: "127.0.0.1", port: dead)) == nil)
            await bob.close()
        }
    }

    @Test func aChangedCertificateIsRefusedShowingBothFingerprintsAndHowToForget() async throws {
        try await Self.withSetup { setup in
            let key = KnownHosts.key(host: "127.0.0.1", port: setup.tlsPort)
            let old = try #require(CertificateFingerprint(parsing: String(repeating: "AB:", count: 31) + "AB"))
            try setup.knownHosts.remember(old, for: key)
            let run = try await setup.runClient(arguments: ["--tls"], input: "hello\n")
            #expect(run.status == 2, "\(run)")
            #expect(run.standardError.contains("CHANGED"), "\(run)")
            #expect(run.standardError.contains("\(old)"), "\(run)")
            #expect(run.standardError.contains("\(setup.fingerprint)"), "\(run)")
            #expect(run.standardError.contains(setup.knownHostsFile), "\(run)")
            #expect(setup.knownHosts.fingerprint(for: key) == old, "the remembered one is not replaced silently")
        }
    }

    @Test func aWrongPinIsRefused() async throws {
        try await Self.withSetup { setup in
            let wrong = String(repeating: "01:", count: 31) + "01"
            let run = try await setup.runClient(arguments: ["--tls", "--tls-fingerprint", wrong])
            #expect(run.status == 2, "\(run)")
            #expect(run.standardError.contains("not the \(wrong)"), "\(run)")
        }
    }

    @Test func aPlainServerPortSaysItIsNotTLS() async throws {
        try await Self.withSetup { setup in
            let run = try await setup.runClient(port: setup.server.port, arguments: ["--tls"])
            #expect(run.status == 2, "\(run)")
            #expect(run.standardError.contains("TLS handshake failed"), "\(run)")
        }
    }

    /// `client --tls` as alice on a pseudo-terminal, once it asks whether to trust the server's certificate.
    private static func askedAboutTheCertificate(_ setup: Setup) async throws -> ClientProcess {
        let client = try ClientProcess(
            port: setup.tlsPort,
            nickname: "alice",
            arguments: ["--tls"],
            environment: setup.environment,
            terminal: PseudoTerminal(rows: 30, columns: 140)
        )
        do {
            try await client.waitForLine(containing: "[y/N]")
        } catch {
            client.stop()
            throw error
        }
        return client
    }

    @Test func inATerminalANewCertificateIsShownAskedAboutAndRemembered() async throws {
        try await Self.withSetup { setup in
            let client = try await Self.askedAboutTheCertificate(setup)
            defer { client.stop() }
            #expect(client.screen.lines.contains { $0.contains("\(setup.fingerprint)") }, "\(client.screen)")
            client.type("y\r")
            try await client.waitForLine(containing: "Welcome to slashchat, alice!")
            let key = KnownHosts.key(host: "127.0.0.1", port: setup.tlsPort)
            #expect(setup.knownHosts.fingerprint(for: key) == setup.fingerprint)
        }
    }

    @Test func inATerminalSayingNoConnectsNowhere() async throws {
        try await Self.withSetup { setup in
            let client = try await Self.askedAboutTheCertificate(setup)
            defer { client.stop() }
            client.type("n\r")
            #expect(await client.waitForExit() == 2)
            #expect(!FileManager.default.fileExists(atPath: setup.knownHostsFile))
        }
    }
}
