import ChatCore
import ChatTesting
import Foundation
import PostgresNIO
import Testing

@testable import ChatStorePostgres

/// What only the PostgreSQL store does: migrations under the advisory lock, per-room sequences under concurrent
/// appends from several nodes, and a clear error for a database that cannot be reached.
@Suite(.enabled(if: TestPostgres.shouldRun)) struct PostgresStoreTests {
    private static func message(_ text: String, in room: String) -> StoredMessage {
        StoredMessage(room: room, sender: "alice", kind: .message, text: text, time: HistoryConformanceTests.now())
    }

    private static func schemaVersions(_ store: PostgresChatStore) async throws -> [Int32] {
        var versions: [Int32] = []
        let rows = try await store.client.query("SELECT version FROM schema_version ORDER BY version")
        for try await version in rows.decode(Int32.self) { versions.append(version) }
        return versions
    }

    @Test func storesOpenedTogetherMigrateOnceUnderTheLock() async throws {
        let database = try await PostgresFixture.freshDatabase()
        let opened = try await withThrowingTaskGroup(of: PostgresChatStore.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await PostgresChatStore.open(
                        database,
                        logger: TestServer.logger,
                        options: PostgresFixture.options
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { Task { for store in opened { await store.close() } } }
        #expect(opened.count == 4)
        #expect(try await Self.schemaVersions(opened[0]) == (1...PostgresSchema.latestVersion).map { Int32($0) })
        // And a later start finds nothing to do.
        try await PostgresFixture.withStore(on: database) { store in
            #expect(try await Self.schemaVersions(store).count == PostgresSchema.latestVersion)
            _ = try await store.append([Self.message("works", in: "#main")])
        }
        for store in opened { await store.close() }
    }

    @Test func roomSequencesAreGapFreeAndOrderedUnderConcurrentAppendsFromTwoNodes() async throws {
        let database = try await PostgresFixture.freshDatabase()
        try await PostgresFixture.withStore(on: database) { first in
            try await PostgresFixture.withStore(on: database) { second in
                let batches = 25
                let results = try await withThrowingTaskGroup(of: [SequencedMessage].self) { group in
                    for (node, store) in [(0, first), (1, second)] {
                        for batch in 0..<batches {
                            group.addTask {
                                // Rooms in both orders within a batch: locking them in a fixed order avoids deadlocks.
                                let rooms = batch.isMultiple(of: 2) ? ["#A", "#b", "#a"] : ["#b", "#a", "#c"]
                                return try await store.appendSequenced(
                                    rooms.map { Self.message("n\(node) b\(batch)", in: $0) }
                                )
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(results.count == 2 * batches * 3)
                for room in ["#a", "#b", "#c"] {
                    let stored = try await first.messages(in: room, afterSequence: 0, limit: -1)
                    let expected = results.filter { $0.message.room.lowercased() == room }.count
                    #expect(stored.map(\.roomSequence) == (1...Int64(expected)).map { $0 })
                    // Within a room, ids follow the sequence: commit order is one order.
                    #expect(stored.map(\.message.id) == stored.map(\.message.id).sorted())
                    #expect(try await second.latestSequence(in: room.uppercased()) == Int64(expected))
                    let returned = results.filter { $0.message.room.lowercased() == room }
                        .sorted { $0.roomSequence < $1.roomSequence }
                    #expect(returned.map(\.message.id) == stored.map(\.message.id))
                }
            }
        }
    }

    @Test func appendSequencedNumbersEachRoomAndCatchUpReadsByNumber() async throws {
        try await PostgresFixture.withStore { store in
            #expect(try await store.latestSequence(in: "#main") == 0)
            let first = try await store.appendSequenced(
                [Self.message("a", in: "#Main"), Self.message("b", in: "#side"), Self.message("c", in: "#main")]
            )
            #expect(first.map(\.roomSequence) == [1, 1, 2])
            #expect(first.map(\.message.text) == ["a", "b", "c"])
            #expect(first.map(\.message.room) == ["#Main", "#side", "#main"])
            let second = try await store.appendSequenced([Self.message("d", in: "#main")])
            #expect(second.map(\.roomSequence) == [3])
            let since = try await store.messages(in: "#MAIN", afterSequence: 1, limit: 10)
            #expect(since.map(\.message.text) == ["c", "d"])
            #expect(since.map(\.roomSequence) == [2, 3])
            #expect(try await store.messages(in: "#main", afterSequence: 0, limit: 1).map(\.message.text) == ["a"])
            // Pruning never hands a number out twice.
            #expect(try await store.pruneOldest(10) == 4)
            #expect(try await store.latestSequence(in: "#main") == 3)
            #expect(try await store.appendSequenced([Self.message("e", in: "#main")]).map(\.roomSequence) == [4])
        }
    }

    @Test func opensOverTheUnixSocket() async throws {
        let cluster = try await TestPostgres.shared()
        let name = try await cluster.createDatabase()
        let connection = try PostgresConnectionString(parsing: cluster.socketURL(database: name))
        #expect(connection.unixSocketPath == cluster.directory + "/.s.PGSQL.\(cluster.port)")
        try await PostgresFixture.withStore(on: connection) { store in
            let ids = try await store.append([Self.message("hi", in: "#main")])
            #expect(ids.count == 1)
        }
    }

    @Test func aNewerSchemaIsRefused() async throws {
        let database = try await PostgresFixture.freshDatabase()
        try await PostgresFixture.withStore(on: database) { store in
            _ = try await store.client.query("INSERT INTO schema_version (version) VALUES (99)")
        }
        let error = await #expect(throws: PostgresStoreError.self) {
            try await PostgresChatStore.open(database, logger: TestServer.logger, options: PostgresFixture.options)
        }
        #expect(error?.description.contains("schema version 99") == true)
    }

    @Test func anUnreachableDatabaseFailsAfterABoundedRetryNamingTheLastError() async throws {
        let port = try await TestServer.freePort()
        var options = PostgresFixture.options
        options.connectAttempts = 3
        options.firstRetryDelay = .milliseconds(20)
        let target = try PostgresConnectionString(
            parsing: "postgres://chat:secret@127.0.0.1:\(port)/chat?sslmode=disable"
        )
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresStoreError.self) {
            try await PostgresChatStore.open(target, logger: TestServer.logger, options: options)
        }
        // Bounded: three refused connections and two short waits (generous for a loaded machine), never a hang.
        #expect(ContinuousClock.now - started < .seconds(30))
        let text = error?.description ?? ""
        #expect(text.contains("cannot reach the PostgreSQL store postgres://chat:***@127.0.0.1:\(port)/chat"))
        #expect(text.contains("after 3 tries"))
        #expect(text.lowercased().contains("refused"))
        #expect(!text.contains("secret"))
    }
}

/// Says when the PostgreSQL tests are skipped, and fails instead where they are required (CI).
@Suite struct PostgresAvailabilityTests {
    @Test func postgresIsInstalledOrTheSkipIsAllowed() throws {
        guard TestPostgres.installedBinDirectory == nil else { return }
        if TestPostgres.isRequired {
            Issue.record(
                "\(TestPostgres.requireVariable)=1 but PostgreSQL is not installed: apt-get install postgresql"
            )
        } else {
            try Test.cancel(Comment(rawValue: TestPostgres.installHint))
        }
    }
}

/// The throwaway cluster itself.
@Suite(.enabled(if: TestPostgres.shouldRun)) struct TestPostgresTests {
    @Test func aClusterOfItsOwnIsStoppedAndDeletedAfterwards() async throws {
        let directory = try await TestPostgres.withCluster { cluster in
            let name = try await cluster.createDatabase()
            let connection = try PostgresConnectionString(parsing: cluster.url(database: name))
            try await PostgresFixture.withStore(on: connection) { store in
                let count = try await store.messageCount()
                #expect(count == 0)
            }
            #expect(FileManager.default.fileExists(atPath: cluster.directory + "/data/postmaster.pid"))
            return cluster.directory
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
