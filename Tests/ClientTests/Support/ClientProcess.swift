import ChatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real `client` executable, run on a ``PseudoTerminal`` so it takes its interactive path: raw mode, the prompt
/// line, reconnecting.
final class ClientProcess {
    /// The `client` built next to the test bundle (`swift build --build-tests` builds it), if there is one.
    static let executable: URL? = {
        var directories = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() {
            directories.append(bundle)
        }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return directories.map { $0.appendingPathComponent("client") }.first {
            FileManager.default.isExecutableFile(atPath: $0.path)
        }
    }()

    /// Why the end-to-end tests cannot run, for their `.enabled(if:)` trait.
    static let missingExecutableComment: Comment =
        "the client executable was not found next to the test bundle; build it with `swift build --build-tests`"

    let terminal: PseudoTerminal
    private let process: Process

    /// Starts `client 127.0.0.1 PORT NICKNAME` on a new pseudo-terminal of the given size.
    convenience init(port: Int, nickname: String, rows: Int = 30, columns: Int = 100) throws {
        try self.init(port: port, nickname: nickname, terminal: PseudoTerminal(rows: rows, columns: columns))
    }

    /// Starts `client HOST PORT NICKNAME [arguments]` on `terminal`, which it then owns (``stop()`` closes it), with
    /// `environment` added to this process's.
    init(
        host: String = "127.0.0.1",
        port: Int,
        nickname: String,
        arguments: [String] = [],
        environment extraEnvironment: [String: String] = [:],
        terminal: PseudoTerminal
    ) throws {
        guard let executable = Self.executable else {
            terminal.close()
            throw ExpectationFailure(Self.missingExecutableComment.rawValue)
        }
        let handle = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: false)
        let process = Process()
        process.executableURL = executable
        process.arguments = [host, "\(port)", nickname] + arguments
        var environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        environment["TERM"] = "xterm-256color"
        environment["NO_COLOR"] = nil
        process.environment = environment
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        do {
            try ProcessLaunch.run(process)
        } catch {
            terminal.close()
            throw error
        }
        self.terminal = terminal
        self.process = process
    }

    var isRunning: Bool {
        self.process.isRunning
    }

    /// The screen now.
    var screen: VirtualScreen {
        self.terminal.screen
    }

    /// Sends the client a signal, as a terminal does (SIGWINCH after a resize) or a user (SIGTERM).
    func send(signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Types text (or raw bytes) at the client's keyboard.
    func type(_ text: String) {
        self.terminal.type(text)
    }

    func type(_ bytes: [UInt8]) {
        self.terminal.type(bytes)
    }

    /// Waits (at most `timeout`) until the screen satisfies `predicate`.
    /// - Returns: that screen.
    @discardableResult
    func waitForScreen(
        _ description: String,
        timeout: Duration = TestTime.expected,
        where predicate: (VirtualScreen) -> Bool
    ) async throws -> VirtualScreen {
        var latest = self.screen
        let matched = await Deadline.poll(within: timeout) {
            latest = self.screen
            return predicate(latest)
        }
        guard matched else {
            throw ExpectationFailure("the screen never showed \(description) within \(timeout):\n\(latest)")
        }
        return latest
    }

    /// Waits until some line on the screen (or scrolled off it) contains `text`.
    @discardableResult
    func waitForLine(containing text: String, timeout: Duration = TestTime.expected) async throws -> VirtualScreen {
        try await self.waitForScreen("a line containing \"\(text)\"", timeout: timeout) { screen in
            screen.history.contains { $0.contains(text) }
        }
    }

    /// Waits (at most `timeout`) for the client to exit.
    /// - Returns: its exit status, or nil if it is still running.
    func waitForExit(timeout: Duration = TestTime.expected) async -> Int32? {
        guard await Deadline.poll(within: timeout, { !self.process.isRunning }) else { return nil }
        return self.process.terminationStatus
    }

    /// Ends the client if it is still running (SIGTERM, then SIGKILL) and closes the terminal.
    func stop() {
        if self.process.isRunning {
            self.process.terminate()
            let deadline = Date().addingTimeInterval(2)
            while self.process.isRunning, Date() < deadline {
                usleep(10_000)
            }
            if self.process.isRunning {
                kill(self.process.processIdentifier, SIGKILL)
                self.process.waitUntilExit()
            }
        }
        self.terminal.close()
    }
}
