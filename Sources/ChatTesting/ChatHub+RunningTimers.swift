import ChatCore

extension ChatHub {
    /// Runs `body` while the hub's timers run, as ``ChatServer`` runs them for its lifetime: for tests that drive a
    /// hub (and sessions) without a server. Join notices, for one, wait on a timer.
    public nonisolated func withTimersRunning<Result: Sendable>(
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.timers.run() }
            defer { self.timers.stop() }
            return try await body()
        }
    }
}
