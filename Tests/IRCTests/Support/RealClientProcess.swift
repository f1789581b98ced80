import ChatTesting
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real program the tests drive (weechat-headless, tmux), started with an argv (never a shell) and stopped when the
/// test ends, whatever happened.
final class RealClientProcess: Sendable {
    private let process: Process

    /// Starts `executable arguments` with its output thrown away (what the tests read, the program writes to files).
    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ProcessLaunch.run(process)
        self.process = process
    }

    var isRunning: Bool { self.process.isRunning }

    /// SIGTERM, a moment to go, then SIGKILL.
    func stop() async {
        guard self.process.isRunning else { return }
        self.process.terminate()
        if await Deadline.poll(within: .seconds(5), { !self.process.isRunning }) { return }
        kill(self.process.processIdentifier, SIGKILL)
        _ = await Deadline.poll(within: .seconds(5)) { !self.process.isRunning }
    }

    /// Runs `body` with a started program, and stops it afterwards.
    static func with<Result>(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        _ body: (RealClientProcess) async throws -> Result
    ) async throws -> Result {
        try await HeavyWork.inTurn { try await Self.run(executable, arguments, environment: environment, body) }
    }

    private static func run<Result>(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]?,
        _ body: (RealClientProcess) async throws -> Result
    ) async throws -> Result {
        let process = try RealClientProcess(executable, arguments, environment: environment)
        do {
            let result = try await body(process)
            await process.stop()
            return result
        } catch {
            await process.stop()
            throw error
        }
    }
}

/// Waits (at most `TestTime.expected`) until `file` exists and its text satisfies `condition`; throws with what it
/// held.
func waitForText(in file: String, _ what: String, _ condition: (String) -> Bool) async throws {
    var text = ""
    let found = await Deadline.poll(within: TestTime.expected, every: .milliseconds(100)) {
        guard let read = try? String(contentsOfFile: file, encoding: .utf8) else { return false }
        text = read
        return condition(text)
    }
    guard found else { throw ExpectationFailure("\(file) never showed \(what); it held:\n\(text)") }
}
