import ChatCore
import ChatProtocol
import ChatTesting
import ChatTransportTLS
import TerminalClient
import Testing

/// The client's trust against a real TLS listener: what a pin or a remembered fingerprint accepts, whatever the
/// certificate names.
@Suite struct ClientTrustTests {
    @Test func aPinnedCertificateNeedNotNameTheAddressItIsReachedBy() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            // A self-signed certificate that names no IP address, reached at 127.0.0.1: as a server on 0.0.0.0 is
            // reached by its LAN address.
            let pair = try CertificatePair.write(in: directory, named: "lan", namingAddresses: false)
            let certificates = try TLSCertificates(source: .files(certificate: pair.certificateFile, key: pair.keyFile))
            let listener = TLSListener(host: "127.0.0.1", port: 0, certificates: certificates)
            try await TestServer.withServer(extraListeners: [listener]) { server in
                let port = try #require(server.addresses.last?.port)
                let knownHosts = KnownHosts(path: directory.file("known_hosts"))
                let pinned = TLSTrust(host: "127.0.0.1", port: port, knownHosts: knownHosts, pinned: pair.fingerprint)
                try await TLSCertificateCheck.probe(host: "127.0.0.1", port: port, trust: pinned)
                let key = KnownHosts.key(host: "127.0.0.1", port: port)
                #expect(knownHosts.fingerprint(for: key) == pair.fingerprint, "remembered after the handshake")

                let remembered = TLSTrust(host: "127.0.0.1", port: port, knownHosts: knownHosts)
                try await TLSCertificateCheck.probe(host: "127.0.0.1", port: port, trust: remembered)
            }
        }
    }

    @Test func anUnknownCertificateFailsTheProbeWithItsFingerprint() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let pair = try CertificatePair.write(in: directory, named: "new")
            let certificates = try TLSCertificates(source: .files(certificate: pair.certificateFile, key: pair.keyFile))
            let listener = TLSListener(host: "127.0.0.1", port: 0, certificates: certificates)
            try await TestServer.withServer(extraListeners: [listener]) { server in
                let port = try #require(server.addresses.last?.port)
                let trust = TLSTrust(host: "127.0.0.1", port: port, knownHosts: KnownHosts(path: directory.file("kh")))
                do {
                    try await TLSCertificateCheck.probe(host: "127.0.0.1", port: port, trust: trust)
                    Issue.record("an unknown self-signed certificate was accepted")
                } catch let failure as ConnectionFailure {
                    #expect(failure.reason.isUntrusted(.unknown(pair.fingerprint)), "\(failure)")
                }
            }
        }
    }
}

extension ConnectionFailure.Reason {
    /// True when the reason is ``untrusted(_:_:)`` with `verdict`.
    fileprivate func isUntrusted(_ verdict: TLSTrust.Verdict) -> Bool {
        if case .untrusted(let found, _) = self { return found == verdict }
        return false
    }
}
