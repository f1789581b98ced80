import NIOCore
import Synchronization

/// Batches outbox drains per event loop: however many clients on a loop receive a message, the loop is woken once
/// and drains them all in one task, instead of one cross-thread hop per recipient.
final class DrainScheduler: Sendable {
    private static let schedulers = PerEventLoop { DrainScheduler(loop: $0) }

    /// The scheduler of `loop`, created on first use.
    static func shared(for loop: any EventLoop) -> DrainScheduler {
        Self.schedulers.of(loop)
    }

    private struct State {
        var dirty: [Outbox] = []
        var isScheduled = false
    }

    private let loop: any EventLoop
    private let state = Mutex(State())

    private init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Queues `outbox` for the next drain pass on this loop.
    func schedule(_ outbox: Outbox) {
        let wake = self.state.withLock { state in
            state.dirty.append(outbox)
            if state.isScheduled { return false }
            state.isScheduled = true
            return true
        }
        if wake {
            self.loop.execute { self.drainAll() }
        }
    }

    private func drainAll() {
        let dirty = self.state.withLock { state in
            let dirty = state.dirty
            state.dirty.removeAll(keepingCapacity: true)
            state.isScheduled = false
            return dirty
        }
        for outbox in dirty {
            outbox.drain()
        }
    }
}
