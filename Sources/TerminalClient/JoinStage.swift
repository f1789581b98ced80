import Synchronization

/// How far a connection has got with joining, shared by the reader (which learns it from the server) and the
/// pump (which waits on it before sending a typed line).
final class JoinStage: Sendable {
    enum Stage: Sendable, Equatable {
        /// Waiting for the server: before its first question, or while it checks an answer.
        case waiting
        /// The server asked the person something (a password, a nickname again): the next line answers it.
        case asked
        /// Joined: typed lines are chat.
        case joined
        /// The connection is over.
        case over
    }

    private struct State {
        var stage = Stage.waiting
        var waiter: CheckedContinuation<Stage, Never>?
    }

    private let state = Mutex(State())

    var current: Stage { self.state.withLock { $0.stage } }

    /// Moves to `stage` (nothing moves on from ``Stage/over``) and wakes the pump if it waits for a decision.
    func set(_ stage: Stage) {
        let woken: (CheckedContinuation<Stage, Never>, Stage)? = self.state.withLock { state in
            guard state.stage != .over else { return nil }
            state.stage = stage
            guard stage != .waiting, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, stage)
        }
        if let (waiter, stage) = woken { waiter.resume(returning: stage) }
    }

    /// The stage once it is not ``Stage/waiting``; ``Stage/over`` when the task is cancelled first. One waiter at a
    /// time (the pump).
    func decided() async -> Stage {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: Stage? = self.state.withLock { state in
                    if state.stage != .waiting { return state.stage }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.set(.over)
        }
    }
}

/// The ending the server's last words announced, set by the reader, read once the connection is over.
final class LockedEnding: Sendable {
    private let value = Mutex<ChatClient.Ending?>(nil)

    func set(_ ending: ChatClient.Ending) {
        self.value.withLock { $0 = ending }
    }

    var ending: ChatClient.Ending? { self.value.withLock { $0 } }
}
