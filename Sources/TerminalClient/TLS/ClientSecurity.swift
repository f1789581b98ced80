/// How the client talks to the server: plain text, or TLS with a way to decide whom to trust.
public enum ClientSecurity: Sendable {
    case plain
    case tls(TLSTrust)
}
