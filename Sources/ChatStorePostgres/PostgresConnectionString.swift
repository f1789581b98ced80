/// Where the PostgreSQL store lives, read from a libpq-style URL (`--postgres URL` or `SLASHCHAT_POSTGRES`):
/// `postgres://USER:PASS@HOST:PORT/DB?sslmode=disable|prefer|require|verify-ca|verify-full`.
///
/// The user name, password, host and database are percent-decoded; the port defaults to 5432. A Unix socket is named
/// by its directory, as libpq does: `?host=/var/run/postgresql`, or a percent-encoded path as the host
/// (`postgres://%2Fvar%2Frun%2Fpostgresql/chat`); the socket is then `DIR/.s.PGSQL.PORT`.
public struct PostgresConnectionString: Sendable, Equatable {
    /// How the connection uses TLS, as libpq's `sslmode` (`allow` is not offered: it is `prefer` the other way round).
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP only.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS always, without checking the server's certificate.
        case require
        /// TLS always, with a certificate signed by a trusted authority (any host name).
        case verifyCA = "verify-ca"
        /// TLS always, with a trusted certificate for the host name.
        case verifyFull = "verify-full"
    }

    /// Where the server listens.
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file's directory and the port that names the file in it.
        case unixSocket(directory: String, port: Int)
    }

    public var username: String
    public var password: String?
    public var endpoint: Endpoint
    /// The database; nil means the user's name, as libpq does.
    public var database: String?
    public var sslMode: SSLMode

    public init(
        username: String,
        password: String? = nil,
        endpoint: Endpoint,
        database: String? = nil,
        sslMode: SSLMode = .prefer
    ) {
        self.username = username
        self.password = password
        self.endpoint = endpoint
        self.database = database
        self.sslMode = sslMode
    }

    /// The socket file a Unix-socket endpoint names, `DIR/.s.PGSQL.PORT` (nil for TCP).
    public var unixSocketPath: String? {
        guard case .unixSocket(let directory, let port) = self.endpoint else { return nil }
        return (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/.s.PGSQL.\(port)"
    }

    /// The URL without its password, for logs and error messages.
    public var redacted: String {
        let user = self.username + (self.password == nil ? "" : ":***")
        let database = self.database.map { "/" + $0 } ?? ""
        switch self.endpoint {
        case .tcp(let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "postgres://\(user)@\(shownHost):\(port)\(database)?sslmode=\(self.sslMode.rawValue)"
        case .unixSocket(let directory, let port):
            return "postgres://\(user)@:\(port)\(database)?host=\(directory)&sslmode=\(self.sslMode.rawValue)"
        }
    }
}
