import ChatCore
import ChatTesting
import Foundation
import Testing

/// Text that would break string-built SQL, and the longest lines, come back byte for byte from every store.
@Suite struct HostileTextConformanceTests {
    static let texts = [
        "it's",
        #"say "hi""#,
        #"back\slash \\ and \n not a newline"#,
        "'); DROP TABLE messages; --",
        "%s %d $1 ? :name @x",
        "héllo wörld 🙂👩‍👩‍👧 \u{202E}evil",
        String(repeating: "é", count: 2048),
        String(repeating: "a", count: 4096),
    ]

    @Test(arguments: StoreBackend.tested)
    func roomMessagesComeBackExactly(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(Self.texts[6].utf8.count == 4096)
            let room = "#it's \"quoted\""
            _ = try await store.append(
                Self.texts.map { HistoryConformanceTests.message($0, in: room, from: "o'brien") }
            )
            let back = try await store.recentMessages(in: room, limit: 100)
            #expect(back.map(\.text) == Self.texts)
            #expect(back.allSatisfy { $0.sender == "o'brien" && $0.room == room })
            #expect(try await store.countMessages(in: room, afterID: 0) == Self.texts.count)
            #expect(try await store.messageCount() == Self.texts.count)
        }
    }

    @Test(arguments: StoreBackend.tested)
    func privateMessagesAccountsAndBansComeBackExactly(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for text in Self.texts {
                try await store.storePrivateMessage(
                    StoredPrivateMessage(sender: "o'brien", recipient: "x\\y", text: text, time: 1),
                    delivered: false
                )
            }
            #expect(try await store.undeliveredPrivateMessages(for: "x\\y").map(\.text) == Self.texts)
            #expect(try await store.countUndeliveredPrivateMessages(for: "X\\Y", from: "O'BRIEN") == (8, 8))
            let hash = "scrypt$16384$8$1$'\"\\$%"
            #expect(try await store.createAccount(nickname: "O'Neil", passwordHash: hash, lastSeenMessageID: 0))
            #expect(try await store.account(for: "o'neil")?.passwordHash == hash)
            try await store.setIgnored(true, "a'b\\c", by: "o'neil")
            #expect(try await store.ignoredNicknames(by: "O'NEIL") == ["a'b\\c"])
            let until = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3600).rounded(.down))
            let ban = AddressBans.Ban(address: "1.2.3.4", nickname: "o'neil", until: until, reason: Self.texts[3])
            try await store.saveAddressBan(ban)
            #expect(try await store.addressBans() == [ban])
        }
    }
}
