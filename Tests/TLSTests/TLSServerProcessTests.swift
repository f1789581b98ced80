import ChatProtocol
import ChatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real `server` with `--tls-port`: its start-up lines, its generated certificate across restarts, given
/// files, SIGHUP, and the errors for bad files.
@Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason))
struct TLSServerProcessTests {
    /// What the server printed about TLS: the TLS port and the fingerprint.
    private struct Announcement {
        let tlsPort: Int
        let fingerprint: CertificateFingerprint
    }

    /// Starts the server with a TLS listener on a free port and waits for its TLS lines.
    private static func start(
        in directory: TemporaryDirectory,
        arguments: [String] = []
    ) async throws -> (ServerProcess, Announcement) {
        let server = try await ServerProcess.start(
            dataDirectory: directory.path,
            arguments: ["--tls-port", "0"] + arguments
        )
        var lines: [String] = []
        let found = await Deadline.poll(within: TestTime.expected) {
            lines = server.standardOutput.split(separator: "\n").map(String.init)
            return lines.contains { $0.hasPrefix("slashchat tls certificate sha256 ") }
        }
        guard found else {
            server.kill()
            throw ExpectationFailure("no fingerprint line; stdout: \(lines) stderr: \(server.standardError)")
        }
        // The plain line, then the TLS one, then the fingerprint.
        #expect(lines.count >= 3)
        #expect(lines[0] == "slashchat listening on 127.0.0.1:\(server.port)")
        let tlsPrefix = "slashchat listening on 127.0.0.1:"
        #expect(lines[1].hasPrefix(tlsPrefix) && lines[1].hasSuffix(" (tls)"), "\(lines)")
        let tlsPort = try #require(Int(lines[1].dropFirst(tlsPrefix.count).dropLast(" (tls)".count)))
        let fingerprintText = String(lines[2].dropFirst("slashchat tls certificate sha256 ".count))
        let fingerprint = try #require(CertificateFingerprint(parsing: fingerprintText))
        #expect(fingerprintText == "\(fingerprint)", "upper-case hex pairs with colons, as openssl prints it")
        return (server, Announcement(tlsPort: tlsPort, fingerprint: fingerprint))
    }

    @Test func theGeneratedCertificateIsMadeOnceAndPrintedAsTheClientSeesIt() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let (first, announced) = try await Self.start(in: directory)
            let client = try await TLSLineClient.join(port: announced.tlsPort, as: "alice")
            #expect(client.fingerprint == announced.fingerprint)
            await client.client.close()
            first.kill()

            let (second, again) = try await Self.start(in: directory)
            defer { second.kill() }
            #expect(again.fingerprint == announced.fingerprint, "the same certificate after a restart")
            let later = try await TLSLineClient.join(port: again.tlsPort, as: "bob")
            #expect(later.fingerprint == announced.fingerprint)
            await later.client.close()
        }
    }

    @Test func givenFilesAreUsedAndSIGHUPRereadsThem() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let pair = try CertificatePair.write(in: directory, named: "issued")
            let (server, announced) = try await Self.start(
                in: directory,
                arguments: ["--tls-cert", pair.certificateFile, "--tls-key", pair.keyFile]
            )
            defer { server.kill() }
            #expect(announced.fingerprint == pair.fingerprint)
            #expect(!FileManager.default.fileExists(atPath: directory.file("tls")), "nothing generated")

            let renewed = try CertificatePair.write(in: directory, named: "issued")
            _ = kill(server.process.processIdentifier, SIGHUP)
            var seen: CertificateFingerprint?
            let changed = await Deadline.poll(within: TestTime.expected) {
                guard let client = try? await TLSLineClient.connect(port: announced.tlsPort, name: "probe") else {
                    return false
                }
                _ = try? await client.client.expectLine(containing: "Choose a nickname")
                seen = client.fingerprint
                await client.client.close()
                return seen == renewed.fingerprint
            }
            #expect(
                changed,
                "after SIGHUP new connections get the renewed certificate; saw \(String(describing: seen))"
            )
            #expect(server.standardError.contains("tls certificate: reloaded"), "\(server.standardError)")
        }
    }

    @Test func aBadKeyFileStopsTheStartWithAnErrorNamingIt() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let pair = try CertificatePair.write(in: directory, named: "issued")
            let badKey = directory.file("bad-key.pem")
            try Data("this is not a key\n".utf8).write(to: URL(fileURLWithPath: badKey))
            let server = try ServerProcess.launch(
                dataDirectory: directory.path,
                arguments: ["--tls-port", "0", "--tls-cert", pair.certificateFile, "--tls-key", badKey]
            )
            defer { server.kill() }
            let status = try await server.waitForExit()
            #expect(status == 1)
            #expect(server.standardError.contains("server: error: TLS: \(badKey) holds no usable PEM private key"),
                "\(server.standardError)")
            #expect(!server.standardOutput.contains("listening on"))
        }
    }

    @Test func aHalfOpenHandshakeIsClosedAfterTenSeconds() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let (server, announced) = try await Self.start(in: directory)
            defer { server.kill() }
            // The server's 10 s start when it accepts, after this and before the connect returns (which can take
            // seconds on a busy machine).
            let started = ContinuousClock.now
            let stalled = try await LineClient.connect(port: announced.tlsPort, name: "stalled")
            try await stalled.sendRaw([0x16, 0x03, 0x01, 0x02, 0x00])
            // Real time is the point: the 10 s timer, with room above for a busy machine.
            _ = try await stalled.expectClosed(timeout: TestTime.expected)
            let waited = ContinuousClock.now - started
            #expect(waited > .seconds(8) && waited < .seconds(20), "closed after \(waited)")
        }
    }
}
