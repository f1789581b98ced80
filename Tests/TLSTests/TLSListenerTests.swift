import ChatCore
import ChatProtocol
import ChatTesting
import ChatTransportTLS
import Foundation
import NIOCore
import Testing

/// The TLS listener in-process: the same chat over TLS, its certificate, reloads, and connections that never
/// finish a handshake.
@Suite struct TLSListenerTests {
    /// A server with a plain listener and a TLS one using `certificates`; `body` gets the server and the TLS port.
    private static func withTLSServer(
        _ certificates: TLSCertificates,
        configuration: ServerConfiguration = .loopback(),
        handshakeTimeout: TimeAmount = TLSListener.handshakeTimeout,
        _ body: (TestServer, Int) async throws -> Void
    ) async throws {
        let listener = TLSListener(
            host: "127.0.0.1",
            port: 0,
            certificates: certificates,
            handshakeTimeout: handshakeTimeout
        )
        try await TestServer.withServer(configuration, extraListeners: [listener]) { server in
            let tls = try #require(server.addresses.last)
            #expect(tls.kind == "tls" && tls.isEncrypted)
            try await body(server, tls.port)
        }
    }

    private static func generated(in directory: TemporaryDirectory) throws -> TLSCertificates {
        let names = GeneratedCertificate.Names(listenHost: "127.0.0.1", hostName: nil, extraNames: [])
        return try TLSCertificates(source: .generated(dataDirectory: directory.path, names: names))
    }

    @Test func aTLSClientAndAPlainClientChatInOneRoom() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let certificates = try Self.generated(in: directory)
            try await Self.withTLSServer(certificates) { server, tlsPort in
                let alice = try await server.join("alice")
                let bob = try await TLSLineClient.join(port: tlsPort, as: "bob")
                #expect(bob.fingerprint == certificates.fingerprint)
                try await alice.expectLine(containing: "* bob joined #main")
                try await bob.client.send("hello over tls :tada:")
                try await alice.expectLine(containing: "<bob> hello over tls 🎉")
                try await alice.send("hello in clear")
                try await bob.client.expectLine(containing: "<alice> hello in clear")
                await bob.client.close()
            }
        }
    }

    @Test func aPlainTextClientOnTheTLSPortIsClosedQuicklyAndOthersGoOn() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            // A handshake timeout far longer than the wait below, so the close cannot be the timeout's.
            let certificates = try Self.generated(in: directory)
            try await Self.withTLSServer(certificates, handshakeTimeout: .seconds(120)) { server, tlsPort in
                let plain = try await LineClient.connect(port: tlsPort, name: "plain-on-tls")
                try await plain.send("alice")
                // Quickly means long before the handshake timeout, with room for a busy machine.
                let said = try await plain.expectClosed(timeout: .seconds(30))
                #expect(
                    said == [
                        "! This port speaks TLS: connect with `client HOST PORT NICKNAME --tls` or "
                            + "`openssl s_client -quiet -connect HOST:PORT` or the plain port \(server.port)."
                    ]
                )
                #expect(plain.violations.isEmpty, "no binary TLS alert reached the plain client: \(plain.violations)")
                // Nobody else noticed.
                let carol = try await TLSLineClient.join(port: tlsPort, as: "carol")
                let dave = try await server.join("dave")
                try await carol.client.expectLine(containing: "* dave joined #main")
                await carol.client.close()
                await dave.close()
            }
        }
    }

    @Test func aHandshakeThatNeverFinishesIsClosedAtTheTimeoutAndNeverCountsAsAClient() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let timeout = TimeAmount.milliseconds(1500)
            try await Self.withTLSServer(try Self.generated(in: directory), handshakeTimeout: timeout) { server, port in
                let silent = try await LineClient.connect(port: port, name: "silent")
                let halfHello = try await LineClient.connect(port: port, name: "half-hello")
                // A TLS record header announcing a ClientHello of 512 bytes, and then nothing. On a busy machine the
                // server may already have timed this handshake out before the bytes go: then it is closed, as tested.
                try? await halfHello.sendRaw([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
                // Watched for the handshakes' whole life, which the server ends at the timeout: a single look after
                // a fixed pause could come before the server had even accepted them.
                let watcher = Task {
                    var most = 0
                    while !Task.isCancelled {
                        most = max(most, server.server.connectionCount)
                        try? await Task.sleep(for: .milliseconds(10))
                    }
                    return most
                }
                let toldSilent = try await silent.expectClosed()
                #expect(toldSilent.first?.hasPrefix("! This port speaks TLS") == true, "\(toldSilent)")
                _ = try await halfHello.expectClosed()
                watcher.cancel()
                #expect(await watcher.value == 0, "a connection still in its handshake counted as a client")
            }
        }
    }

    @Test func oneAddressCannotHoldMoreHandshakesThanItsConnectionLimit() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            var configuration = ServerConfiguration.loopback()
            configuration.maxClientsPerAddress = 2
            configuration.limitLoopback = true
            let listener = TLSListener(host: "127.0.0.1", port: 0, certificates: try Self.generated(in: directory))
            try await TestServer.withServer(configuration, extraListeners: [listener]) { server in
                let port = try #require(server.addresses.last).port
                var stalled: [LineClient] = []
                for index in 0..<2 {
                    let client = try await LineClient.connect(port: port, name: "stalled-\(index)")
                    try await client.sendRaw([0x16, 0x03, 0x01, 0x02, 0x00])
                    stalled.append(client)
                }
                // The server counts a handshake when it accepts the connection: once it has both, the third is
                // closed at once, not at the 10 s timeout.
                let counted = await Deadline.poll(within: TestTime.expected) { listener.handshakesInProgress == 2 }
                #expect(counted, "the server never counted the two stalled handshakes")
                let third = try await LineClient.connect(port: port, name: "third")
                // Well before the 10 s handshake timeout, with room for a busy machine.
                _ = try await third.expectClosed(timeout: .seconds(8))
                #expect(stalled.allSatisfy { !$0.isClosed }, "the first two still wait for their handshake")
                // Another address is not held back by them.
                let other = try await LineClient.connect(port: port, name: "other", from: "127.0.0.2")
                try await other.expectNoLine(within: .milliseconds(300))
                #expect(!other.isClosed)
                for client in stalled + [other] { await client.close() }
            }
        }
    }

    /// Issue 19, item 2: 20 addresses × 10 silent handshakes with `--max-clients 100` refused an innocent TLS user
    /// 6 times out of 7. Handshakes now have their own cap, and a newcomer closes the oldest one instead of being
    /// refused.
    @Test func anInnocentTLSUserGetsInDuringAFloodOfHalfOpenHandshakes() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            var configuration = ServerConfiguration.loopback()
            configuration.maxClients = 100
            configuration.limitLoopback = true
            let certificates = try Self.generated(in: directory)
            try await Self.withTLSServer(certificates, configuration: configuration, handshakeTimeout: .seconds(60)) {
                server,
                port in
                var flood: [LineClient] = []
                for address in 2...21 {
                    for index in 0..<10 {
                        flood.append(
                            try await LineClient.connect(
                                port: port,
                                name: "half-open-\(address)-\(index)",
                                from: "127.0.0.\(address)"
                            )
                        )
                    }
                }
                // The server accepts in order, so the innocent comes after the whole flood …
                let innocent = try await TLSLineClient.join(port: port, as: "innocent", from: "127.0.0.30")
                try await innocent.client.send("/quit")
                _ = try await innocent.client.expectClosed(timeout: .seconds(10))
                // … and the flood made room for it instead of keeping it out: the oldest were closed.
                let closed = flood.prefix(10)
                for client in closed {
                    _ = try await client.expectClosed(timeout: .seconds(10))
                }
                // None of the flood ever counted as a client: once the innocent is gone, nobody is connected.
                #expect(await Deadline.poll(within: .seconds(10)) { server.server.connectionCount == 0 })
                for client in flood { await client.close() }
            }
        }
    }

    /// Issue 19, item 2: the connect rate was counted only after the handshake, so one rate-limited address made the
    /// server complete 8,885 handshakes in 15 s. It is counted when the connection is accepted now, and only then.
    @Test func theConnectRateCountsWhenATLSConnectionIsAcceptedAndOnlyOnce() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            var configuration = ServerConfiguration.loopback()
            configuration.limitLoopback = true
            configuration.connectRate = 1
            configuration.connectBurst = 3
            let certificates = try Self.generated(in: directory)
            try await Self.withTLSServer(certificates, configuration: configuration, handshakeTimeout: .seconds(60)) {
                _,
                port in
                // Three TLS users from one address with a burst of 3: each counted once, not at accept and again.
                var joined: [TLSLineClient] = []
                for index in 1...3 {
                    joined.append(try await TLSLineClient.join(port: port, as: "user\(index)", from: "127.0.0.40"))
                }
                // A fourth connection is closed at once, before any handshake (it would wait 60 s for one).
                let fourth = try await LineClient.connect(port: port, name: "fourth", from: "127.0.0.40")
                let lines = try await fourth.expectClosed(timeout: .seconds(20))
                #expect(lines.isEmpty, "\(lines)")
                for client in joined { await client.client.close() }
            }
        }
    }

    @Test func aTLSHelloOnThePlainPortIsClosedAtOnce() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await Self.withTLSServer(try Self.generated(in: directory)) { server, _ in
                let tlsOnPlain = try await server.connect("tls-on-plain")
                try await tlsOnPlain.expectLine(containing: "Choose a nickname")
                // The start of a real ClientHello record: handshake (22), TLS 1.0 record version, a length.
                try await tlsOnPlain.sendRaw([0x16, 0x03, 0x01, 0x00, 0xF4, 0x01, 0x00, 0x00, 0xF0, 0x03, 0x03])
                // At once: well before the 30 s nickname timeout would close it.
                _ = try await tlsOnPlain.expectClosed(timeout: .seconds(10))
                #expect(await Deadline.poll(within: TestTime.expected) { server.server.connectionCount == 0 })
            }
        }
    }

    @Test func reloadGivesNewConnectionsTheNewCertificateAndOpenOnesKeepTheirs() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let first = try CertificatePair.write(in: directory, named: "server")
            let certificates = try TLSCertificates(
                source: .files(certificate: first.certificateFile, key: first.keyFile)
            )
            #expect(certificates.fingerprint == first.fingerprint)
            try await Self.withTLSServer(certificates) { _, port in
                let early = try await TLSLineClient.join(port: port, as: "early")
                #expect(early.fingerprint == first.fingerprint)

                let renewed = try CertificatePair.write(in: directory, named: "server")
                #expect(renewed.fingerprint != first.fingerprint)
                let outcome = await certificates.reload()
                #expect(outcome.succeeded, "\(outcome.message)")
                #expect(outcome.message.contains("\(renewed.fingerprint)"), "\(outcome.message)")

                let late = try await TLSLineClient.join(port: port, as: "late")
                #expect(late.fingerprint == renewed.fingerprint)
                try await early.client.expectLine(containing: "* late joined #main")
                try await early.client.send("still here")
                try await late.client.expectLine(containing: "<early> still here")
                await early.client.close()
                await late.client.close()
            }
        }
    }

    @Test func aReloadOfABadKeyKeepsTheOldCertificateAndSaysWhy() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let pair = try CertificatePair.write(in: directory, named: "server")
            let certificates = try TLSCertificates(source: .files(certificate: pair.certificateFile, key: pair.keyFile))
            try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: pair.keyFile))
            let outcome = await certificates.reload()
            #expect(!outcome.succeeded)
            #expect(outcome.message.contains("kept the old one") && outcome.message.contains(pair.keyFile))
            try await Self.withTLSServer(certificates) { _, port in
                let client = try await TLSLineClient.join(port: port, as: "after")
                #expect(client.fingerprint == pair.fingerprint)
                await client.client.close()
            }
        }
    }

    @Test func badCertificateOrKeyFilesAreErrorsThatNameTheFile() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let pair = try CertificatePair.write(in: directory, named: "good")
            let other = try CertificatePair.write(in: directory, named: "other")
            let garbage = directory.file("garbage.pem")
            try Data("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8)
                .write(to: URL(fileURLWithPath: garbage))
            let missing = directory.file("missing.pem")

            func failure(_ certificate: String, _ key: String) -> TLSSetupError? {
                do {
                    _ = try TLSCertificates(source: .files(certificate: certificate, key: key))
                    return nil
                } catch {
                    return error
                }
            }
            #expect(failure(missing, pair.keyFile) == .unreadable(file: missing, reason: "no such file"))
            let badKey = try #require(failure(pair.certificateFile, garbage))
            guard case .badKey(let file, _) = badKey else {
                Issue.record("expected a bad key, got \(badKey)")
                return
            }
            #expect(file == garbage && "\(badKey)".contains(garbage))
            let notACertificate = try #require(failure(pair.keyFile, pair.keyFile))
            #expect("\(notACertificate)".contains(pair.keyFile), "\(notACertificate)")
            #expect(
                failure(pair.certificateFile, other.keyFile)
                    == .mismatchedKey(certificateFile: pair.certificateFile, keyFile: other.keyFile)
            )
        }
    }
}
