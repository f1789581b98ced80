import Synchronization

/// A first-in, first-out queue whose reader waits at most a given time, so a silent server fails a test instead of
/// hanging it.
///
/// One producer pushes (a channel reader, a server callback); one consumer at a time calls ``next(timeout:)``.
/// Unlike `AsyncStream`, a timed-out wait leaves the queue usable: nothing is cancelled, the waiter is just resumed.
public final class TimedQueue<Element: Sendable>: Sendable {
    /// What a wait produced.
    public enum Outcome: Sendable {
        /// The next element.
        case element(Element)
        /// The producer finished and everything pushed before has been taken.
        case finished
        /// Nothing arrived in time.
        case timedOut
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Outcome, Never>
        var timer: Task<Void, Never>?
    }

    private struct State {
        var buffer: [Element] = []
        var head = 0
        public var isFinished = false
        var waiter: Waiter?
        var nextWaiterID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// An empty queue.
    public init() {}

    /// Adds an element, waking the waiting reader if there is one. Ignored once finished.
    public func push(_ element: Element) {
        let waiter: Waiter? = self.state.withLock { state in
            guard !state.isFinished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.buffer.append(element)
            return nil
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: .element(element))
    }

    /// Ends the queue: once the buffered elements are taken, every wait returns ``Outcome/finished``.
    public func finish() {
        let waiter: Waiter? = self.state.withLock { state in
            state.isFinished = true
            defer { state.waiter = nil }
            return state.head == state.buffer.count ? state.waiter : nil
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: .finished)
    }

    /// True once ``finish()`` was called, whether or not elements are still buffered.
    public var isFinished: Bool {
        self.state.withLock { $0.isFinished }
    }

    /// The next element, waiting at most `timeout` for one.
    public func next(timeout: Duration) async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let registered: (id: UInt64, immediate: Outcome?) = self.state.withLock { state in
                if state.head < state.buffer.count {
                    let element = state.buffer[state.head]
                    state.head += 1
                    if state.head > 1024, state.head * 2 > state.buffer.count {
                        state.buffer.removeFirst(state.head)
                        state.head = 0
                    }
                    return (0, .element(element))
                }
                if state.isFinished {
                    return (0, .finished)
                }
                precondition(state.waiter == nil, "TimedQueue supports one reader at a time")
                state.nextWaiterID += 1
                state.waiter = Waiter(id: state.nextWaiterID, continuation: continuation)
                return (state.nextWaiterID, nil)
            }
            if let immediate = registered.immediate {
                continuation.resume(returning: immediate)
                return
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                self.expire(waiterID: registered.id)
            }
            let stillWaiting = self.state.withLock { state in
                guard state.waiter?.id == registered.id else { return false }
                state.waiter?.timer = timer
                return true
            }
            if !stillWaiting {
                timer.cancel()
            }
        }
    }

    private func expire(waiterID: UInt64) {
        let waiter: Waiter? = self.state.withLock { state in
            guard let waiter = state.waiter, waiter.id == waiterID else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume(returning: .timedOut)
    }
}
