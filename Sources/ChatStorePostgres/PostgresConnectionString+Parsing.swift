/// Reading a `postgres://` URL, with an error that names what is wrong and never repeats the password.
extension PostgresConnectionString {
    /// Why a connection string cannot be used; each case reads as a sentence for the operator.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notAURL
        case unsupportedScheme(String)
        case missingUsername
        case missingHost
        case badPort(String)
        case badPercentEncoding(String)
        case badSSLMode(String)
        case unknownParameter(String)
        case duplicateParameter(String)
        case badParameter(String)

        public var description: String {
            switch self {
            case .notAURL:
                "the PostgreSQL connection string is not a URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE"
            case .unsupportedScheme(let scheme):
                "the PostgreSQL connection string starts with \(scheme)://; expected postgres:// or postgresql://"
            case .missingUsername:
                "the PostgreSQL connection string names no user (postgres://USER@HOST/DATABASE)"
            case .missingHost:
                "the PostgreSQL connection string names no host (postgres://USER@HOST/DATABASE, or ?host=/socket/dir)"
            case .badPort(let port):
                "the PostgreSQL connection string's port \(port) is not a number from 1 to 65535"
            case .badPercentEncoding(let part):
                "the PostgreSQL connection string's \(part) has a bad percent escape (% must be followed by two hex "
                    + "digits and make UTF-8)"
            case .badSSLMode(let mode):
                "sslmode=\(mode) is not one of "
                    + SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
            case .unknownParameter(let name):
                "the PostgreSQL connection string's parameter \(name) is not supported (only sslmode and host are)"
            case .duplicateParameter(let name):
                "the PostgreSQL connection string gives \(name) twice"
            case .badParameter(let text):
                "the PostgreSQL connection string's parameter \(text) is not NAME=VALUE"
            }
        }
    }

    /// Parses `postgres://[USER[:PASSWORD]@]HOST[:PORT][/DATABASE][?sslmode=MODE&host=/socket/dir]`.
    public init(parsing text: String) throws(ParseError) {
        guard let schemeEnd = text.firstRange(of: "://") else { throw .notAURL }
        let scheme = String(text[..<schemeEnd.lowerBound])
        guard scheme == "postgres" || scheme == "postgresql" else {
            if scheme.isEmpty || scheme.contains(where: { !$0.isLetter }) { throw .notAURL }
            throw .unsupportedScheme(scheme)
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // The user information ends at the last @: a password may hold an unescaped @ (libpq is lenient there too).
        var userInformation: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInformation = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }

        var username = ""
        var password: String?
        if let userInformation {
            if let colon = userInformation.firstIndex(of: ":") {
                username = try Self.decode(userInformation[..<colon], "user name")
                password = try Self.decode(userInformation[userInformation.index(after: colon)...], "password")
            } else {
                username = try Self.decode(userInformation, "user name")
            }
        }
        guard !username.isEmpty else { throw .missingUsername }

        let (hostText, portText) = try Self.splitHostAndPort(rest)
        var host = try Self.decode(hostText, "host")
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number), portText.allSatisfy(\.isASCII) else {
                throw .badPort(String(portText))
            }
            port = number
        }

        var database: String?
        if let path, !path.isEmpty {
            database = try Self.decode(path, "database")
        }

        var sslMode: SSLMode?
        var socketHost: String?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else { throw .badParameter(String(pair)) }
            let name = try Self.decode(pair[..<equals], "parameter name")
            let value = try Self.decode(pair[pair.index(after: equals)...], "parameter \(name)")
            switch name {
            case "sslmode":
                guard sslMode == nil else { throw .duplicateParameter(name) }
                guard let mode = SSLMode(rawValue: value) else { throw .badSSLMode(value) }
                sslMode = mode
            case "host":
                guard socketHost == nil else { throw .duplicateParameter(name) }
                socketHost = value
            default:
                throw .unknownParameter(name)
            }
        }
        if let socketHost, !socketHost.isEmpty { host = socketHost }
        guard !host.isEmpty else { throw .missingHost }

        self.init(
            username: username,
            password: password,
            endpoint: host.hasPrefix("/") ? .unixSocket(directory: host, port: port) : .tcp(host: host, port: port),
            database: database,
            sslMode: sslMode ?? .prefer
        )
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`.
    private static func splitHostAndPort(_ text: Substring) throws(ParseError) -> (Substring, Substring?) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .missingHost }
            let host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw .badPort(String(after)) }
            return (host, after.dropFirst())
        }
        if let colon = text.lastIndex(of: ":") {
            return (text[..<colon], text[text.index(after: colon)...])
        }
        return (text, nil)
    }

    /// Percent-decodes `text` as UTF-8 (a `+` stays a plus, as in libpq).
    static func decode(_ text: Substring, _ part: String) throws(ParseError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex, utf8.index(after: first) < utf8.endIndex,
                    let high = Self.hexValue(utf8[first]), let low = Self.hexValue(utf8[utf8.index(after: first)])
                else { throw .badPercentEncoding(part) }
                bytes.append(high << 4 | low)
                index = utf8.index(first, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self), !decoded.contains("\0") else {
            throw .badPercentEncoding(part)
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
