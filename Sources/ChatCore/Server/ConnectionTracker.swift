import Synchronization

/// Every open connection, joined or not: enforces `--max-clients` and reaches everyone at shutdown.
final class ConnectionTracker: Sendable {
    private struct State {
        var connections: [ObjectIdentifier: Outbox] = [:]
        var isClosed = false
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Records a new connection; false when the server is full or shutting down.
    func admit(_ outbox: Outbox) -> Bool {
        self.state.withLock { state in
            guard !state.isClosed, state.connections.count < self.limit else { return false }
            state.connections[ObjectIdentifier(outbox)] = outbox
            return true
        }
    }

    /// Forgets a connection that has ended.
    func remove(_ outbox: Outbox) {
        _ = self.state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(outbox)) }
    }

    /// How many connections are open.
    var count: Int {
        self.state.withLock { $0.connections.count }
    }

    /// Refuses new connections from now on and returns the open ones.
    func closeAll() -> [Outbox] {
        self.state.withLock { state in
            state.isClosed = true
            return Array(state.connections.values)
        }
    }
}
