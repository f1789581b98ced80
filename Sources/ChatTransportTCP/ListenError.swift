#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a listening socket could not be bound, in words that say what to do: `port 4242 is in use` rather than
/// `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`.
public struct ListenError: Error, Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let errno: Int32

    /// The error for a bind that failed with `errno`; nil for failures without a clearer wording.
    init?(host: String, port: Int, errno: Int32) {
        guard [EADDRINUSE, EACCES, EADDRNOTAVAIL].contains(errno) else { return nil }
        self.host = host
        self.port = port
        self.errno = errno
    }

    public var description: String {
        switch self.errno {
        case EADDRINUSE:
            "port \(self.port) is in use (another server, or an earlier one still stopping); choose another port"
        case EACCES:
            "port \(self.port) needs administrator rights (ports below 1024); choose one above 1023"
        default:
            "cannot listen on \(self.host): this machine has no such address"
        }
    }
}
