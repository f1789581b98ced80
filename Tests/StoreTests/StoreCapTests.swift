import ChatCore
import ChatStoreSQLite
import ChatTesting
import Foundation
import Testing

/// `--max-store-mb`: past the cap the oldest history goes first; accounts and waiting private messages never do.
@Suite struct StoreCapTests {
    @Test func deletesTheOldestHistoryUntilTheStoreIsUnderItsCapAndKeepsAccounts() async throws {
        try await StoreFixture.withMemoryStore { store in
            _ = try await store.createAccount(nickname: "alice", passwordHash: "hash", lastSeenMessageID: 0)
            let waiting = StoredPrivateMessage(sender: "bob", recipient: "alice", text: "keep me", time: 1)
            try await store.storePrivateMessage(waiting, delivered: false)
            let text = String(repeating: "x", count: 2_000)
            for batch in 0..<20 {
                let messages = (0..<100).map { index in
                    StoredMessage(
                        room: "#main",
                        sender: "bob",
                        kind: .message,
                        text: "\(batch * 100 + index) \(text)",
                        time: 1
                    )
                }
                _ = try await store.append(messages)
            }
            #expect(try await store.usedBytes() > 3 << 20)

            let maintenance = StoreMaintenance(
                store: store,
                retainDays: nil,
                retainMessages: nil,
                maximumMegabytes: 1,
                logger: TestServer.logger
            )
            await maintenance.keepUnderCap()
            #expect(try await store.usedBytes() <= (1 << 20) / 10 * 9)
            let left = try await store.recentMessages(in: "#main", limit: 2_000)
            #expect(!left.isEmpty && left.count < 2_000)
            // The newest stay, the oldest went.
            #expect(left.last?.text.hasPrefix("1999 ") == true)
            #expect(left.first.map { !$0.text.hasPrefix("0 ") } == true)
            #expect(try await store.account(for: "alice") != nil)
            #expect(try await store.undeliveredPrivateMessages(for: "alice").map(\.text) == ["keep me"])
        }
    }
}
