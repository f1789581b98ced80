import ChatTesting
import Foundation
import Testing

/// The real `server`, started as the README's first command starts it: no `--commands-dir`, so the plugins come from
/// `./commands` in its working directory, the shipped ones.
@Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason))
struct ShippedPluginsTests {
    /// Patient: the plugin is a Python script, and the machine may be busy.
    static let timeout = TestTime.expected

    @Test func aShippedPluginRunsFromTheDefaultRelativeFolder() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            // A checkout's layout: the working directory holds `commands/`, copied from this package.
            let shipped = ServerProcess.packageRoot.appendingPathComponent("commands")
            try FileManager.default.copyItem(atPath: shipped.path, toPath: directory.file("commands"))
            let server = try await ServerProcess.start(
                dataDirectory: directory.file("chat-data"),
                plugins: .defaultFolder,
                workingDirectory: directory.path
            )
            defer { server.kill() }
            let alice = try await LineClient.connect(port: server.port, name: "alice", defaultTimeout: Self.timeout)
            try await alice.join(as: "alice")
            try await alice.send("/roll 2d6")
            let line = try await alice.expectLine(containing: "rolls")
            #expect(line.contains("alice rolls 2d6: "), "got \(line)")
            try await alice.send("/shrug")
            try await alice.expectLine(containing: "¯\\_(ツ)_/¯")
            await alice.close()
        }
    }
}
