import ChatCore
import ChatTesting
import Foundation
import Testing

/// ``AccountStore``'s public keys (SSH logins), in every store.
@Suite struct AccountKeyConformanceTests {
    let first = AccountKey(
        publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFirst",
        fingerprint: "SHA256:first",
        added: Date(timeIntervalSince1970: 1_700_000_000)
    )
    let second = AccountKey(
        publicKey: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYSecond",
        fingerprint: "SHA256:second",
        added: Date(timeIntervalSince1970: 1_700_000_060)
    )

    @Test(arguments: StoreBackend.tested)
    func bindsListsAndUnbindsKeysOfRegisteredNicknamesOnly(_ backend: StoreBackend) async throws {
        try await backend.withStore { (store: any ChatStorage) async throws in
            // Nobody registered: nothing to bind to.
            #expect(try await store.bindKey(self.first, to: "Alice") == false)
            #expect(try await store.createAccount(nickname: "Alice", passwordHash: "h", lastSeenMessageID: 0))
            #expect(try await store.keys(of: "alice").isEmpty)
            #expect(try await store.bindKey(self.second, to: "alice"))
            #expect(try await store.bindKey(self.first, to: "ALICE"))
            // The same key twice is bound once.
            #expect(try await store.bindKey(self.first, to: "alice") == false)
            // Oldest first, whatever order they were bound in; any case of the nickname.
            #expect(try await store.keys(of: "Alice") == [self.first, self.second])
            // Another account may hold the same key: each nickname has its own list.
            #expect(try await store.createAccount(nickname: "bob", passwordHash: "h", lastSeenMessageID: 0))
            #expect(try await store.bindKey(self.first, to: "bob"))
            #expect(try await store.unbindKey(fingerprint: "SHA256:first", from: "alice"))
            #expect(try await store.unbindKey(fingerprint: "SHA256:first", from: "alice") == false)
            #expect(try await store.keys(of: "alice") == [self.second])
            #expect(try await store.keys(of: "bob") == [self.first])
        }
    }

    @Test(arguments: StoreBackend.tested)
    func anExpiredAccountTakesItsKeysWithIt(_ backend: StoreBackend) async throws {
        try await backend.withStore { (store: any ChatStorage) async throws in
            #expect(try await store.createAccount(nickname: "carol", passwordHash: "h", lastSeenMessageID: 0))
            #expect(try await store.bindKey(self.first, to: "carol"))
            try await store.recordLogin(nickname: "carol", at: Date(timeIntervalSince1970: 1_000))
            #expect(try await store.deleteAccounts(unusedFor: .seconds(86_400), now: Date()) == 1)
            // Registered again by someone else, the nickname does not come with the old owner's key.
            #expect(try await store.createAccount(nickname: "carol", passwordHash: "h2", lastSeenMessageID: 0))
            #expect(try await store.keys(of: "carol").isEmpty)
        }
    }
}
