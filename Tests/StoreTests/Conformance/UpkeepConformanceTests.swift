import ChatCore
import ChatTesting
import Foundation
import Testing

/// ``StoreUpkeep``: sizes, counts and pruning, in every store. The byte figures differ between stores (pages in
/// SQLite, row sizes in PostgreSQL): the tests hold them to the contract, not to a number.
@Suite struct UpkeepConformanceTests {
    @Test(arguments: StoreBackend.tested)
    func usedBytesIsPositiveGrowsWithHistoryAndShrinksWhenPruned(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.usedBytes() > 0)
            let empty = try await store.usedBytes()
            let text = String(repeating: "x", count: 1000)
            _ = try await store.append((0..<300).map { _ in HistoryConformanceTests.message(text) })
            let full = try await store.usedBytes()
            #expect(full > empty + 200_000)
            #expect(try await store.messageCount() == 300)
            #expect(try await store.pruneOldest(300) == 300)
            #expect(try await store.messageCount() == 0)
            #expect(try await store.usedBytes() < full)
        }
    }

    @Test(arguments: StoreBackend.tested)
    func pruneOldestTakesTheOldestRoomAndDeliveredPrivateMessagesOnly(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.pruneOldest(10) == 0)
            let ids = try await store.append(
                (1...5).map { HistoryConformanceTests.message("m\($0)", in: $0.isMultiple(of: 2) ? "#a" : "#b") }
            )
            _ = try await store.createAccount(nickname: "bob", passwordHash: "h", lastSeenMessageID: 0)
            for (text, delivered) in [("d1", true), ("waiting", false), ("d2", true), ("d3", true)] {
                try await store.storePrivateMessage(
                    OfflineMessageConformanceTests.privateMessage(text),
                    delivered: delivered
                )
            }
            #expect(try await store.pruneOldest(2) == 4)
            #expect(try await store.messageCount() == 3)
            #expect(try await store.recentMessages(in: "#a", limit: 10).map(\.id) == [ids[3]])
            #expect(try await store.recentMessages(in: "#b", limit: 10).map(\.id) == [ids[2], ids[4]])
            #expect(try await store.undeliveredPrivateMessages(for: "bob").map(\.text) == ["waiting"])
            #expect(try await store.pruneOldest(100) == 4)
            #expect(try await store.undeliveredPrivateMessages(for: "bob").map(\.text) == ["waiting"])
            #expect(try await store.account(for: "bob") != nil)
        }
    }

    @Test(arguments: StoreBackend.tested)
    func prunesByAgeAndPerRoom(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let now = HistoryConformanceTests.now()
            let old = now - 10 * 86_400_000
            _ = try await store.append([
                HistoryConformanceTests.message("old1", in: "#a", time: old),
                HistoryConformanceTests.message("old2", in: "#b", time: old),
            ])
            let fresh = try await store.append((1...4).map { HistoryConformanceTests.message("a\($0)", in: "#a") })
            _ = try await store.append([HistoryConformanceTests.message("b1", in: "#b")])
            try await store.storePrivateMessage(
                StoredPrivateMessage(sender: "x", recipient: "bob", text: "old seen", time: old),
                delivered: true
            )
            try await store.storePrivateMessage(
                StoredPrivateMessage(sender: "x", recipient: "bob", text: "old waiting", time: old),
                delivered: false
            )
            #expect(try await store.prune(maximumAge: nil, maximumPerRoom: nil) == 0)
            #expect(try await store.prune(maximumAge: .seconds(7 * 86_400), maximumPerRoom: nil) == 3)
            #expect(try await store.messageCount() == 5)
            #expect(try await store.undeliveredPrivateMessages(for: "bob").map(\.text) == ["old waiting"])
            #expect(try await store.prune(maximumAge: nil, maximumPerRoom: 2) == 2)
            #expect(try await store.recentMessages(in: "#a", limit: 10).map(\.id) == Array(fresh.suffix(2)))
            #expect(try await store.recentMessages(in: "#b", limit: 10).map(\.text) == ["b1"])
            #expect(try await store.prune(maximumAge: .seconds(7 * 86_400), maximumPerRoom: 2) == 0)
        }
    }
}
