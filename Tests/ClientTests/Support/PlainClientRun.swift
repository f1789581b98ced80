import ChatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of the real `client` executable without a terminal (stdin, stdout and stderr are files), the way a
/// script runs it: what it printed where, and how it exited.
struct PlainClientRun {
    let status: Int32
    let standardOutput: String
    let standardError: String

    /// Runs `client HOST PORT NICKNAME` with `input` on stdin and waits for it to exit; killed (and the test
    /// failed) after `timeout`.
    static func run(
        host: String = "127.0.0.1",
        port: Int,
        nickname: String,
        input: String = "",
        timeout: Duration = .seconds(20)
    ) async throws -> PlainClientRun {
        guard let executable = ClientProcess.executable else {
            throw ExpectationFailure(ClientProcess.missingExecutableComment.rawValue)
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("plain-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputFile = directory.appendingPathComponent("stdin")
        let outputFile = directory.appendingPathComponent("stdout")
        let errorFile = directory.appendingPathComponent("stderr")
        try Data(input.utf8).write(to: inputFile)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = [host, "\(port)", nickname]
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let exited = await Deadline.poll(within: timeout) { !process.isRunning }
        if !exited {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let run = PlainClientRun(
            status: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: outputFile), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self)
        )
        guard exited else {
            throw ExpectationFailure("the client was still running after \(timeout); printed:\n\(run)")
        }
        return run
    }
}

extension PlainClientRun: CustomStringConvertible {
    var description: String {
        "exit \(self.status)\n--- stdout\n\(self.standardOutput)--- stderr\n\(self.standardError)"
    }
}
