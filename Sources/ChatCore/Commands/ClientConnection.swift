import Synchronization

/// The caller's connection as commands see it: where its output goes, and what it has been asked to do.
public final class ClientConnection: Sendable {
    /// The connection's output queue and wire format.
    public let outbox: Outbox
    private let quitReason = Mutex<String??>(.none)
    /// Program-backed commands (plugins, PATH tools) a user may start: 5 in a row, then one every 2 seconds.
    private let externalRuns = Mutex(TokenBucket(rate: 0.5, burst: 5))

    public init(outbox: Outbox) {
        self.outbox = outbox
    }

    /// Asks the connection to say goodbye and close, telling the room `reason`.
    public func requestQuit(reason: String?) {
        self.quitReason.withLock { $0 = .some(reason) }
    }

    /// Takes a token for running an external program; non-zero means "cooling down, wait this long".
    public func takeExternalRunToken() -> Duration {
        self.externalRuns.withLock { bucket in
            let wait = bucket.take()
            if wait > .zero {
                bucket.giveBack()
            }
            return wait
        }
    }

    /// `.none` while no quit was requested; otherwise the (optional) reason to tell the room.
    public var quitRequest: String?? {
        self.quitReason.withLock { $0 }
    }
}
