/// One address of a chat server: a host (a name, an IPv4 address, or an IPv6 address without its brackets) and a
/// port. `client HOST PORT NICKNAME --server HOST:PORT …` gives the client a list of them, all of one chat.
public struct ServerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host as given: what a name is resolved from, and what a certificate must name.
    public let host: String
    public let port: Int

    /// An address taken as it is (the positional `HOST PORT`, checked elsewhere); ``init(parsing:)`` reads and
    /// checks a `HOST:PORT` text.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with an IPv6 address in brackets and control characters removed: how messages name it.
    public var description: String {
        ConnectionFailure.address(host: self.host, port: self.port)
    }
}
