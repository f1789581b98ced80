/// How the client talks to the server: plain text, or TLS with a way to decide whom to trust.
public enum ClientSecurity: Sendable {
    /// Lines over TCP, as `nc` speaks.
    case plain
    /// The same inside TLS; the trust decides which certificates are the server's.
    case tls(TLSTrust)
}
