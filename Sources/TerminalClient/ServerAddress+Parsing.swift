import NIOCore

extension ServerAddress {
    /// Why a text is not a `HOST:PORT` address. Each description completes the sentence "`TEXT` …".
    public enum ParsingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// No `:PORT` after the host.
        case noPort
        /// `[` without its `]`.
        case unclosedBracket
        /// Nothing before the `:`.
        case noHost
        /// Several colons without brackets: an IPv6 address, whose last group cannot be told from the port.
        case unbracketedIPv6
        /// Brackets around something that is not an IPv6 address.
        case notIPv6InBrackets
        /// A host with characters no host name or IPv4 address holds.
        case invalidHost
        /// A port that is not a decimal number.
        case invalidPort
        /// A port outside 1-65535.
        case portOutOfRange

        public var description: String {
            switch self {
            case .noPort: "has no port"
            case .unclosedBracket: "opens a bracket it does not close"
            case .noHost: "has no host"
            case .unbracketedIPv6: "needs its IPv6 address in brackets, like [::1]:7000"
            case .notIPv6InBrackets: "has something other than an IPv6 address in brackets"
            case .invalidHost: "has a host other than a name or an address (letters, digits, '.', '-' and '_')"
            case .invalidPort: "has a port that is not a number"
            case .portOutOfRange: "has a port outside 1-65535"
            }
        }
    }

    /// Reads `HOST:PORT` strictly: `chat.example.org:7000`, `10.0.0.2:7000`, or an IPv6 address in brackets,
    /// `[::1]:7000`. The port is 1-65535 in decimal digits; the host is a name (letters, digits, `.`, `-`, `_`, not
    /// starting with `.` or `-`), an IPv4 address, or, only in brackets, an IPv6 address.
    public init(parsing text: String) throws(ParsingError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .unclosedBracket }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .noPort }
            portText = rest.dropFirst()
            guard Self.isIPv6Address(host) else { throw host.isEmpty ? .noHost : .notIPv6InBrackets }
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw .unbracketedIPv6 }
            guard parts.count == 2 else { throw .noPort }
            host = parts[0]
            portText = parts[1]
            guard !host.isEmpty else { throw .noHost }
            guard Self.isHostName(host) else { throw .invalidHost }
        }
        guard !portText.isEmpty else { throw .noPort }
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .invalidPort }
        // At most five digits, so a long run of them cannot overflow on the way to the range check.
        guard portText.count <= 5, let port = Int(portText), (1...65535).contains(port) else { throw .portOutOfRange }
        self.init(host: String(host), port: port)
    }

    /// The longest host name DNS allows.
    static let maximumHostNameLength = 253

    /// A host name or an IPv4 address as typed: ASCII letters, digits, `.`, `-` and `_`, not starting with `.` or
    /// `-` (which would read as an option).
    private static func isHostName(_ host: Substring) -> Bool {
        guard host.utf8.count <= Self.maximumHostNameLength, let first = host.first, first != ".", first != "-" else {
            return false
        }
        return host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
    }

    private static func isIPv6Address(_ host: Substring) -> Bool {
        guard host.contains(":"), let address = try? SocketAddress(ipAddress: String(host), port: 0) else {
            return false
        }
        return address.protocol == .inet6
    }
}
