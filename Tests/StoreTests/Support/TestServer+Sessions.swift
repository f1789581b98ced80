import ChatCore
import ChatTesting

extension TestServer {
    /// Waits until the hub has let `nickname` go (a closed connection leaves a moment after its close).
    func waitUntilGone(_ nickname: String, timeout: Duration = TestTime.expected) async throws {
        let deadline = ContinuousClock.now + timeout
        while await self.server.hub.sessionID(of: nickname) != nil {
            guard ContinuousClock.now < deadline else {
                throw ExpectationFailure("\(nickname) was still connected \(timeout) after leaving")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Joins as `nickname`, registers it with `password` and quits, waiting until the server has let it go (and
    /// saved the account's place in the history).
    func registerAndLeave(_ nickname: String, password: String) async throws {
        let client = try await self.join(nickname)
        try await client.register(password: password)
        try await client.quit()
        try await self.waitUntilGone(nickname)
    }
}
