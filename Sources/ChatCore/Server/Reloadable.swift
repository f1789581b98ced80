/// Something the server re-reads on SIGHUP and the console's `reload`, without a restart (a renewed TLS
/// certificate, say). What is already running keeps what it has; only new work sees the reloaded version.
public protocol Reloadable: Sendable {
    /// Re-reads it; returns one line saying what happened, for the console and the log. A failure keeps the old
    /// version and says why, it never stops the server.
    func reload() async -> ReloadOutcome
}

/// What one ``Reloadable/reload()`` did.
public struct ReloadOutcome: Sendable, Equatable {
    /// One line for the console and the log.
    public let message: String
    /// False when the reload failed and the old version stays.
    public let succeeded: Bool

    public init(message: String, succeeded: Bool) {
        self.message = message
        self.succeeded = succeeded
    }
}
