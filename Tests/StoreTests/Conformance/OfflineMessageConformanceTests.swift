import ChatCore
import ChatTesting
import Foundation
import Testing

/// ``OfflineMessageStore``: private messages waiting for their recipient, in every store.
@Suite struct OfflineMessageConformanceTests {
    static func privateMessage(
        _ text: String,
        from sender: String = "alice",
        to recipient: String = "Bob"
    )
        -> StoredPrivateMessage
    {
        StoredPrivateMessage(sender: sender, recipient: recipient, text: text, time: HistoryConformanceTests.now())
    }

    @Test(arguments: StoreBackend.tested)
    func keepsUndeliveredMessagesOldestFirstUntilMarkedDelivered(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.undeliveredPrivateMessages(for: "bob").isEmpty)
            try await store.storePrivateMessage(Self.privateMessage("one"), delivered: false)
            try await store.storePrivateMessage(Self.privateMessage("seen"), delivered: true)
            try await store.storePrivateMessage(Self.privateMessage("two", from: "Carol", to: "BOB"), delivered: false)
            try await store.storePrivateMessage(Self.privateMessage("three"), delivered: false)
            try await store.storePrivateMessage(Self.privateMessage("other", to: "dave"), delivered: false)
            let waiting = try await store.undeliveredPrivateMessages(for: "bOb")
            #expect(waiting.map(\.text) == ["one", "two", "three"])
            #expect(waiting.map(\.sender) == ["alice", "Carol", "alice"])
            #expect(waiting.allSatisfy { $0.recipient == "bOb" })
            #expect(waiting.map(\.id) == waiting.map(\.id).sorted())
            #expect(try await store.undeliveredPrivateMessages(for: "bob", limit: 2).map(\.text) == ["one", "two"])
            try await store.markPrivateMessagesDelivered([])
            try await store.markPrivateMessagesDelivered([waiting[0].id, waiting[2].id])
            #expect(try await store.undeliveredPrivateMessages(for: "bob").map(\.text) == ["two"])
            #expect(try await store.undeliveredPrivateMessages(for: "dave").map(\.text) == ["other"])
        }
    }

    @Test(arguments: StoreBackend.tested)
    func countsWaitingMessagesInAllAndFromOneSender(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.countUndeliveredPrivateMessages(for: "bob", from: "alice") == (0, 0))
            try await store.storePrivateMessage(Self.privateMessage("one", from: "Alice"), delivered: false)
            try await store.storePrivateMessage(Self.privateMessage("two", from: "alice"), delivered: false)
            try await store.storePrivateMessage(Self.privateMessage("three", from: "carol"), delivered: false)
            try await store.storePrivateMessage(Self.privateMessage("seen", from: "alice"), delivered: true)
            #expect(try await store.countUndeliveredPrivateMessages(for: "BOB", from: "ALICE") == (3, 2))
            #expect(try await store.countUndeliveredPrivateMessages(for: "bob", from: "carol") == (3, 1))
            #expect(try await store.countUndeliveredPrivateMessages(for: "bob", from: "nobody") == (3, 0))
            #expect(try await store.countUndeliveredPrivateMessages(for: "bob", from: nil) == (3, 0))
            #expect(try await store.countUndeliveredPrivateMessages(for: "alice", from: "bob") == (0, 0))
        }
    }
}
