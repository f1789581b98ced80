import ChatTesting
import Synchronization

/// A bound on waits for events that may never come.
///
/// The tests wait for the event itself (a write, a close, a session's end), never for a stretch of time. But NIO's
/// and our waits (`waitForOutboundWrite`, `EventLoopFuture.get()`, `OpenConnections.waitUntilNoneAreOpen()`) resume
/// only when their event comes and ignore cancellation, so a regression would hang the whole run, and Swift Testing's
/// time limit could not end it. Past ``limit`` the test fails instead, naming what it waited for.
enum Patience {
    /// Far longer than any of these events takes, even on a loaded machine; reached only when one never comes.
    static let limit = Duration.seconds(10)

    /// What `wait` returns, or an ``ExpectationFailure`` naming `event` once ``limit`` has passed without it.
    static func wait<Value: Sendable>(
        for event: String,
        _ wait: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let outcome = FirstOutcome<Value>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.store(continuation)
            let timer = Task {
                try await Task.sleep(for: Self.limit)
                outcome.resume(with: .failure(ExpectationFailure("\(event) did not happen within \(Self.limit)")))
            }
            Task {
                do {
                    outcome.resume(with: .success(try await wait()))
                } catch {
                    outcome.resume(with: .failure(error))
                }
                timer.cancel()
            }
        }
    }
}

/// Resumes a continuation with whichever outcome comes first: the event, or the end of the test's patience.
private final class FirstOutcome<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, any Error>?>(nil)

    func store(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(with result: Result<Value, any Error>) {
        let waiting = self.continuation.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }
}
