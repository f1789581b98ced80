import NIOCore

/// Where a connection comes from, as the per-address limits count it.
///
/// IPv4 addresses count one by one. IPv6 addresses count by their /64 prefix, since anyone who has one IPv6
/// address usually has the whole /64 behind it; an IPv4-mapped IPv6 address counts as its IPv4 address.
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    /// What the limits count by: the IPv4 address, or the IPv6 /64 prefix as `2001:db8:0:1::/64`.
    public let key: String
    /// True for 127.0.0.0/8 and ::1, which the limits leave alone unless told otherwise.
    public let isLoopback: Bool

    public var description: String { self.key }

    /// - Parameter address: the peer's socket address; nil (or a Unix socket) counts as one local peer.
    public init(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4):
            // sockaddr_in: family and port (2 + 2 bytes), then the address (4), on Linux and BSD alike.
            self.init(ipv4: withUnsafeBytes(of: v4.address) { Array($0[4..<8]) })
        case .v6(let v6):
            // sockaddr_in6: family, port, flow info (2 + 2 + 4 bytes), then the address (16).
            let bytes = withUnsafeBytes(of: v6.address) { Array($0[8..<24]) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                self.init(ipv4: Array(bytes[12..<16]))
            } else {
                let isLoopback = bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1
                let groups = stride(from: 0, to: 8, by: 2).map {
                    String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
                }
                self.init(key: groups.joined(separator: ":") + "::/64", isLoopback: isLoopback)
            }
        case .unixDomainSocket, nil:
            self.init(key: "local", isLoopback: true)
        }
    }

    /// The peer of an `ip:port` string as logs show it (IPv6 keeps its colons); one local peer when it is not one.
    public init(hostAndPort: String) {
        let host = hostAndPort.lastIndex(of: ":").map { String(hostAndPort[..<$0]) } ?? hostAndPort
        self.init((try? SocketAddress(ipAddress: host, port: 0)))
    }

    /// A peer with the given key (tests).
    public init(key: String, isLoopback: Bool) {
        self.key = key
        self.isLoopback = isLoopback
    }

    private init(ipv4 bytes: [UInt8]) {
        self.init(key: bytes.map(String.init).joined(separator: "."), isLoopback: bytes.first == 127)
    }
}
