import ChatCore
import Synchronization

/// Counts a listener's connections from accept until their session has finished, so the listener's `run()` can
/// return only once every session it started has left the hub (a registered user's place in the history is
/// saved when they leave, and shutdown must not cut that short).
package final class OpenConnections: Sendable {
    private struct State {
        var count = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    /// The same count, as the `slashchat_connections` metric of this listener's door.
    private let gauge: ChatMetrics.ConnectionGauge?

    /// - Parameter transport: the door's name in the metrics (`tcp`, `tls`, `web`); none when nil.
    package init(transport: String? = nil) {
        self.gauge = transport.map { ChatMetrics.connections(transport: $0) }
    }

    package func opened() {
        self.state.withLock { $0.count += 1 }
        self.gauge?.opened()
    }

    package func closed() {
        self.gauge?.closed()
        let released: [CheckedContinuation<Void, Never>] = self.state.withLock { state in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in released { waiter.resume() }
    }

    /// Returns once no connection is open (at once when none is).
    package func waitUntilNoneAreOpen() async {
        await withCheckedContinuation { continuation in
            let isIdle = self.state.withLock { state in
                if state.count == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if isIdle { continuation.resume() }
        }
    }
}
