import ChatCore
import ChatTesting
import Foundation
import Testing

/// SIGHUP reopens `--log-file`, as logrotate expects, and never stops the server.
@Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason))
struct LogRotationTests {
    /// Waits (bounded) until `condition` holds.
    private func eventually(_ what: String, _ condition: () -> Bool) async throws {
        guard await Deadline.poll(within: TestTime.expected, condition) else {
            throw ExpectationFailure("timed out waiting until \(what)")
        }
    }

    private func contents(of path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    @Test func reopensTheLogFileOnHangupAndKeepsRunning() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let log = directory.file("server.log")
            let server = try await ServerProcess.start(dataDirectory: directory.path, arguments: ["--log-file", log])
            defer { server.kill() }
            try await self.eventually("the log says the server listens") {
                self.contents(of: log).contains("listening")
            }

            // logrotate's default: move the file away, then signal.
            try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
            kill(server.process.processIdentifier, SIGHUP)
            try await self.eventually("a new log file exists") { FileManager.default.fileExists(atPath: log) }
            kill(server.process.processIdentifier, SIGHUP)
            try await self.eventually("the new log file gets lines") { self.contents(of: log).contains("SIGHUP") }
            #expect(self.contents(of: log + ".1").contains("listening"))
            #expect(!self.contents(of: log).contains("listening"))

            #expect(server.process.isRunning)
            let client = try await LineClient.connect(port: server.port, name: "after")
            try await client.join(as: "alice")
            await client.close()
        }
    }
}
