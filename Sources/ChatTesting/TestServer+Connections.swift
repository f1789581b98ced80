import ChatCore
import Testing

extension TestServer {
    /// Waits until the server counts `expected` open connections (at most ``TestTime/expected``), and records an
    /// issue when it never does. Connections are counted and let go on the server's own time, a moment after the
    /// client's connect or close returned.
    public func waitForConnectionCount(_ expected: Int) async {
        let reached = await Deadline.poll(within: TestTime.expected) { self.server.connectionCount == expected }
        if !reached {
            Issue.record("the server counts \(self.server.connectionCount) connections, not \(expected)")
        }
    }
}
