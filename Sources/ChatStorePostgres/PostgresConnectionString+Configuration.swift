import NIOCore
import NIOSSL
import PostgresNIO

/// The connection string as postgres-nio's configurations: the pool's (``PostgresClient``) and a single connection's
/// (start-up checks and migrations).
extension PostgresConnectionString {
    /// The TLS settings `sslmode` stands for, as a client TLS configuration (nil for `disable`).
    var tlsConfiguration: TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch self.sslMode {
        case .disable:
            return nil
        case .prefer, .require:
            configuration.certificateVerification = .none
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
        }
        return configuration
    }

    /// The pool's configuration (TLS as `sslmode` says).
    public func clientConfiguration(connectTimeout: Duration) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch self.endpoint {
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS =
                switch (self.sslMode, self.tlsConfiguration) {
                case (.disable, _), (_, nil): .disable
                case (.prefer, let settings?): .prefer(settings)
                case (_, let settings?): .require(settings)
                }
            configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: self.username,
                password: self.password,
                database: self.database,
                tls: tls
            )
        case .unixSocket:
            configuration = PostgresClient.Configuration(
                unixSocketPath: self.unixSocketPath ?? "",
                username: self.username,
                password: self.password,
                database: self.database
            )
        }
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// A single connection's configuration, e.g. for one that holds `LISTEN` (its TLS context is built here, so a
    /// bad one fails here).
    public func connectionConfiguration(connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch self.endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            if let settings = self.tlsConfiguration {
                let context = try NIOSSLContext(configuration: settings)
                tls = self.sslMode == .prefer ? .prefer(context) : .require(context)
            } else {
                tls = .disable
            }
            configuration = PostgresConnection.Configuration(
                host: host,
                port: port,
                username: self.username,
                password: self.password,
                database: self.database,
                tls: tls
            )
        case .unixSocket:
            configuration = PostgresConnection.Configuration(
                unixSocketPath: self.unixSocketPath ?? "",
                username: self.username,
                password: self.password,
                database: self.database
            )
        }
        configuration.options.connectTimeout = TimeAmount.nanoseconds(
            connectTimeout.components.seconds * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000
        )
        return configuration
    }
}
