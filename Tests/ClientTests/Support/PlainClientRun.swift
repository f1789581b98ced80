import ChatTesting
import Foundation
import Testing

/// Runs the real `client` executable without a terminal (stdin, stdout and stderr are files), the way a script runs
/// it: what it printed where, and how it exited.
enum PlainClientRun {
    /// Runs `client HOST PORT NICKNAME [arguments]` with `input` on stdin and colours off (and `environment` added),
    /// and waits for it to exit; killed (and the test failed) after `timeout`.
    static func run(
        host: String = "127.0.0.1",
        port: Int,
        nickname: String,
        arguments: [String] = [],
        environment extraEnvironment: [String: String] = [:],
        input: String = "",
        timeout: Duration = TestTime.process
    ) async throws -> CommandRun {
        guard let executable = ClientProcess.executable else {
            throw ExpectationFailure(ClientProcess.missingExecutableComment.rawValue)
        }
        var environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        environment["NO_COLOR"] = "1"
        return try await CommandRun.run(
            executable.path,
            [host, "\(port)", nickname] + arguments,
            input: input,
            environment: environment,
            timeout: timeout
        )
    }
}
