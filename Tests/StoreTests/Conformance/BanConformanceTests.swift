import ChatCore
import ChatTesting
import Foundation
import Testing

/// ``BanStore``: the console's address bans, in every store.
@Suite struct BanConformanceTests {
    @Test(arguments: StoreBackend.tested)
    func keepsAddressBansInForceReplacingAndForgetting(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let later = now.addingTimeInterval(3600)
            #expect(try await store.addressBans(now: now).isEmpty)
            try await store.saveAddressBan(
                .init(address: "10.0.0.1", nickname: "mallory", until: later, reason: "spam")
            )
            try await store.saveAddressBan(.init(address: "2001:db8::/64", nickname: "eve", until: later, reason: nil))
            try await store.saveAddressBan(
                .init(address: "10.0.0.9", nickname: "old", until: now.addingTimeInterval(-60), reason: nil)
            )
            let bans = try await store.addressBans(now: now).sorted { $0.address < $1.address }
            #expect(
                bans == [
                    .init(address: "10.0.0.1", nickname: "mallory", until: later, reason: "spam"),
                    .init(address: "2001:db8::/64", nickname: "eve", until: later, reason: nil),
                ]
            )
            // The same address again replaces its ban.
            let longer = later.addingTimeInterval(3600)
            try await store.saveAddressBan(
                .init(address: "10.0.0.1", nickname: "mallory2", until: longer, reason: "again")
            )
            let replaced = try await store.addressBans(now: now).first { $0.address == "10.0.0.1" }
            #expect(replaced == .init(address: "10.0.0.1", nickname: "mallory2", until: longer, reason: "again"))
            #expect(try await store.addressBans(now: later).map(\.address) == ["10.0.0.1"])
            try await store.deleteAddressBans(["10.0.0.1", "never-banned"])
            try await store.deleteAddressBans([])
            #expect(try await store.addressBans(now: now).map(\.address) == ["2001:db8::/64"])
        }
    }
}
