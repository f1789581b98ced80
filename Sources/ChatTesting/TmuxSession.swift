import ChatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program running in a detached tmux session of its own (its own server socket, so nothing else is touched): keys
/// typed into it, its screen read back. For terminal programs such as irssi.
struct TmuxSession: Sendable {
    let tmux: String
    let socket: String

    private static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        return environment
    }()

    /// Runs `command` (an argv, no shell) in a new 160x50 session, runs `body`, and ends the session.
    static func with<Result>(
        in directory: String,
        running command: [String],
        _ body: (TmuxSession) async throws -> Result
    ) async throws -> Result {
        try await HeavyWork.inTurn { try await Self.run(in: directory, running: command, body) }
    }

    private static func run<Result>(
        in directory: String,
        running command: [String],
        _ body: (TmuxSession) async throws -> Result
    ) async throws -> Result {
        let tmux = try #require(RealIRCClients.tmux, "tmux is not installed")
        let session = TmuxSession(tmux: tmux, socket: "\(directory)/tmux.sock")
        try await session.run(["new-session", "-d", "-s", "test", "-x", "160", "-y", "50"] + command)
        let server = try await session.run(["display-message", "-p", "#{pid}"])
        do {
            let result = try await body(session)
            session.end(server: server)
            return result
        } catch {
            session.end(server: server)
            throw error
        }
    }

    /// Ends the tmux server (and with it the program, which gets SIGHUP) by its process id: it is not this process's
    /// child, and must not outlive the test.
    private func end(server: String) {
        guard let pid = pid_t(server.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return }
        kill(pid, SIGTERM)
    }

    /// Types `text`, then Enter.
    func type(_ text: String) async throws {
        try await self.run(["send-keys", "-t", "test", "-l", text])
        try await self.run(["send-keys", "-t", "test", "Enter"])
    }

    /// Waits until the visible screen (and what scrolled off it) shows `text`.
    func waitForScreen(containing text: String) async throws {
        var screen = ""
        let shown = try await Deadline.poll(within: TestTime.expected, every: .milliseconds(200)) {
            screen = try await self.run(["capture-pane", "-p", "-t", "test", "-S", "-500"])
            return screen.contains(text)
        }
        guard shown else { throw ExpectationFailure("the screen never showed \"\(text)\"; it showed:\n\(screen)") }
    }

    @discardableResult
    private func run(_ arguments: [String]) async throws -> String {
        let (status, output) = try await SpawnedCommand.run(
            [self.tmux, "-S", self.socket] + arguments,
            environment: Self.environment
        )
        guard status == 0 else {
            throw ExpectationFailure("tmux \(arguments.joined(separator: " ")) exited \(status): \(output)")
        }
        return output
    }
}
