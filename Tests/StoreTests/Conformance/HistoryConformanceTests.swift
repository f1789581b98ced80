import ChatCore
import ChatTesting
import Foundation
import Testing

/// ``HistoryStore``: what every store does with room history, SQLite and PostgreSQL alike.
@Suite struct HistoryConformanceTests {
    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    static func message(
        _ text: String,
        in room: String = "#main",
        from sender: String = "alice",
        kind: StoredMessage.Kind = .message,
        time: Int64 = HistoryConformanceTests.now()
    ) -> StoredMessage {
        StoredMessage(room: room, sender: sender, kind: kind, text: text, time: time)
    }

    @Test(arguments: StoreBackend.tested)
    func appendReturnsIncreasingIDsInBatchOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.append([]) == [])
            #expect(try await store.latestMessageID() == 0)
            let batch = ["one", "two", "three", "four"].enumerated().map { index, text in
                Self.message(text, in: index.isMultiple(of: 2) ? "#main" : "#side")
            }
            let ids = try await store.append(batch)
            #expect(ids.count == 4)
            #expect(ids == ids.sorted() && Set(ids).count == 4)
            let more = try await store.append([Self.message("five")])
            #expect(more.count == 1 && more[0] > ids[3])
            #expect(try await store.latestMessageID() == more[0])
            #expect(try await store.messageCount() == 5)
            #expect(try await store.recentMessages(in: "#main", limit: 10).map(\.id) == [ids[0], ids[2], more[0]])
        }
    }

    @Test(arguments: StoreBackend.tested)
    func recentMessagesAreTheNewestOldestFirstPerRoomAnyCase(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let time = Self.now() - 5000
            let ids = try await store.append(
                (1...5).map { Self.message("m\($0)", in: "#Lobby", from: "Alice", time: time + Int64($0)) }
                    + [Self.message("elsewhere", in: "#other")]
                    + [Self.message("waves", in: "#LOBBY", from: "bob", kind: .action, time: time + 6)]
            )
            let recent = try await store.recentMessages(in: "#lobby", limit: 3)
            #expect(recent.map(\.text) == ["m4", "m5", "waves"])
            #expect(recent.map(\.id) == [ids[3], ids[4], ids[6]])
            #expect(recent.map(\.room) == ["#lobby", "#lobby", "#lobby"])
            #expect(
                recent[0]
                    == StoredMessage(
                        id: ids[3],
                        room: "#lobby",
                        sender: "Alice",
                        kind: .message,
                        text: "m4",
                        time: time + 4
                    )
            )
            #expect(recent[2].kind == .action && recent[2].sender == "bob")
            #expect(try await store.recentMessages(in: "#LOBBY", limit: 100).count == 6)
            #expect(try await store.recentMessages(in: "#lobby", limit: 0).isEmpty)
            #expect(try await store.recentMessages(in: "#nowhere", limit: 10).isEmpty)
            let after = try await store.recentMessages(in: "#lobby", limit: 10, afterID: ids[3])
            #expect(after.map(\.text) == ["m5", "waves"])
            #expect(try await store.recentMessages(in: "#lobby", limit: 1, afterID: ids[0]).map(\.text) == ["waves"])
        }
    }

    @Test(arguments: StoreBackend.tested)
    func countsMessagesPerRoomAfterAnID(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.countMessages(in: "#main", afterID: 0) == 0)
            let ids = try await store.append(
                (1...4).map { Self.message("m\($0)", in: "#Main") } + [Self.message("x", in: "#other")]
            )
            #expect(try await store.countMessages(in: "#MAIN", afterID: 0) == 4)
            #expect(try await store.countMessages(in: "#main", afterID: ids[1]) == 2)
            #expect(try await store.countMessages(in: "#main", afterID: ids[4]) == 0)
            #expect(try await store.countMessages(in: "#other", afterID: 0) == 1)
        }
    }
}
