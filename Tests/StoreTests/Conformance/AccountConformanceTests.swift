import ChatCore
import ChatTesting
import Foundation
import Testing

/// ``AccountStore``: registrations, passwords, where owners left off, logins and expiry, ignore lists and nickname
/// bans, in every store.
@Suite struct AccountConformanceTests {
    @Test(arguments: StoreBackend.tested)
    func registersANicknameOnceInAnyCase(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.account(for: "alice") == nil)
            #expect(try await store.createAccount(nickname: "Alice", passwordHash: "scrypt$1", lastSeenMessageID: 7))
            #expect(
                try await store.createAccount(nickname: "alice", passwordHash: "scrypt$2", lastSeenMessageID: 0)
                    == false
            )
            #expect(
                try await store.createAccount(nickname: "ALICE", passwordHash: "scrypt$3", lastSeenMessageID: 0)
                    == false
            )
            let account = try await store.account(for: "aLiCe")
            #expect(
                account == Account(nickname: "Alice", passwordHash: "scrypt$1", isBanned: false, lastSeenMessageID: 7)
            )
            #expect(try await store.account(for: "bob") == nil)
        }
    }

    @Test(arguments: StoreBackend.tested)
    func updatesThePasswordAndNeverMovesLastSeenBack(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.createAccount(nickname: "Alice", passwordHash: "old", lastSeenMessageID: 0)
            try await store.updatePassword(nickname: "ALICE", passwordHash: "new")
            #expect(try await store.account(for: "alice")?.passwordHash == "new")
            try await store.updateLastSeen(nickname: "alice", messageID: 10)
            try await store.updateLastSeen(nickname: "Alice", messageID: 5)
            #expect(try await store.account(for: "alice")?.lastSeenMessageID == 10)
            try await store.updateLastSeen(nickname: "alice", messageID: 20)
            #expect(try await store.account(for: "alice")?.lastSeenMessageID == 20)
            // Nobody registered: nothing happens.
            try await store.updatePassword(nickname: "bob", passwordHash: "x")
            try await store.updateLastSeen(nickname: "bob", messageID: 3)
            try await store.recordLogin(nickname: "bob")
            #expect(try await store.account(for: "bob") == nil)
        }
    }

    @Test(arguments: StoreBackend.tested)
    func expiryDeletesUnusedAccountsAndTheirWaitingMessagesButSparesBannedOnes(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let now = Date()
            let longAgo = now.addingTimeInterval(-10 * 86_400)
            for name in ["Alice", "Bob", "Carol"] {
                #expect(try await store.createAccount(nickname: name, passwordHash: "h", lastSeenMessageID: 0))
            }
            try await store.recordLogin(nickname: "alice", at: longAgo)
            try await store.recordLogin(nickname: "BOB", at: longAgo)
            try await store.recordLogin(nickname: "carol", at: now)
            #expect(try await store.setBanned(true, nickname: "bob"))
            let time = Int64(now.timeIntervalSince1970 * 1000)
            for text in ["one", "two"] {
                try await store.storePrivateMessage(
                    StoredPrivateMessage(sender: "dave", recipient: "Alice", text: text, time: time),
                    delivered: false
                )
            }
            try await store.storePrivateMessage(
                StoredPrivateMessage(sender: "dave", recipient: "bob", text: "kept", time: time),
                delivered: false
            )
            #expect(try await store.deleteAccounts(unusedFor: .seconds(7 * 86_400), now: now) == 1)
            #expect(try await store.account(for: "alice") == nil)
            #expect(try await store.account(for: "bob") != nil)
            #expect(try await store.account(for: "carol") != nil)
            #expect(try await store.countUndeliveredPrivateMessages(for: "alice", from: nil).all == 0)
            #expect(try await store.countUndeliveredPrivateMessages(for: "bob", from: nil).all == 1)
            // Nothing else is that old now.
            #expect(try await store.deleteAccounts(unusedFor: .seconds(7 * 86_400), now: now) == 0)
            // A fresh registration counts as a login.
            #expect(try await store.deleteAccounts(unusedFor: .seconds(3600), now: now) == 0)
        }
    }

    @Test(arguments: StoreBackend.tested)
    func keepsIgnoreListsWithTheAccountSorted(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.ignoredNicknames(by: "alice").isEmpty)
            try await store.setIgnored(true, "zed", by: "Alice")
            try await store.setIgnored(true, "bob", by: "alice")
            try await store.setIgnored(true, "bob", by: "ALICE")
            try await store.setIgnored(true, "carol", by: "dave")
            #expect(try await store.ignoredNicknames(by: "alice") == ["bob", "zed"])
            try await store.setIgnored(false, "bob", by: "Alice")
            try await store.setIgnored(false, "nobody", by: "alice")
            #expect(try await store.ignoredNicknames(by: "alice") == ["zed"])
            #expect(try await store.ignoredNicknames(by: "dave") == ["carol"])
        }
    }

    @Test(arguments: StoreBackend.tested)
    func bansRegisteredNicknamesForGoodOrUntilATime(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.setBanned(true, nickname: "ghost") == false)
            for name in ["Zoe", "Alice", "bob"] {
                _ = try await store.createAccount(nickname: name, passwordHash: "h", lastSeenMessageID: 0)
            }
            #expect(try await store.bannedNicknames().isEmpty)
            #expect(try await store.setBanned(true, nickname: "zoe"))
            #expect(try await store.setBanned(true, nickname: "ALICE", until: Date().addingTimeInterval(3600)))
            #expect(try await store.setBanned(true, nickname: "bob", until: Date().addingTimeInterval(-1)))
            #expect(try await store.bannedNicknames() == ["Alice", "Zoe"])
            #expect(try await store.account(for: "zoe")?.isBanned == true)
            #expect(try await store.account(for: "alice")?.isBanned == true)
            #expect(try await store.account(for: "bob")?.isBanned == false)
            #expect(try await store.setBanned(false, nickname: "Zoe"))
            #expect(try await store.account(for: "zoe")?.isBanned == false)
            #expect(try await store.bannedNicknames() == ["Alice"])
        }
    }
}
