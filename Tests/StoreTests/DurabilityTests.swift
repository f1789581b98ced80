import ChatCore
import ChatStoreSQLite
import ChatTesting
import Foundation
import Testing

/// The real `server` executable: what it delivered survives `kill -9`, and a corrupt store stops it at start-up.
///
/// Clients left open by a failing test end when their server is killed (every server is, on every path).
@Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason))
struct DurabilityTests {
    /// Starts the server on `directory`, runs `body`, and kills the server whatever happens.
    private func withServer<Result>(
        in directory: TemporaryDirectory,
        _ body: (ServerProcess) async throws -> Result
    ) async throws -> Result {
        let server = try await ServerProcess.start(dataDirectory: directory.path)
        defer { server.kill() }
        return try await body(server)
    }

    /// A client of `server` named `name`, as patient as the in-process store tests' clients.
    private func connect(_ name: String, to server: ServerProcess) async throws -> LineClient {
        try await LineClient.connect(port: server.port, name: name, defaultTimeout: StoreFixture.lineTimeout)
    }

    @Test func replaysADeliveredMessageAfterTheServerIsKilled() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await self.withServer(in: directory) { server in
                let alice = try await self.connect("alice", to: server)
                let bob = try await self.connect("bob", to: server)
                try await alice.join(as: "alice")
                try await bob.join(as: "bob")
                try await alice.send("this survives kill -9")
                #expect(try await bob.expectLine(containing: "<alice>") == "<alice> this survives kill -9")

                server.kill()
                #expect(server.process.terminationReason == .uncaughtSignal)
                try await alice.expectClosed()
                try await bob.expectClosed()
            }
            try await self.withServer(in: directory) { server in
                let carol = try await self.connect("carol", to: server)
                try await carol.join(as: "carol")
                #expect(try await carol.historyLines() == ["[History] <alice> this survives kill -9"])
                await carol.close()
            }
        }
    }

    @Test func keepsARegistrationAfterTheServerIsKilled() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await self.withServer(in: directory) { server in
                let alice = try await self.connect("alice", to: server)
                try await alice.join(as: "alice")
                try await alice.register(password: "secret123")
                server.kill()
                try await alice.expectClosed()
            }
            try await self.withServer(in: directory) { server in
                let again = try await self.connect("alice again", to: server)
                try await again.logIn(as: "alice", password: "secret123")
                await again.close()
            }
        }
    }

    @Test func appliesTheHistoryAndRetentionOptions() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await StoreFixture.withStore(in: directory) { store in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let ancient = now - 100 * 86_400_000
                _ = try await store.append([
                    StoredMessage(room: "#old", sender: "alice", kind: .message, text: "ancient", time: ancient)
                ])
                for index in 1...5 {
                    _ = try await store.append([
                        StoredMessage(room: "#main", sender: "alice", kind: .message, text: "m\(index)", time: now)
                    ])
                }
            }
            let arguments = ["--history", "2", "--retain-days", "30", "--retain-messages", "3"]
            let server = try await ServerProcess.start(dataDirectory: directory.path, arguments: arguments)
            defer { server.kill() }
            let carol = try await self.connect("carol", to: server)
            try await carol.join(as: "carol")
            #expect(try await carol.historyLines() == ["[History] <alice> m4", "[History] <alice> m5"])

            // Retention runs at start-up beside the listener, so it may finish a moment after the first join.
            let deadline = ContinuousClock.now + TestTime.expected
            var shown: [String] = []
            repeat {
                try await carol.send("/history 10")
                shown = try await carol.historyLines()
                if shown.count <= 3 { break }
                try await Task.sleep(for: .milliseconds(100))
            } while ContinuousClock.now < deadline
            #expect(shown == (3...5).map { "[History] <alice> m\($0)" })

            try await carol.send("/join old")
            try await carol.send("/history 10")
            let old = try await carol.linesBeforeNextCommand()
            #expect(old.contains("* #old has no history yet."))
            #expect(!old.contains { $0.contains("ancient") })
            await carol.close()
        }
    }

    @Test func refusesToStartOnACorruptStore() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try directory.writeGarbageDatabase()
            let server = try ServerProcess.launch(dataDirectory: directory.path)
            defer { server.kill() }
            let status = try await server.waitForExit()
            #expect(status != nil, "still running \(TestTime.serverStartOrStop) after starting on a corrupt store")
            #expect(status != 0)
            #expect(server.standardError.contains("corrupt"), "stderr: \(server.standardError)")
        }
    }
}
