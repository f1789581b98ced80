/// Bounded polling, for conditions that something outside the test (a process, a socket, an actor) makes true.
public enum Deadline {
    /// Checks `condition` every few milliseconds until it holds or `timeout` passes.
    /// - Returns: whether it held in time.
    public static func poll(
        within timeout: Duration,
        every interval: Duration = .milliseconds(20),
        _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: interval)
        }
    }
}
