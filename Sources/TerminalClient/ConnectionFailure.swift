import ChatProtocol
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the client could not reach a server, in words a person can act on instead of NIO's error dump:
/// `cannot connect to 127.0.0.1:5999: connection refused; is the server running?`.
public struct ConnectionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, reduced to the cases a person can do something about.
    public enum Reason: Sendable, Equatable {
        /// Nothing listens on that port (ECONNREFUSED).
        case refused
        /// The name does not resolve (getaddrinfo's EAI_NONAME and kin).
        case unknownHost
        /// The name could not be looked up right now (EAI_AGAIN: no DNS server reachable).
        case resolutionUnavailable
        /// No answer before the connect timeout, or ETIMEDOUT.
        case timedOut
        /// ENETUNREACH: this machine has no route to that network.
        case networkUnreachable
        /// EHOSTUNREACH: the network is there, the host is not.
        case hostUnreachable
        /// ECONNRESET during the handshake.
        case reset
        /// EACCES or EPERM: a local firewall or policy forbids the connection.
        case notPermitted
        /// The TLS handshake failed for a reason other than trust (not a TLS port, no common protocol version).
        case tlsHandshakeFailed(String)
        /// The server's certificate is not trusted; the text says why and what to do.
        case untrusted(TLSTrust.Verdict, String)
        /// Anything else, as a short description of the underlying error.
        case other(String)
    }

    public let reason: Reason

    public init(reason: Reason) {
        self.reason = reason
    }

    /// Classifies an error thrown while connecting (a `NIOConnectionError`, `IOError`, `ChannelError`, or the
    /// resolver's error).
    public init(_ error: any Error) {
        self.reason = Self.reason(for: error)
    }

    /// The reason in a few lowercase words, e.g. `connection refused`.
    public var summary: String {
        switch self.reason {
        case .refused: "connection refused"
        case .unknownHost: "unknown host"
        case .resolutionUnavailable: "the name could not be looked up"
        case .timedOut: "timed out"
        case .networkUnreachable: "network unreachable"
        case .hostUnreachable: "no route to host"
        case .reset: "connection reset"
        case .notPermitted: "not permitted"
        case .tlsHandshakeFailed(let text): "the TLS handshake failed (\(text))"
        case .untrusted(_, let text): text
        case .other(let text): text
        }
    }

    /// What to check, as a short question; nil when there is nothing useful to suggest.
    public var hint: String? {
        switch self.reason {
        case .refused: "is the server running?"
        case .unknownHost: "is the name spelt right?"
        case .resolutionUnavailable: "is DNS reachable?"
        case .timedOut: "are the address and port right, and is a firewall in the way?"
        case .networkUnreachable: "is this machine online?"
        case .hostUnreachable: "is the address right?"
        case .reset: "is it a slashchat server?"
        case .notPermitted: "does a firewall block it?"
        case .tlsHandshakeFailed: "is it the server's TLS port? (leave out --tls for the plain one)"
        case .untrusted, .other: nil
        }
    }

    /// `connection refused; is the server running?`
    public var description: String {
        self.hint.map { "\(self.summary); \($0)" } ?? self.summary
    }

    /// The whole sentence: `cannot connect to HOST:PORT: connection refused; is the server running?`.
    public func message(host: String, port: Int) -> String {
        "cannot connect to \(Self.address(host: host, port: port)): \(self)"
    }

    /// `host:port`, with an IPv6 literal in brackets; cleaned of control characters, since it came from the user.
    public static func address(host: String, port: Int) -> String {
        let host = Sanitizer.clean(host)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// A TLS error in a few words: NIOSSL's descriptions carry BoringSSL's error stack, which tells a person
    /// little.
    static func tlsSummary(_ error: any Error) -> String {
        switch error {
        case ChannelError.eof, NIOSSLError.uncleanShutdown: "the server closed the connection"
        case ChannelError.connectTimeout: "no answer"
        case NIOSSLError.handshakeFailed: "the server does not speak TLS there, or no version both sides support"
        default: Sanitizer.clean("\(error)")
        }
    }

    /// The reason for an errno from `connect(2)`, or nil for one this type does not name.
    public static func reason(errno code: CInt) -> Reason? {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .timedOut
        case ENETUNREACH, ENETDOWN: .networkUnreachable
        case EHOSTUNREACH, EHOSTDOWN: .hostUnreachable
        case ECONNRESET, ECONNABORTED: .reset
        case EACCES, EPERM: .notPermitted
        default: nil
        }
    }

    /// The reason for a getaddrinfo error code.
    public static func reason(resolverCode code: Int) -> Reason {
        switch CInt(truncatingIfNeeded: code) {
        case EAI_AGAIN: .resolutionUnavailable
        default: .unknownHost
        }
    }

    private static func reason(for error: any Error) -> Reason {
        switch error {
        case let failure as ConnectionFailure:
            return failure.reason
        case let error as NIOConnectionError:
            return self.reason(for: error)
        case let error as IOError:
            return self.reason(errno: error.errnoCode) ?? .other(Self.errnoText(error.errnoCode))
        case let error as SocketAddressError.UnknownHost:
            return self.reason(resolverCode: error.errorCode)
        case let error as ChannelError:
            if case .connectTimeout = error { return .timedOut }
            return .other(Sanitizer.clean("\(error)"))
        default:
            return .other(Sanitizer.clean("\(error)"))
        }
    }

    /// Happy Eyeballs tries every address; the most telling failure wins (a refusal says more than a timeout on
    /// an IPv6 address that was never going to work).
    private static func reason(for error: NIOConnectionError) -> Reason {
        let reasons = error.connectionErrors.map { self.reason(for: $0.error) }
        let preference: [Reason] = [.refused, .reset, .notPermitted, .timedOut, .hostUnreachable, .networkUnreachable]
        if let best = preference.first(where: reasons.contains) { return best }
        if let first = reasons.first { return first }
        if let dnsError = error.dnsAError ?? error.dnsAAAAError { return self.reason(for: dnsError) }
        // Resolution succeeded but gave no address to try.
        return .unknownHost
    }

    private static func errnoText(_ code: CInt) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }
}
