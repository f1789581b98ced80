import ChatTesting
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of `Scripts/browser_scenarios.py`: a named scenario in headless Chromium against a running server.
struct BrowserScenario {
    /// How a run ended.
    struct Outcome {
        /// The script's exit status; nil when it had to be stopped.
        let status: Int32?
        /// Its stdout and stderr: `PASS NAME` or `FAIL NAME: why`, and a traceback for an unexpected error.
        let output: String

        var passed: Bool { self.status == 0 && self.output.contains("PASS ") }
    }

    /// The script, next to this folder.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/browser_scenarios.py").path

    /// Where the screenshots go: `$SLASHCHAT_ARTIFACTS/browser`, or `.build/browser-artifacts` in the package.
    static let artifacts: String = {
        if let folder = ProcessInfo.processInfo.environment["SLASHCHAT_ARTIFACTS"], !folder.isEmpty {
            return folder + "/browser"
        }
        return ServerProcess.packageRoot.appendingPathComponent(".build/browser-artifacts").path
    }()

    /// How long one scenario may take in all: each of its waits has a minute, and it has a few of them.
    static let timeLimit = TestTime.scaled(.seconds(300))

    let name: String
    let webPort: Int
    let tcpPort: Int
    /// The scenario's scratch folder: its output, the browsers' profiles, the restart hand-shake files.
    let directory: String

    /// Runs the scenario to its end, calling `whileRunning` every 100 ms meanwhile (the reconnect test restarts the
    /// server from there).
    func run(whileRunning: () async throws -> Void = {}) async throws -> Outcome {
        try await HeavyWork.inTurn { try await self.runInTurn(whileRunning: whileRunning) }
    }

    private func runInTurn(whileRunning: () async throws -> Void) async throws -> Outcome {
        guard let python = BrowserTools.python else { throw ExpectationFailure("no python3 with selenium") }
        let outputPath = self.directory + "/browser-\(self.name).log"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        guard let output = FileHandle(forWritingAtPath: outputPath) else {
            throw ExpectationFailure("cannot write \(outputPath)")
        }
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            Self.script, self.name,
            "--web-port", "\(self.webPort)",
            "--tcp-port", "\(self.tcpPort)",
            "--artifacts", Self.artifacts,
            "--control-dir", self.directory,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["PYTHONUNBUFFERED"] = "1"
        environment["SLASHCHAT_TEST_TIME_SCALE"] = "\(TestTime.scale)"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        // A file, not a pipe: nothing has to read it while the script runs, and it stays for a post-mortem.
        process.standardOutput = output
        process.standardError = output
        try ProcessLaunch.run(process)
        let deadline = ContinuousClock.now + Self.timeLimit
        var stopped = false
        while process.isRunning {
            if ContinuousClock.now > deadline {
                stopped = true
                Self.stop(process)
                break
            }
            try await whileRunning()
            try await Task.sleep(for: .milliseconds(100))
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        if stopped {
            return Outcome(status: nil, output: text + "\n(stopped after \(Self.timeLimit))")
        }
        return Outcome(status: process.terminationStatus, output: text)
    }

    /// SIGINT first, so the script's `finally` closes its browsers; SIGKILL if it is still there after 10 s.
    private static func stop(_ process: Process) {
        _ = kill(process.processIdentifier, SIGINT)
        for _ in 0..<1000 where process.isRunning {
            usleep(10_000)
        }
        if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<500 where process.isRunning {
            usleep(10_000)
        }
    }
}
