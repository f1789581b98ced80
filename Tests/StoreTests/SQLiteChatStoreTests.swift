import ChatProtocol
import ChatTesting
import Foundation
import Logging
import SQLiteNIO
import Testing

@testable import ChatCore
@testable import ChatStoreSQLite

/// ``SQLiteChatStore`` on its own: history, private messages kept for later, accounts, and the database file itself.
@Suite struct SQLiteChatStoreTests {
    private static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    private func message(
        _ text: String,
        in room: String = "#main",
        from sender: String = "alice",
        time: Int64 = SQLiteChatStoreTests.now()
    ) -> StoredMessage {
        StoredMessage(room: room, sender: sender, kind: .message, text: text, time: time)
    }

    private func texts(
        in room: String,
        of store: SQLiteChatStore,
        limit: Int = 100,
        afterID: Int64 = 0
    ) async throws -> [String] {
        try await store.recentMessages(in: room, limit: limit, afterID: afterID).map(\.text)
    }

    // MARK: History

    @Test func returnsAppendedMessagesOldestFirst() async throws {
        try await StoreFixture.withMemoryStore { store in
            let ids = try await store.append(["one", "two", "three"].map { self.message($0) })
            #expect(ids.count == 3)
            #expect(ids == ids.sorted() && Set(ids).count == 3)
            let stored = try await store.recentMessages(in: "#main", limit: 10)
            #expect(stored.map(\.text) == ["one", "two", "three"])
            #expect(stored.map(\.id) == ids)
            #expect(stored.allSatisfy { $0.sender == "alice" && $0.kind == .message })
        }
    }

    @Test func limitsRecentMessagesToTheNewest() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.append((1...5).map { self.message("m\($0)") })
            #expect(try await self.texts(in: "#main", of: store, limit: 2) == ["m4", "m5"])
        }
    }

    @Test func keepsActionsApartFromMessages() async throws {
        try await StoreFixture.withMemoryStore { store in
            let action = StoredMessage(room: "#main", sender: "bob", kind: .action, text: "waves", time: Self.now())
            _ = try await store.append([self.message("hi"), action])
            let stored = try await store.recentMessages(in: "#main", limit: 10)
            #expect(stored.map(\.kind) == [.message, .action])
            #expect(stored.last?.historyEvent.plainLines == ["[History] * bob waves"])
        }
    }

    @Test func keepsEachRoomsHistorySeparate() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.append([
                self.message("main 1"),
                self.message("games 1", in: "#games"),
                self.message("main 2"),
                self.message("games 2", in: "#Games"),
            ])
            #expect(try await self.texts(in: "#main", of: store) == ["main 1", "main 2"])
            #expect(try await self.texts(in: "#games", of: store) == ["games 1", "games 2"])
            #expect(try await self.texts(in: "#GAMES", of: store) == ["games 1", "games 2"])
            #expect(try await self.texts(in: "#empty", of: store) == [])
        }
    }

    @Test func returnsOnlyMessagesAfterTheGivenID() async throws {
        try await StoreFixture.withMemoryStore { store in
            let ids = try await store.append((1...5).map { self.message("m\($0)") })
            #expect(try await self.texts(in: "#main", of: store, afterID: ids[2]) == ["m4", "m5"])
            #expect(try await self.texts(in: "#main", of: store, limit: 1, afterID: ids[0]) == ["m5"])
            #expect(try await self.texts(in: "#main", of: store, afterID: ids[4]) == [])
        }
    }

    @Test func countsTheMessagesOfARoomAfterAnID() async throws {
        try await StoreFixture.withMemoryStore { store in
            let ids = try await store.append([
                self.message("a"), self.message("b"), self.message("elsewhere", in: "#games"), self.message("c"),
            ])
            #expect(try await store.countMessages(in: "#main", afterID: 0) == 3)
            #expect(try await store.countMessages(in: "#main", afterID: ids[0]) == 2)
            #expect(try await store.countMessages(in: "#games", afterID: ids[0]) == 1)
            #expect(try await store.countMessages(in: "#main", afterID: ids[3]) == 0)
        }
    }

    @Test func reportsTheNewestMessageIDOfAllRooms() async throws {
        try await StoreFixture.withMemoryStore { store in
            #expect(try await store.latestMessageID() == 0)
            let ids = try await store.append([self.message("a"), self.message("b", in: "#games")])
            #expect(try await store.latestMessageID() == ids.max())
            let more = try await store.append([self.message("c")])
            #expect(try await store.latestMessageID() == more[0])
        }
    }

    @Test func prunesMessagesOlderThanTheMaximumAge() async throws {
        try await StoreFixture.withMemoryStore { store in
            let threeDaysAgo = Self.now() - 3 * 86_400_000
            _ = try await store.append([
                self.message("old", time: threeDaysAgo),
                self.message("old elsewhere", in: "#games", time: threeDaysAgo),
                self.message("new"),
            ])
            let removed = try await store.prune(maximumAge: .seconds(86_400), maximumPerRoom: nil)
            #expect(removed == 2)
            #expect(try await self.texts(in: "#main", of: store) == ["new"])
            #expect(try await self.texts(in: "#games", of: store) == [])
        }
    }

    @Test func prunesEachRoomToItsNewestMessages() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.append((1...5).map { self.message("main \($0)") })
            _ = try await store.append((1...2).map { self.message("games \($0)", in: "#games") })
            let removed = try await store.prune(maximumAge: nil, maximumPerRoom: 3)
            #expect(removed == 2)
            #expect(try await self.texts(in: "#main", of: store) == ["main 3", "main 4", "main 5"])
            #expect(try await self.texts(in: "#games", of: store) == ["games 1", "games 2"])
        }
    }

    @Test func pruningWithoutLimitsKeepsEverything() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.append([self.message("old", time: 0), self.message("new")])
            #expect(try await store.prune(maximumAge: nil, maximumPerRoom: nil) == 0)
            #expect(try await self.texts(in: "#main", of: store) == ["old", "new"])
        }
    }

    // MARK: Private messages

    @Test func handsOutUndeliveredPrivateMessagesOnlyOnce() async throws {
        try await StoreFixture.withMemoryStore { store in
            let time = Self.now()
            for (text, recipient, delivered) in [
                ("first", "Bob", false), ("seen", "bob", true), ("second", "bob", false), ("other", "carol", false),
            ] {
                let message = StoredPrivateMessage(sender: "alice", recipient: recipient, text: text, time: time)
                try await store.storePrivateMessage(message, delivered: delivered)
            }
            let waiting = try await store.undeliveredPrivateMessages(for: "BOB")
            #expect(waiting.map(\.text) == ["first", "second"])
            #expect(waiting.allSatisfy { $0.sender == "alice" && $0.time == time })
            let counts = try await store.countUndeliveredPrivateMessages(for: "bob", from: "ALICE")
            #expect(counts.all == 2 && counts.fromSender == 2)
            // Reading them hands nothing out: only marking does.
            #expect(try await store.undeliveredPrivateMessages(for: "bob").count == 2)
            try await store.markPrivateMessagesDelivered(waiting.map(\.id))
            #expect(try await store.undeliveredPrivateMessages(for: "bob").isEmpty)
            #expect(try await store.undeliveredPrivateMessages(for: "carol").map(\.text) == ["other"])
        }
    }

    // MARK: Accounts

    @Test func createsAnAccountOnlyOnce() async throws {
        try await StoreFixture.withMemoryStore { store in
            #expect(try await store.createAccount(nickname: "Alice", passwordHash: "hash-1", lastSeenMessageID: 7))
            #expect(try await !store.createAccount(nickname: "Alice", passwordHash: "hash-2", lastSeenMessageID: 9))
            #expect(try await !store.createAccount(nickname: "aLiCe", passwordHash: "hash-3", lastSeenMessageID: 9))
            let account = try #require(try await store.account(for: "Alice"))
            let expected = Account(nickname: "Alice", passwordHash: "hash-1", isBanned: false, lastSeenMessageID: 7)
            #expect(account == expected)
        }
    }

    @Test func looksUpAccountsIgnoringCase() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.createAccount(nickname: "Alice", passwordHash: "hash", lastSeenMessageID: 0)
            #expect(try await store.account(for: "ALICE")?.nickname == "Alice")
            #expect(try await store.account(for: "alice")?.nickname == "Alice")
            #expect(try await store.account(for: "bob") == nil)
        }
    }

    @Test func replacesAPasswordHash() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.createAccount(nickname: "alice", passwordHash: "old", lastSeenMessageID: 0)
            _ = try await store.createAccount(nickname: "bob", passwordHash: "bobs", lastSeenMessageID: 0)
            try await store.updatePassword(nickname: "ALICE", passwordHash: "new")
            #expect(try await store.account(for: "alice")?.passwordHash == "new")
            #expect(try await store.account(for: "bob")?.passwordHash == "bobs")
        }
    }

    @Test func bansAndUnbansOnlyRegisteredNicknames() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.createAccount(nickname: "alice", passwordHash: "hash", lastSeenMessageID: 0)
            #expect(try await store.setBanned(true, nickname: "Alice"))
            #expect(try await store.account(for: "alice")?.isBanned == true)
            #expect(try await store.setBanned(false, nickname: "alice"))
            #expect(try await store.account(for: "alice")?.isBanned == false)
            #expect(try await !store.setBanned(true, nickname: "nobody"))
            #expect(try await store.account(for: "nobody") == nil)
        }
    }

    @Test func endsATimedAccountBanWhenItsTimeIsUp() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.createAccount(nickname: "alice", passwordHash: "hash", lastSeenMessageID: 0)
            #expect(try await store.setBanned(true, nickname: "alice", until: Date().addingTimeInterval(600)))
            #expect(try await store.account(for: "alice")?.isBanned == true)
            #expect(try await store.bannedNicknames() == ["alice"])
            #expect(try await store.setBanned(true, nickname: "alice", until: Date().addingTimeInterval(-1)))
            #expect(try await store.account(for: "alice")?.isBanned == false)
            #expect(try await store.bannedNicknames().isEmpty)
            #expect(try await store.setBanned(true, nickname: "alice"))
            #expect(try await store.account(for: "alice")?.isBanned == true, "no end: for good")
        }
    }

    @Test func movesTheLastSeenMessageOnlyForward() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.createAccount(nickname: "alice", passwordHash: "hash", lastSeenMessageID: 10)
            try await store.updateLastSeen(nickname: "alice", messageID: 5)
            #expect(try await store.account(for: "alice")?.lastSeenMessageID == 10)
            try await store.updateLastSeen(nickname: "ALICE", messageID: 20)
            #expect(try await store.account(for: "alice")?.lastSeenMessageID == 20)
        }
    }

    // MARK: The file

    @Test func keepsDataAndSchemaVersionWhenReopened() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await StoreFixture.withStore(in: directory) { store in
                _ = try await store.append([self.message("kept"), self.message("also kept", in: "#games")])
                _ = try await store.createAccount(nickname: "alice", passwordHash: "hash", lastSeenMessageID: 1)
                let pending = StoredPrivateMessage(sender: "bob", recipient: "alice", text: "later", time: Self.now())
                try await store.storePrivateMessage(pending, delivered: false)
            }
            try await StoreFixture.withStore(in: directory) { store async throws in
                #expect(try await self.texts(in: "#main", of: store) == ["kept"])
                #expect(try await self.texts(in: "#games", of: store) == ["also kept"])
                #expect(try await store.account(for: "alice")?.passwordHash == "hash")
                #expect(try await store.undeliveredPrivateMessages(for: "alice").map(\.text) == ["later"])
            }
            #expect(
                try await Self.userVersion(of: directory.file(SQLiteChatStore.fileName)) == StoreSchema.latestVersion
            )
        }
    }

    @Test func refusesAGarbageFileAsCorrupt() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try directory.writeGarbageDatabase()
            let before = FileManager.default.contents(atPath: directory.file(SQLiteChatStore.fileName))
            let error = await #expect(throws: StoreError.self) {
                let store = try await SQLiteChatStore.open(directory: directory.path, logger: TestServer.logger)
                await store.close()
            }
            guard case .notADatabase(let path) = error else {
                Issue.record("expected StoreError.notADatabase, got \(String(describing: error))")
                return
            }
            #expect(path == directory.file(SQLiteChatStore.fileName))
            #expect(error?.description.contains("corrupt") == true)
            // Never a silent loss: the file is left as it was, for the operator to restore or move away.
            #expect(FileManager.default.contents(atPath: directory.file(SQLiteChatStore.fileName)) == before)
        }
    }

    @Test func refusesAStoreFromANewerSchema() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await StoreFixture.withStore(in: directory) { _ in }
            try await Self.withConnection(to: directory.file(SQLiteChatStore.fileName)) { connection in
                _ = try await connection.query("PRAGMA user_version = \(StoreSchema.latestVersion + 1)")
            }
            let error = await #expect(throws: StoreError.self) {
                let store = try await SQLiteChatStore.open(directory: directory.path, logger: TestServer.logger)
                await store.close()
            }
            guard case .newerSchema(_, let version, let supported) = error else {
                Issue.record("expected StoreError.newerSchema, got \(String(describing: error))")
                return
            }
            #expect(version == StoreSchema.latestVersion + 1)
            #expect(supported == StoreSchema.latestVersion)
        }
    }

    // MARK: Batches

    @Test func storesABatchInOrderAndReturnsEachRowsID() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await StoreFixture.withStore(in: directory) { store in
                let texts = (0..<200).map { "message \($0)" }
                let ids = try await store.append(texts.map { self.message($0) })
                #expect(ids.count == 200)
                #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
                let stored = try await store.recentMessages(in: "#main", limit: 1000)
                #expect(stored.map(\.text) == texts)
                // Every line got the id of its own row, not a neighbour's from the same batch.
                #expect(stored.map(\.id) == ids)
                #expect(try await store.latestMessageID() == ids.last)
            }
        }
    }

    @Test func givesSuccessiveBatchesIncreasingIDs() async throws {
        try await StoreFixture.withMemoryStore { store in
            var ids: [Int64] = []
            for index in 0..<20 {
                ids += try await store.append([self.message("m\(index)")])
            }
            #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    // MARK: Helpers

    private static func withConnection<Result>(
        to path: String,
        _ body: (SQLiteConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: TestServer.logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func userVersion(of path: String) async throws -> Int? {
        try await Self.withConnection(to: path) { connection in
            try await connection.query("PRAGMA user_version").first?.column("user_version")?.integer
        }
    }
}
