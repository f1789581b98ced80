import NIOCore
import Synchronization

/// Batches outbox drains per event loop: however many clients on a loop receive a message, the loop is woken once
/// and drains them all in one task, instead of one cross-thread hop per recipient.
final class DrainScheduler: Sendable {
    private static let schedulers = Mutex<[ObjectIdentifier: DrainScheduler]>([:])

    /// The scheduler of `loop`, created on first use. Event loops live as long as the server, so the table stays
    /// as small as the number of loops.
    static func shared(for loop: any EventLoop) -> DrainScheduler {
        Self.schedulers.withLock { schedulers in
            let key = ObjectIdentifier(loop)
            if let existing = schedulers[key] { return existing }
            let scheduler = DrainScheduler(loop: loop)
            schedulers[key] = scheduler
            return scheduler
        }
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
