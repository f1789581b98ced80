import ChatProtocol
import ChatTesting
import Foundation
import Testing

/// The real `server` binary with `--web-port`: its announcement, `/metrics` from the Prometheus registry it
/// bootstraps, and the options' checks.
@Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason), .timeLimit(.minutes(2)))
struct WebServerProcessTests {
    /// Starts the server with `arguments` and waits for its `(web)` line; returns it and the web port.
    private static func start(
        in directory: TemporaryDirectory,
        arguments: [String] = []
    ) async throws -> (ServerProcess, Int) {
        let server = try await ServerProcess.start(
            dataDirectory: directory.path,
            arguments: ["--web-port", "0"] + arguments
        )
        var lines: [String] = []
        let found = await Deadline.poll(within: TestTime.expected) {
            lines = server.standardOutput.split(separator: "\n").map(String.init)
            return lines.contains { $0.hasSuffix(" (web)") }
        }
        guard found, let line = lines.first(where: { $0.hasSuffix(" (web)") }) else {
            server.kill()
            throw ExpectationFailure("no (web) line; stdout: \(lines) stderr: \(server.standardError)")
        }
        let prefix = "slashchat listening on 127.0.0.1:"
        #expect(line.hasPrefix(prefix), "\(line)")
        let port = try #require(Int(line.dropFirst(prefix.count).dropLast(" (web)".count)))
        return (server, port)
    }

    @Test func theWebDoorIsAnnouncedAfterThePlainPortAndServesThePage() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let (server, webPort) = try await Self.start(in: directory)
            defer { server.kill() }
            let lines = server.standardOutput.split(separator: "\n")
            #expect(lines.first == "slashchat listening on 127.0.0.1:\(server.port)")
            let page = try await HTTPExchange.get("/", port: webPort)
            #expect(page.status == 200 && page.body.contains("<script>"))
        }
    }

    @Test func metricsCountMessagesAndConnectionsByDoor() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let (server, webPort) = try await Self.start(in: directory)
            defer { server.kill() }
            let alice = try await LineClient.connect(port: server.port, name: "alice")
            try await alice.send("alice")
            try await alice.expectLine(containing: "Welcome to slashchat, alice")
            let browser = try await WebSocketTestClient.connect(port: webPort)
            try await browser.join(as: "bob")
            try await alice.send("hello everyone")
            try await browser.expectEvent { $0.kind == .message && $0.text == "hello everyone" }
            let metrics = try await HTTPExchange.get("/metrics", port: webPort)
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let figures = Self.figures(metrics.body)
            #expect(figures[#"slashchat_connections{transport="tcp"}"#] == 1)
            #expect(figures[#"slashchat_connections{transport="web"}"#] == 1)
            #expect(figures["slashchat_messages_total"] == 1)
            #expect(figures["slashchat_deliveries_total"] == 1, "bob got it; alice, in plain mode, gets no echo")
            #expect(figures["slashchat_slow_readers_dropped_total"] == 0)
            #expect(figures["slashchat_plugin_runs_total"] == 0)
            #expect(figures["slashchat_plugin_timeouts_total"] == 0)
            #expect(figures["slashchat_store_commit_seconds_count"] == 1)
            await browser.close()
            await alice.close()
        }
    }

    @Test func optionsThatNeedTheWebDoorSaySo() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            for (arguments, message) in [
                (["--metrics-public"], "--metrics-public needs --web-port"),
                (["--web-origin", "https://chat.example.org"], "--web-origin needs --web-port"),
                (["--web-port", "0", "--web-origin", "chat.example.org"], "--web-origin takes an origin"),
            ] {
                let server = try ServerProcess.launch(dataDirectory: directory.path, arguments: arguments)
                let status = try await server.waitForExit()
                #expect(status != 0 && status != nil)
                #expect(server.standardError.contains(message), "\(server.standardError)")
            }
        }
    }

    /// `name value` lines of the exposition format, comments skipped.
    static func figures(_ text: String) -> [String: Double] {
        var figures: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            figures[String(line[..<space])] = value
        }
        return figures
    }
}
