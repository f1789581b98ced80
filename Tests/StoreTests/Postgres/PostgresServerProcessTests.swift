import ChatTesting
import Foundation
import Testing

/// The real `server` with `--postgres`: its history, accounts and bans live in PostgreSQL, so another node on the
/// same database sees them; a database it cannot reach or a bad URL is one clear line and a non-zero exit.
@Suite(
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(if: TestPostgres.shouldRun)
)
struct PostgresServerProcessTests {
    private func connect(_ name: String, to server: ServerProcess) async throws -> LineClient {
        try await LineClient.connect(port: server.port, name: name, defaultTimeout: StoreFixture.lineTimeout)
    }

    @Test func twoNodesOnOneDatabaseShareTheHistoryAndKeepNoSQLiteFile() async throws {
        let url = try await PostgresFixture.freshDatabaseURL()
        try await TemporaryDirectory.withDirectory { first in
            try await TemporaryDirectory.withDirectory { second in
                // Started together: their migrations take turns under the advisory lock.
                async let startedA = ServerProcess.start(
                    dataDirectory: first.path,
                    arguments: ["--postgres", url, "--node-name", "node-a"]
                )
                async let startedB = ServerProcess.start(
                    dataDirectory: second.path,
                    arguments: ["--postgres", url, "--node-name", "node-b"]
                )
                let (nodeA, nodeB) = try await (startedA, startedB)
                defer {
                    nodeA.kill()
                    nodeB.kill()
                }
                #expect(nodeA.standardError.contains("node=node-a"), "\(nodeA.standardError)")
                let alice = try await self.connect("alice", to: nodeA)
                try await alice.join(as: "alice")
                try await alice.send("kept in postgres, it's \"quoted\"")
                #expect(try await alice.historyLines().isEmpty)

                let carol = try await self.connect("carol", to: nodeB)
                try await carol.join(as: "carol")
                #expect(try await carol.historyLines() == [#"[History] <alice> kept in postgres, it's "quoted""#])
                await carol.close()
                await alice.close()
                #expect(!FileManager.default.fileExists(atPath: first.file("slashchat.sqlite")))
                #expect(!FileManager.default.fileExists(atPath: second.file("slashchat.sqlite")))
            }
        }
    }

    @Test func anUnreachableDatabaseIsOneLineAndExitOne() async throws {
        let port = try await TestServer.freePort()
        try await TemporaryDirectory.withDirectory { directory in
            let server = try ServerProcess.launch(
                dataDirectory: directory.path,
                arguments: ["--postgres", "postgres://chat:hunter2@127.0.0.1:\(port)/chat?sslmode=disable"]
            )
            defer { server.kill() }
            let status = try await server.waitForExit(timeout: .seconds(60))
            #expect(status == 1, "\(server.standardError)")
            let line = "server: error: cannot reach the PostgreSQL store postgres://chat:***@127.0.0.1:\(port)/chat"
            #expect(server.standardError.contains(line), "\(server.standardError)")
            #expect(server.standardError.contains("after 5 tries"), "\(server.standardError)")
            #expect(!server.standardError.contains("hunter2"), "\(server.standardError)")
        }
    }

    @Test func aBadURLIsAUsageError() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let server = try ServerProcess.launch(
                dataDirectory: directory.path,
                arguments: ["--postgres", "mysql://chat@db/chat"]
            )
            defer { server.kill() }
            let status = try await server.waitForExit()
            #expect(status == 64, "\(server.standardError)")
            #expect(server.standardError.contains("expected postgres:// or postgresql://"), "\(server.standardError)")
        }
    }
}
