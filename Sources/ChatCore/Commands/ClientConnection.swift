import Synchronization

/// The caller's connection as commands see it: where its output goes, and what it has been asked to do.
public final class ClientConnection: Sendable {
    /// The connection's output queue and wire format.
    public let outbox: Outbox
    private let quitReason = Mutex<String??>(.none)

    public init(outbox: Outbox) {
        self.outbox = outbox
    }

    /// Asks the connection to say goodbye and close, telling the room `reason`.
    public func requestQuit(reason: String?) {
        self.quitReason.withLock { $0 = .some(reason) }
    }

    /// `.none` while no quit was requested; otherwise the (optional) reason to tell the room.
    public var quitRequest: String?? {
        self.quitReason.withLock { $0 }
    }
}
