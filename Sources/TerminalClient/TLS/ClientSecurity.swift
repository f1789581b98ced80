import ChatProtocol

/// How the client talks to the server: plain text, or TLS with a way to decide whom to trust.
public enum ClientSecurity: Sendable {
    /// Lines over TCP, as `nc` speaks.
    case plain
    /// The same inside TLS. Each address's certificate is judged by a ``TLSTrust`` for its own host and port (see
    /// ``trust(for:)``), with these remembered certificates; a pin (`--tls-fingerprint`) is the one certificate
    /// accepted at every address.
    case tls(knownHosts: KnownHosts, pinned: CertificateFingerprint?)

    /// How the certificate of the server at `address` is judged: its host is what a CA-issued certificate must
    /// name, its host and port are its line in the known hosts. Nil without TLS.
    public func trust(for address: ServerAddress) -> TLSTrust? {
        guard case .tls(let knownHosts, let pinned) = self else { return nil }
        return TLSTrust(host: address.host, port: address.port, knownHosts: knownHosts, pinned: pinned)
    }
}
