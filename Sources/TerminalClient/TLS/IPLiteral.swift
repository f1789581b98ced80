import NIOCore

/// Whether a host as typed is an IP address literal (no SNI for those, and a certificate names them as addresses).
enum IPLiteral {
    static func isAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
