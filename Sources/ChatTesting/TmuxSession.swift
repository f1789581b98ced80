import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program running in a detached tmux session of its own (its own server socket, so nothing else is touched): keys
/// typed into it, its screen read back, its exit status once it ends. For terminal programs: irssi, OpenSSH's `ssh`.
public struct TmuxSession: Sendable {
    /// Where tmux is installed, if it is.
    public static let executable = CommandRun.find("tmux")

    let tmux: String
    let socket: String

    private static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        return environment
    }()

    /// Runs `command` (an argv, no shell) in a new `columns`×50 session, runs `body`, and ends the session. The pane
    /// stays after the program exits, so its exit status can be read (``exitStatus()``).
    public static func with<Result>(
        in directory: String,
        running command: [String],
        columns: Int = 160,
        _ body: (TmuxSession) async throws -> Result
    ) async throws -> Result {
        try await HeavyWork.inTurn { try await Self.run(in: directory, running: command, columns: columns, body) }
    }

    private static func run<Result>(
        in directory: String,
        running command: [String],
        columns: Int,
        _ body: (TmuxSession) async throws -> Result
    ) async throws -> Result {
        let tmux = try #require(Self.executable, "tmux is not installed")
        let session = TmuxSession(tmux: tmux, socket: "\(directory)/tmux.sock")
        // The session starts with a placeholder, so the option that keeps a finished program's pane is set before
        // the program runs: a quick exit would otherwise take its status with it.
        try await session.run(["new-session", "-d", "-s", "test", "-x", "\(columns)", "-y", "50", "cat"])
        let server = try await session.run(["display-message", "-p", "#{pid}"])
        do {
            try await session.run(["set-option", "-t", "test", "remain-on-exit", "on"])
            try await session.run(["respawn-pane", "-k", "-t", "test"] + Self.reportingExit(command))
            let result = try await body(session)
            session.end(server: server)
            return result
        } catch {
            session.end(server: server)
            throw error
        }
    }

    /// What the wrapper prints, on a line of its own, before the exit status of the program it ran.
    static let exitMarker = "tmux-test-program-exit-status="

    /// `command` run by a shell that prints ``exitMarker`` and its exit status when it ends. tmux 3.3a at times marks
    /// a pane dead and never reports its program's status (`pane_dead_status` stayed empty for 30 s in about one
    /// run in three of the OpenSSH test, with ssh long gone), so the status is read off the screen instead. The
    /// command goes to the shell as arguments (`"$@"`), never inside its script.
    private static func reportingExit(_ command: [String]) -> [String] {
        ["/bin/sh", "-c", #""$@"; echo "\#(Self.exitMarker)$?""#, "sh"] + command
    }

    /// Ends the tmux server (and with it the program, which gets SIGHUP) by its process id: it is not this process's
    /// child, and must not outlive the test.
    private func end(server: String) {
        guard let pid = pid_t(server.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return }
        kill(pid, SIGTERM)
    }

    /// Types `text`, then Enter.
    public func type(_ text: String) async throws {
        try await self.typeWithoutEnter(text)
        try await self.press("Enter")
    }

    /// Types `text` as it is, without Enter.
    public func typeWithoutEnter(_ text: String) async throws {
        try await self.run(["send-keys", "-t", "test", "-l", text])
    }

    /// Presses one key by tmux's name for it: `Enter`, `Tab`, `C-c`, `C-d`.
    public func press(_ key: String) async throws {
        try await self.run(["send-keys", "-t", "test", key])
    }

    /// The visible screen, one string per row (trailing spaces dropped by tmux), after the last 500 rows that
    /// scrolled off it when `scrollback`.
    public func screen(scrollback: Bool = false) async throws -> [String] {
        let range = scrollback ? ["-S", "-500"] : []
        return try await self.run(["capture-pane", "-p", "-t", "test"] + range).components(separatedBy: "\n")
    }

    /// Waits until the visible screen (and what scrolled off it) shows `text`.
    public func waitForScreen(containing text: String) async throws {
        try await self.waitForScreen("\"\(text)\"", scrollback: true) { $0.joined(separator: "\n").contains(text) }
    }

    /// Waits until the visible screen (after what scrolled off it, when `scrollback`) satisfies `condition`;
    /// `what` names it should it never.
    public func waitForScreen(
        _ what: String,
        scrollback: Bool = false,
        _ condition: @escaping @Sendable ([String]) -> Bool
    ) async throws {
        var shown: [String] = []
        let met = try await Deadline.poll(within: TestTime.expected, every: .milliseconds(200)) {
            shown = try await self.screen(scrollback: scrollback)
            return condition(shown)
        }
        guard met else {
            throw ExpectationFailure("the screen never showed \(what); it showed:\n\(shown.joined(separator: "\n"))")
        }
    }

    /// Waits until the program has exited; returns its exit status (128 + the signal's number when a signal
    /// ended it), as the wrapper ``exitMarker`` printed it.
    public func exitStatus() async throws -> Int {
        var status: Int?
        let ended = try await Deadline.poll(within: TestTime.expected, every: .milliseconds(200)) {
            let screen = try await self.screen(scrollback: true)
            status =
                screen.lazy.compactMap { line in
                    line.hasPrefix(Self.exitMarker) ? Int(line.dropFirst(Self.exitMarker.count)) : nil
                }.last
            return status != nil
        }
        guard ended, let status else {
            let screen = try await self.screen(scrollback: true).joined(separator: "\n")
            throw ExpectationFailure("the program in tmux did not exit; the screen:\n\(screen)")
        }
        return status
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
