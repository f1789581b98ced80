import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real `server` executable, run as a child process on `127.0.0.1`, port 0, with stdin from `/dev/null`.
///
/// Its stdout and stderr are read on background threads as they come, so the pipes never fill;
/// ``start(dataDirectory:port:plugins:workingDirectory:arguments:timeout:)`` waits for the `listening on` line and
/// learns the port from it. Used by one test at a time (not `Sendable`). Being its own process, it has its own memory
/// figures in `/proc`.
public final class ServerProcess {
    /// The `server` binary built next to this test bundle, or the package's `.build/debug/server`; nil if neither.
    public static let binary: URL? = {
        var candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("server") }
        candidates.append(ServerProcess.packageRoot.appendingPathComponent(".build/debug/server"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The package's root directory (this file is `Sources/ChatTesting/ServerProcess.swift`).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Why the tests that need the real binary cannot run, when they cannot.
    public static let missingBinaryReason: Comment =
        "no `server` executable next to the test bundle or in .build/debug; run `swift build` first"

    /// The running server.
    public let process: Process
    private let output: OutputCollector
    private let errors: OutputCollector
    /// The port it listens on, once ``start(dataDirectory:port:plugins:workingDirectory:arguments:timeout:)``
    /// returned.
    public private(set) var port = 0
    /// The web port, when started with `--web-port`: from its `slashchat listening on HOST:PORT (web)` line.
    public private(set) var webPort: Int?

    /// The admin console's input, when launched with `console: true`.
    private var console: FileHandle?

    private init(process: Process, output: OutputCollector, errors: OutputCollector) {
        self.process = process
        self.output = output
        self.errors = errors
    }

    /// Where the server finds its plugins.
    public enum Plugins {
        /// An empty folder: no plugins.
        case none
        /// `--commands-dir PATH`.
        case folder(String)
        /// No `--commands-dir`: the server's default, `./commands`, relative to its working directory.
        case defaultFolder
    }

    /// Launches the server on `dataDirectory` and `port` (plus `arguments`), working in `workingDirectory` (by
    /// default the data directory); does not wait for anything. With `console`, its stdin is a pipe the test types
    /// admin console commands into (``typeInConsole(_:)``); otherwise it reads `/dev/null`.
    public static func launch(
        dataDirectory: String,
        port: Int = 0,
        plugins: Plugins = .none,
        workingDirectory: String? = nil,
        arguments: [String] = [],
        console: Bool = false
    ) throws -> ServerProcess {
        guard let binary = Self.binary else { throw ExpectationFailure("\(Self.missingBinaryReason)") }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["127.0.0.1", "\(port)", "--data-dir", dataDirectory]
        switch plugins {
        case .none: process.arguments! += ["--commands-dir", dataDirectory + "/no-commands"]
        case .folder(let path): process.arguments! += ["--commands-dir", path]
        case .defaultFolder: break
        }
        process.arguments! += arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory ?? dataDirectory)
        let consoleInput = console ? Pipe() : nil
        process.standardInput = consoleInput ?? FileHandle(forReadingAtPath: "/dev/null")
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try ProcessLaunch.run(process)
        let server = ServerProcess(
            process: process,
            output: OutputCollector(reading: stdout.fileHandleForReading),
            errors: OutputCollector(reading: stderr.fileHandleForReading)
        )
        server.console = consoleInput?.fileHandleForWriting
        return server
    }

    /// Types `line` into the admin console (launched with `console: true`).
    public func typeInConsole(_ line: String) throws {
        guard let console = self.console else { throw ExpectationFailure("the server was launched without console") }
        try console.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Launches the server and waits (at most `timeout`) until it says where it listens (and, with `--web-port`, where
    /// its web door listens).
    public static func start(
        dataDirectory: String,
        port: Int = 0,
        plugins: Plugins = .none,
        workingDirectory: String? = nil,
        arguments: [String] = [],
        console: Bool = false,
        timeout: Duration = TestTime.serverStartOrStop
    ) async throws -> ServerProcess {
        let server = try Self.launch(
            dataDirectory: dataDirectory,
            port: port,
            plugins: plugins,
            workingDirectory: workingDirectory,
            arguments: arguments,
            console: console
        )
        let wantsWeb = arguments.contains("--web-port")
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let lines = server.output.text.split(separator: "\n")
            if let line = lines.first(where: { $0.contains("listening on") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                let web = lines.first { $0.contains("listening on") && $0.hasSuffix(" (web)") }
                server.webPort = web?.dropLast(" (web)".count).split(separator: ":").last.flatMap { Int($0) }
                if !wantsWeb || server.webPort != nil {
                    server.port = port
                    return server
                }
            }
            if !server.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        server.kill()
        throw ExpectationFailure(
            "the server did not say `listening on` within \(timeout); stdout: \(server.output.text) "
                + "stderr: \(server.standardError)"
        )
    }

    /// Everything the server wrote to stdout so far.
    public var standardOutput: String {
        self.output.text
    }

    /// Everything the server wrote to stderr so far.
    public var standardError: String {
        self.errors.text
    }

    /// Waits at most `timeout` for the process to end (and its output to be read) and returns its exit status.
    public func waitForExit(timeout: Duration = TestTime.serverStartOrStop) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while self.process.isRunning || !self.output.isFinished || !self.errors.isFinished {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return self.process.terminationStatus
    }

    /// `kill -9`: the server gets no chance to flush or close anything. Waits until it is gone.
    public func kill() {
        guard self.process.isRunning else { return }
        sendSignal(SIGKILL, to: self.process.processIdentifier)
        // Polling, not waitUntilExit(): Foundation's Process on Linux can trip an exclusivity check when
        // waitUntilExit races its own termination handler.
        for _ in 0..<500 where self.process.isRunning {
            usleep(10_000)
        }
    }
}

/// `kill(2)`, out here where the name is not shadowed by ``ServerProcess/kill()``.
private func sendSignal(_ signal: Int32, to pid: Int32) {
    _ = kill(pid, signal)
}

/// Reads a pipe to its end on a thread of its own, keeping what arrives.
private final class OutputCollector: Sendable {
    private let data = LockedValue(Data())
    private let finished = LockedValue(false)

    init(reading handle: FileHandle) {
        let data = self.data
        let finished = self.finished
        // Plain read(2) on a duplicate of the descriptor: FileHandle's availableData trips an exclusivity check on
        // Linux when Foundation touches the same handle as the process ends.
        let descriptor = dup(handle.fileDescriptor)
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                data.withLock { $0.append(contentsOf: buffer[0..<count]) }
            }
            close(descriptor)
            finished.withLock { $0 = true }
        }
    }

    var text: String {
        String(decoding: self.data.value, as: UTF8.self)
    }

    var isFinished: Bool {
        self.finished.value
    }
}
