import Foundation
import NIOCore

/// How the console's `ban` reads an address and says what it banned.
extension AdminConsole {
    /// The ``PeerAddress/key`` of `word` when it is an IPv4 or IPv6 address (or a `PREFIX::/64` as `bans` shows
    /// one); nil for anything else, which is then a nickname. A nickname cannot hold `:`, but may be a dotted quad
    /// (`10.0.0.1`): an address is what the console meant by that.
    public static func addressKey(_ word: String) -> String? {
        let address = word.hasSuffix("/64") ? String(word.dropLast(3)) : word
        guard address.contains(".") || address.contains(":"),
            let socketAddress = try? SocketAddress(ipAddress: address, port: 0)
        else { return nil }
        return PeerAddress(socketAddress).key
    }

    /// `the address 192.0.2.7` or `the IPv6 prefix 2001:db8:0:1::/64`: what an address ban covers.
    static func describe(address key: String) -> String {
        key.hasSuffix("/64") ? "the IPv6 prefix \(key)" : "the address \(key)"
    }

    /// When a ban of `duration` starting now ends, as `bans` shows it.
    static func end(after duration: Duration) -> String {
        Date().addingTimeInterval(Double(duration.components.seconds)).ISO8601Format()
    }

    /// `30m`, `24h`, `7d` or `90s`: a ban's length as the console reads it (one day is `24h`, as `help` says the
    /// default).
    static func describe(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, length) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)]
        where seconds % length == 0 && seconds / length > (unit == "d" ? 1 : 0) {
            return "\(seconds / length)\(unit)"
        }
        return "\(seconds)s"
    }
}
