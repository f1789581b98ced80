import Synchronization

/// The database did not answer within the time a cluster call may take.
struct TimeLimitExceeded: Error, CustomStringConvertible {
    let limit: Duration

    var description: String { "the database did not answer within \(limit.components.seconds) seconds" }
}

/// Runs `operation`, giving up after `limit`: the caller gets ``TimeLimitExceeded`` and goes on, while the operation
/// is cancelled and left to end on its own. Not a task group, which would wait for a child that ignores cancellation
/// (a query queued in a pool whose database is gone can wait a long time): the point is that the caller never does.
func withTimeLimit<Value: Sendable>(
    _ limit: Duration,
    _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let outcome = FirstOutcome(continuation)
        let work = Task {
            try await operation()
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            outcome.resume(with: .failure(TimeLimitExceeded(limit: limit)))
            work.cancel()
        }
        Task {
            let result = await work.result
            timer.cancel()
            outcome.resume(with: result)
        }
    }
}

/// A continuation resumed by whichever of two racers comes first; the second is ignored.
private final class FirstOutcome<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<Value, any Error>) {
        self.continuation.withLock { waiting in
            waiting?.resume(with: result)
            waiting = nil
        }
    }
}
