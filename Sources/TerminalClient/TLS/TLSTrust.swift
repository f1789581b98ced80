import ChatProtocol
import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// Whether the client believes a server's certificate is the server's.
///
/// In order: a `--tls-fingerprint` pin decides alone; otherwise a certificate that chains to the system's trust
/// roots and names the host is accepted; otherwise it is trust on first use, as ssh does: the fingerprint
/// remembered in ``KnownHosts`` for this host and port must match, and one never seen is for the person to accept
/// (in a terminal) or to pin.
public struct TLSTrust: Sendable {
    /// What the client concluded about one certificate.
    public enum Verdict: Sendable, Equatable {
        /// A CA vouches for it, or it is the remembered one.
        case trusted
        /// It is the `--tls-fingerprint` one: trusted, and to be remembered once the handshake has shown the
        /// server holds its key.
        case pinned(CertificateFingerprint)
        /// Never seen here, and no CA vouches for it.
        case unknown(CertificateFingerprint)
        /// This host and port had another certificate before.
        case changed(remembered: CertificateFingerprint, presented: CertificateFingerprint)
        /// Not the `--tls-fingerprint` given.
        case notPinned(pinned: CertificateFingerprint, presented: CertificateFingerprint)
        /// The server sent no certificate that parses.
        case unreadable(String)
    }

    /// The host as the person typed it: what a CA-issued certificate must name.
    public let host: String
    public let port: Int
    /// Where accepted fingerprints are remembered.
    public let knownHosts: KnownHosts
    /// `--tls-fingerprint`: the only certificate accepted, whoever signed it.
    public let pinned: CertificateFingerprint?

    public init(host: String, port: Int, knownHosts: KnownHosts, pinned: CertificateFingerprint? = nil) {
        self.host = host
        self.port = port
        self.knownHosts = knownHosts
        self.pinned = pinned
    }

    /// The name this server has in ``KnownHosts``.
    public var key: String { KnownHosts.key(host: self.host, port: self.port) }

    /// Judges the chain a server presented, leaf first. It writes nothing: the verification runs before the
    /// server has proven it holds the certificate's key, so ``handshakeSucceeded(with:)`` remembers a pin.
    public func evaluate(_ chain: [NIOSSLCertificate]) async -> Verdict {
        guard let first = chain.first, let leafDER = try? first.toDERBytes() else {
            return .unreadable("the server sent no certificate")
        }
        let presented = CertificateFingerprint(sha256Digest: SHA256.hash(data: leafDER))
        if let pinned = self.pinned {
            // A pin is stricter than a CA: only that certificate, whoever signed it.
            return pinned == presented ? .pinned(presented) : .notPinned(pinned: pinned, presented: presented)
        }
        if await self.chainsToSystemRoots(chain) { return .trusted }
        switch self.knownHosts.fingerprint(for: self.key) {
        case presented?: return .trusted
        case let remembered?: return .changed(remembered: remembered, presented: presented)
        case nil: return .unknown(presented)
        }
    }

    /// True for the verdicts that let the handshake go on.
    public static func accepts(_ verdict: Verdict) -> Bool {
        switch verdict {
        case .trusted, .pinned: true
        case .unknown, .changed, .notPinned, .unreadable: false
        }
    }

    /// After a handshake that `verdict` let through: a pinned certificate the file does not know yet (or knew as
    /// another) is remembered, so the pin is needed once. A failure to write is not the connection's problem.
    func handshakeSucceeded(with verdict: Verdict) {
        guard case .pinned(let fingerprint) = verdict, self.knownHosts.fingerprint(for: self.key) != fingerprint else {
            return
        }
        try? self.knownHosts.remember(fingerprint, for: self.key)
    }

    /// What to tell the person about a verdict the handshake stopped at.
    public func explanation(of verdict: Verdict) -> String {
        let address = ConnectionFailure.address(host: self.host, port: self.port)
        switch verdict {
        case .trusted, .pinned:
            return "the certificate of \(address) is trusted"
        case .unknown(let presented):
            return "the certificate of \(address) is not signed by an authority this machine trusts and has not "
                + "been seen here before; its sha256 fingerprint is \(presented). If it matches the server's "
                + "`slashchat tls certificate sha256` line, connect once from a terminal to accept it, or run again "
                + "with --tls-fingerprint \(presented)"
        case .changed(let remembered, let presented):
            return "the certificate of \(address) has CHANGED: remembered sha256 \(remembered), presented sha256 "
                + "\(presented). Someone may be intercepting the connection, or the server got a new certificate. "
                + "If the new one is right, remove the line starting with \(self.key) from \(self.knownHosts.path), "
                + "or run again with --tls-fingerprint \(presented)"
        case .notPinned(let pinned, let presented):
            return "the certificate of \(address) has sha256 fingerprint \(presented), not the \(pinned) "
                + "--tls-fingerprint asked for"
        case .unreadable(let reason):
            return "cannot read the certificate of \(address): \(reason)"
        }
    }

    private func chainsToSystemRoots(_ chain: [NIOSSLCertificate]) async -> Bool {
        let certificates = chain.compactMap { certificate -> Certificate? in
            guard let der = try? certificate.toDERBytes() else { return nil }
            return try? Certificate(derEncoded: der)
        }
        guard let leaf = certificates.first else { return false }
        let isAddress = IPLiteral.isAddress(self.host)
        var verifier = Verifier(rootCertificates: CertificateStore.systemTrustRoots) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: isAddress ? nil : self.host, serverIP: isAddress ? self.host : nil)
            ServerAuthenticationPolicy()
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(certificates.dropFirst()))
        if case .validCertificate = result { return true }
        return false
    }
}
